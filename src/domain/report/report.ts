import type { Age, Sex } from './age';
import type { CrisisLevel } from './crisis';
import type { ConsultOutcome, FollowUp } from './follow-up';
import type { ReportStatus } from './status';
import type { Urgency } from './urgency';

export interface HistoryEntry {
  at: Date;
  by: string;
  action: string;
  from?: string;
  to?: string;
  note?: string;
}

export interface Consultation {
  at: Date;
  by: string;
  result: string;
  supportLinked: string | null;
  /** How the call went (통화 / 부재 / 거절); absent on consultations recorded before it existed. */
  callOutcome?: ConsultOutcome | null;
  /** Codes from the district's services list (District.services). */
  services?: string[];
}

/** The dong center's visit report, in the reception form's terms. */
export interface VisitReport {
  at: Date;
  by: string;
  reached: boolean;
  investigationResult: string;
  supportProvided: string | null;
  enteredInSystem: boolean;
  /** null: 모름, or not asked (nobody was met). */
  crisisLevel: CrisisLevel | null;
  followUpNeeded: boolean;
  /** When the visit happened, if not when it was recorded. */
  visitedAt?: Date | null;
  /** Nobody met: when the dong center plans to go again (YYYY-MM-DD). */
  revisitOn?: string | null;
}

/** A report created from one row of an imported list (src/import). */
export interface ReportSource {
  kind: 'list';
  importId: string;
  listName: string;
  /** The row's line in the uploaded file (1 = the first line). */
  line: number;
}
/**
 * The situation of a report filed at once as 즉시 위험, until the reporter's own words replace it
 * (the add_details action): staff read that details are on their way.
 */
export const DETAILS_TO_FOLLOW = '즉시 위험 신고: 신고자가 세부 내용을 이어서 입력하고 있습니다.';

/** A stored report. Plain data: what the rest of the code sees instead of database documents. */
export interface Report {
  id: string;
  /** Bumped by every change after filing (1 when filed): changes are applied one revision at a time. */
  rev?: number;
  district: string;
  receiptNo: string;
  submissionId: string;
  receivedAt: Date;
  partner: { id: string; name: string; kind: string };
  reporter: { channel: string; userId: string };
  /** The reporter's own call-back name and phone: for call-center staff only, never for dong centers. */
  reporterContact?: { name: string; phone: string } | null;
  address: { text: string; dongCode: string | null; dongName: string | null; resolvedBy: string };
  signs: string[];
  /** `sex` as the reporter said it with the age ("70대 할머니"); absent on reports filed before it was asked. */
  person: { name: string | null; age: Age | null; phone: string | null; sex?: Sex | null };
  situation: string;
  urgency: Urgency;
  status: ReportStatus;
  assignedDongCode: string | null;
  consultation?: Consultation | null;
  visit?: VisitReport | null;
  followUpDue?: string | null;
  /** The call-center counsellor in charge (담당 상담원): a console username. */
  assignee?: string | null;
  /** The current crisis level (위기도): set at the consultation or the visit, drives the follow-up cadence. */
  crisisLevel?: CrisisLevel | null;
  /** The check-in call schedule while the case is in follow-up (사후관리). */
  followUp?: FollowUp | null;
  /** When the latest visit was requested: the today page lists visits not reported after N business days. */
  visitRequestedAt?: Date | null;
  /** Visits where nobody was met (부재): the case goes back for another visit. */
  missedVisits?: number;
  closedAt?: Date | null;
  /** When the case's current step began (a status change, a consultation, an assignment): the next step's clock. */
  stepSince?: Date | null;
  /** Normalized address (see domain/address-key.ts): finds an earlier report of the same household. */
  addressKey?: string | null;
  /** The earlier report of the same address within 30 days, flagged for staff to merge or keep. */
  duplicateOf?: string | null;
  duplicateState?: 'suspected' | 'merged' | 'separate' | null;
  /** 0 immediate, 1 prompt, 2 normal: the queue sorts on it (urgent first). */
  urgencyRank?: number;
  /** Where the case came from: a chat report (absent) or a row of an institution's list. */
  source?: ReportSource | null;
  /** A list's own columns kept beside the report (e.g. 체납액, 체납개월), by the list's header. */
  extra?: Record<string, string> | null;
  /** When the retention job removed what names or describes the person (src/domain/retention/). */
  anonymisedAt?: Date | null;
  /** Photos sent with the report (src/domain/photo): ids in the photo store, in the order received. */
  photoIds?: string[];
  /** Synthetic data from `admin demo seed`: never a real household. */
  demo?: boolean;
  history: HistoryEntry[];
}
