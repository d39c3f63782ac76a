import type { Milestone } from './milestones';

export interface QueuedNews {
  /** `<district>:<receipt no>:<milestone>`, the same id as its outcome. */
  id: string;
  district: string;
  receiptNo: string;
  milestone: Milestone;
  /** When the milestone happened (its history entry). */
  at: Date;
  /** When the report was received: the dashboard counts how soon its reporter heard back. */
  receivedAt: Date;
  channel: string;
  userId: string;
  /** The push this news goes out with: news of one reporter sharing a run go as one message. */
  run: string;
  /** `push` through the platform, or `chat`: shown at the reporter's next message. Null until routed. */
  route: 'push' | 'chat' | null;
  createdAt: Date;
}

export const OUTCOMES = ['told', 'shown', 'failed', 'skipped'] as const;
export type NewsOutcomeKind = (typeof OUTCOMES)[number];

/** What became of one milestone's news: what the case page shows and the dashboard counts. */
export interface NewsOutcome {
  id: string;
  district: string;
  receiptNo: string;
  milestone: Milestone;
  at: Date;
  receivedAt: Date;
  channel: string;
  /** told: pushed; shown: at the reporter's next message; failed / skipped: never told, `reason` says why. */
  outcome: NewsOutcomeKind;
  /** slack, telegram, kakao (Event API) or chat (shown at the next message); null when not told. */
  via: string | null;
  /** The message as the reporter got it (receipt number, milestone, date: nothing about the household). */
  text: string | null;
  reason: string | null;
  decidedAt: Date;
}

export const newsId = (district: string, receiptNo: string, milestone: Milestone) =>
  `${district}:${receiptNo}:${milestone}`;
