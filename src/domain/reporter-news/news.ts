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

/** The outcome of one queued news item (the queue's copy of its facts, then what became of it). */
export function outcomeOf(
  it: QueuedNews,
  outcome: NewsOutcomeKind,
  how: { via?: string; text?: string; reason?: string },
  decidedAt: Date,
): NewsOutcome {
  return {
    id: it.id,
    district: it.district,
    receiptNo: it.receiptNo,
    milestone: it.milestone,
    at: it.at,
    receivedAt: it.receivedAt,
    channel: it.channel,
    outcome,
    via: how.via ?? null,
    text: how.text ?? null,
    reason: how.reason ?? null,
    decidedAt,
  };
}

export const newsId = (district: string, receiptNo: string, milestone: Milestone) =>
  `${district}:${receiptNo}:${milestone}`;
