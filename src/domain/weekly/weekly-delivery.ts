/** Where a delivery goes. `kakao` (the chatbot Event API) carries only reporters' news, never a staff alert or list. */
export const TARGET_KINDS = ['slack', 'telegram', 'email', 'webhook', 'kakao'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
/** The targets a dong center or the call center can have. */
export const STAFF_TARGET_KINDS = ['slack', 'telegram', 'email', 'webhook'] as const satisfies readonly TargetKind[];
export type StaffTargetKind = (typeof STAFF_TARGET_KINDS)[number];

/** The record of one weekly list going to one target of one dong center. */
export interface WeeklyDelivery {
  id: string;
  district: string;
  week: string;
  dongCode: string;
  target: TargetKind;
  /** Where it went: a Slack channel id, a Telegram chat id, or e-mail addresses. */
  address: string;
  /** "scheduled" (one per week, dong and target) or "manual:<time>" for a forced resend. */
  run: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  /** When a failed delivery is tried again; null once sent or given up. */
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/** One try at a delivery. Inserting attempt N is the claim: the unique key lets one instance win it. */
export interface DeliveryAttempt {
  id: string;
  deliveryId: string;
  attemptNo: number;
  owner: string;
  startedAt: Date;
  /** After this, the attempt is presumed lost with its instance and the next one may be claimed. */
  leaseUntil: Date;
  finishedAt: Date | null;
  ok: boolean | null;
  error: string | null;
}

/** What makes a delivery one: the same list to the same target in the same run. */
export type DeliveryKey = Pick<WeeklyDelivery, 'district' | 'week' | 'dongCode' | 'target' | 'run'>;
