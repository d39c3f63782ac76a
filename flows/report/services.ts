import type { DongResolution } from '../../src/domain/dong-resolver';
import type { District, Dong } from '../../src/domain/district';
import type { Channel } from '../types';
import type { CompletedDraft } from './draft';

export interface PartnerLink {
  partnerId: string;
  partnerName: string;
  active: boolean;
}

export interface ReporterReportLine {
  receiptNo: string;
  dongName: string | null;
  statusLabel: string;
  receivedAt: Date;
}

/** What the report flow needs from the domain, as functions; the flow never sees the database. */
export interface ReportFlowServices {
  district: District;
  partnerOf(channel: Channel, userId: string): Promise<PartnerLink | undefined>;
  linkByInviteCode(channel: Channel, userId: string, code: string): Promise<PartnerLink | undefined>;
  resolveAddress(text: string): Promise<DongResolution>;
  dongAt(lat: number, lng: number): Dong | undefined;
  /** Files once per draft (keyed by its submissionId); refused when the partner lost its right to file. */
  submitReport(
    draft: CompletedDraft,
    reporter: { channel: Channel; userId: string },
  ): Promise<{ ok: true; receiptNo: string } | { ok: false; refusal: string }>;
  recentReports(channel: Channel, userId: string, limit: number): Promise<ReporterReportLine[]>;
}
