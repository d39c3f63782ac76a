import type { NewsOutcome, QueuedNews } from './news';

/**
 * What the reporters hear back (issue 26): news waiting to be told, what became of each, and the
 * marks read on a chat turn; src/store/reporter-news implements it. `enqueue` and `decide` are
 * claims: the second of the same news answers false.
 */
export interface ReporterNewsRepository {
  enqueue(news: QueuedNews): Promise<boolean>;
  queued(district: string): Promise<QueuedNews[]>;
  queuedOf(channel: string, userId: string): Promise<QueuedNews[]>;
  setRoute(ids: string[], set: { route?: QueuedNews['route']; run?: string }): Promise<void>;
  dequeue(ids: string[]): Promise<void>;
  decide(outcome: NewsOutcome): Promise<boolean>;
  undecide(ids: string[]): Promise<void>;
  outcome(id: string): Promise<NewsOutcome | undefined>;
  ofReport(district: string, receiptNo: string): Promise<NewsOutcome[]>;
  ofReceivedBetween(district: string, start: Date, end: Date): Promise<NewsOutcome[]>;
  setOff(channel: string, userId: string, off: boolean, now: Date): Promise<void>;
  isOff(channel: string, userId: string): Promise<boolean>;
  markWaiting(channel: string, userId: string, now: Date): Promise<void>;
  isWaiting(channel: string, userId: string): Promise<boolean>;
  clearWaiting(channel: string, userId: string): Promise<void>;
  markMember(run: string, id: string, now: Date): Promise<void>;
  isMember(run: string, id: string): Promise<boolean>;
  /** A slot of the day's capped sends, or undefined when the day's cap is reached. */
  takeDailySlot(day: string, cap: number, hint: number, now: Date): Promise<number | undefined>;
}
