import type { ReportStatus } from './status';
import type { Urgency } from './urgency';

/**
 * Whose reports a query may see. Every console query takes one: the district's call center sees
 * the district, a dong center only the reports assigned to its dong.
 */
export type ReportScope = { kind: 'district'; district: string } | { kind: 'dong'; district: string; dongCode: string };

export interface ReportFilter {
  statuses?: ReportStatus[];
  dongCode?: string;
  partnerId?: string;
  urgency?: Urgency;
  sign?: string;
  receivedFrom?: Date;
  /** Exclusive upper bound. */
  receivedBefore?: Date;
  /** Plain text matched literally in the address or the situation (never as a pattern). */
  text?: string;
  /** The text also matches the reporter's name (staff only: a dong center never sees the reporter). */
  textInReporter?: boolean;
  duplicatesOnly?: boolean;
  /** Only reports with no first consultation yet (the same-day rule's waiting list). */
  unconsulted?: boolean;
  /** A counsellor's username (내 담당), or null for cases nobody has taken (담당 미배정). */
  assignee?: string | null;
  /** Only reports no dong center is assigned to yet (관할 동 미배정). */
  noDong?: boolean;
  sort?: QueueSort;
}

/** How the queue may be ordered; the default is urgent first, then oldest first. */
export const QUEUE_SORTS = ['urgency', 'received', 'received_desc', 'name', 'address', 'dong'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
