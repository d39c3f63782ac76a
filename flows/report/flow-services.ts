import type { DongResolution } from '../../src/domain/dong-resolver';
import type { District } from '../../src/domain/district';
import type { MayNotFile } from '../../src/domain/partner-may-file';
import type { KeepPhotoResult } from '../../src/domain/photo/photo';
import type { Channel } from '../types';
import type { CompletedDraft, Draft } from './draft';

/** The reporter's own call-back contact: shown to call-center staff only, never to dong centers. */
export interface ReporterContact {
  name: string;
  phone: string;
}

export interface PartnerLink {
  partnerId: string;
  partnerName: string;
  active: boolean;
  /** Given once at linking; confirmed in every report's summary. */
  contact?: ReporterContact;
}

export interface ReporterReportLine {
  receiptNo: string;
  dongName: string | null;
  statusLabel: string;
  receivedAt: Date;
  /** The address as typed, cut short: enough to tell reports apart. */
  shortAddress: string;
  /** The latest thing someone did (history entry), for "조회": which action and when. */
  latestChange?: { action: string; to?: string; at: Date };
}

/** A filing refused by the domain (partnerMayFile's code); the flow says it in words. */
export interface FilingRefused {
  ok: false;
  refusal: MayNotFile;
  partnerName?: string;
}

/** What the report flow needs from the domain, as functions; the flow never sees the database. */
export interface ReportFlowServices {
  district: District;
  partnerOf(channel: Channel, userId: string): Promise<PartnerLink | undefined>;
  linkByInviteCode(channel: Channel, userId: string, code: string): Promise<PartnerLink | undefined>;
  saveReporterContact(channel: Channel, userId: string, contact: ReporterContact): Promise<void>;
  resolveAddress(text: string): Promise<DongResolution>;
  /** Files once per draft (keyed by its submissionId); refused when the partner lost its right to file. */
  submitReport(
    draft: CompletedDraft,
    reporter: { channel: Channel; userId: string },
  ): Promise<{ ok: true; receiptNo: string; onCall?: boolean } | FilingRefused>;
  /**
   * `onCall` (urgent reports): true only when an alert to a working on-call target was queued, so
   * the reply may say "당직 담당자에게 바로 알렸습니다"; otherwise it makes the next-business-day promise.
   *
   * 즉시 위험: files at once what is known (address, dong if found, urgency), so the call center
   * sees it now; the draft's submissionId keeps a repeated turn from filing twice.
   */
  fileUrgentReport(
    draft: Draft & { address: string; urgency: 'immediate' },
    reporter: { channel: Channel; userId: string },
  ): Promise<{ ok: true; receiptNo: string; reportId: string; onCall?: boolean } | FilingRefused>;
  /**
   * Adds the reporter's later answers to the report filed at once (the workflow's add_details
   * action), by its id when known (a conversation begun before ids were kept has only the receipt).
   */
  addReportDetails(
    filed: { receiptNo: string; reportId?: string },
    draft: Draft,
    reporter: { channel: Channel; userId: string },
  ): Promise<{ ok: boolean }>;
  recentReports(channel: Channel, userId: string, limit: number): Promise<ReporterReportLine[]>;
  /**
   * Checks a photo (type by content, size, pixels; location taken out unless the district keeps
   * it) and keeps it for the report `submissionId` will be. Refused photos leave nothing stored.
   */
  keepPhoto(submissionId: string, bytes: Buffer): Promise<KeepPhotoResult>;
  /** Adds kept photos to a report already filed (즉시 위험 filed at once). */
  attachPhotos(reportId: string, photoIds: string[]): Promise<{ ok: boolean }>;
  /** 알림 끄기 / 알림 켜기: whether news of this reporter's reports reach their chat. */
  setNewsOff(channel: Channel, userId: string, off: boolean): Promise<void>;
}
