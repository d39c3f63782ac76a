import type { DongResolution } from '../../src/domain/dong-resolver';
import type { District, Dong } from '../../src/domain/district';
import type { Channel } from '../types';
import type { CompletedDraft } from './draft';

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
  latestChange?: { action: string; at: Date };
}

/** What the report flow needs from the domain, as functions; the flow never sees the database. */
export interface ReportFlowServices {
  district: District;
  partnerOf(channel: Channel, userId: string): Promise<PartnerLink | undefined>;
  linkByInviteCode(channel: Channel, userId: string, code: string): Promise<PartnerLink | undefined>;
  saveReporterContact(channel: Channel, userId: string, contact: ReporterContact): Promise<void>;
  resolveAddress(text: string): Promise<DongResolution>;
  dongAt(lat: number, lng: number): Dong | undefined;
  /** Files once per draft (keyed by its submissionId); refused when the partner lost its right to file. */
  submitReport(
    draft: CompletedDraft,
    reporter: { channel: Channel; userId: string },
  ): Promise<{ ok: true; receiptNo: string } | { ok: false; refusal: string }>;
  recentReports(channel: Channel, userId: string, limit: number): Promise<ReporterReportLine[]>;
}
