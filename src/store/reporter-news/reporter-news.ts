import { Schema, type Connection } from 'mongoose';
import { MILESTONES } from '../../domain/reporter-news/milestones';
import { isDuplicateKey } from '../duplicate-key';
import { districtCache } from '../report/open-copies-cache';
import { newsId, OUTCOMES, type NewsOutcome, type QueuedNews } from '../../domain/reporter-news/news';
import type { ReporterNewsRepository } from '../../domain/reporter-news/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

/**
 * What the reporters hear back (issue 26), in three collections that only ever take inserts and
 * deletes, the one write FerretDB makes atomic (and cheap: an update decodes every document):
 * - `reporter_news_queue`: milestones not yet told. Small — an entry leaves once told, failed or
 *   skipped — so the sweep may read all of it.
 * - `reporter_news_outcomes`: one document per (report, milestone), `_id` the news id. Its insert
 *   is the "told once" claim: a second insert of the same news fails, so a milestone is told,
 *   shown or given up exactly once, whichever instance or turn gets there.
 * - `reporter_news_marks`: presence marks by `_id` (a reporter's 알림 끄기, "news waiting in the
 *   chat", the Kakao Event API's daily slots), read by `_id` on a chat turn.
 */
const queueSchema = new Schema(
  {
    _id: { type: String, required: true },
    district: { type: String, required: true },
    receiptNo: { type: String, required: true },
    milestone: { type: String, required: true, enum: MILESTONES },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    channel: { type: String, required: true },
    userId: { type: String, required: true },
    run: { type: String, required: true },
    route: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'reporter_news_queue', versionKey: false, minimize: false, strict: 'throw' },
);

const outcomeSchema = new Schema(
  {
    _id: { type: String, required: true },
    district: { type: String, required: true },
    receiptNo: { type: String, required: true },
    milestone: { type: String, required: true, enum: MILESTONES },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    channel: { type: String, required: true },
    outcome: { type: String, required: true, enum: OUTCOMES },
    via: { type: String, default: null },
    text: { type: String, default: null },
    reason: { type: String, default: null },
    decidedAt: { type: Date, required: true },
  },
  { collection: 'reporter_news_outcomes', versionKey: false, minimize: false, strict: 'throw' },
);

const markSchema = new Schema(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'reporter_news_marks', versionKey: false },
);

type Lean<T> = Omit<T, 'id'> & { _id: string };
const plain = <T extends { id: string }>({ _id, ...rest }: Lean<T>): T => ({ id: _id, ...rest }) as unknown as T;

const offMark = (channel: string, userId: string) => `off:${channel}:${userId}`;
const waitingMark = (channel: string, userId: string) => `waiting:${channel}:${userId}`;

export function reporterNewsRepository(conn: Connection): ReporterNewsRepository & CreatesItsIndexes {
  const Queue = conn.models.ReporterNewsQueue ?? conn.model('ReporterNewsQueue', queueSchema);
  const Outcome = conn.models.ReporterNewsOutcome ?? conn.model('ReporterNewsOutcome', outcomeSchema);
  const Mark = conn.models.ReporterNewsMark ?? conn.model('ReporterNewsMark', markSchema);

  /**
   * Which chats have news waiting, as this process last read the marks: every chat turn asks, and
   * marks are set only by the sweep. Valid while the marks' change token holds (set after each
   * mark, as the open copies' token is: open-copies-cache.ts). Turns asking at once share one
   * token read, so fifty reporters typing together cost a few reads, not fifty; a mark set while
   * that read is under way is seen at the reporter's next message, as a mark set during a turn was.
   */
  const waitingCache = districtCache<ReadonlySet<string>>(conn, 'news-waiting:');
  const WAITING_SCOPE = 'all';
  let waitingRead: Promise<ReadonlySet<string>> | undefined;
  const loadWaiting = async (): Promise<ReadonlySet<string>> =>
    new Set(
      (
        await Mark.find({ _id: { $regex: /^waiting:/ } })
          .select({ _id: 1 })
          .lean<{ _id: string }[]>()
      ).map((m) => m._id),
    );
  const waitingNow = (): Promise<ReadonlySet<string>> => {
    waitingRead ??= waitingCache.read(WAITING_SCOPE, loadWaiting).finally(() => {
      waitingRead = undefined;
    });
    return waitingRead;
  };

  /** An insert by `_id`; false when it is already there (another instance or turn came first). */
  async function insertOnce(model: typeof Mark, doc: Record<string, unknown>): Promise<boolean> {
    try {
      await model.collection.insertOne(doc as never);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  return {
    /** Every `_id` is the key its readers use; there is no other index (each would only slow the inserts). */
    async ensureIndexes() {
      await Queue.createIndexes();
      await Outcome.createIndexes();
      await Mark.createIndexes();
    },
    /** Queues a milestone's news unless it is queued already (the outcome check is the caller's). */
    async enqueue(news: QueuedNews): Promise<boolean> {
      const { id, ...rest } = news;
      return insertOnce(Queue, { _id: id, ...rest });
    },
    /** The whole queue of a district (small: only news not yet decided). */
    async queued(district: string): Promise<QueuedNews[]> {
      return (await Queue.find({ district }).lean<Lean<QueuedNews>[]>()).map((d) => plain<QueuedNews>(d));
    },
    async queuedOf(channel: string, userId: string): Promise<QueuedNews[]> {
      return (await Queue.find({ channel, userId }).lean<Lean<QueuedNews>[]>()).map((d) => plain<QueuedNews>(d));
    },
    /** Routes (or re-runs) queued news; racing instances write the same values. */
    async setRoute(ids: string[], set: { route?: QueuedNews['route']; run?: string }): Promise<void> {
      if (ids.length) await Queue.updateMany({ _id: { $in: ids } }, { $set: set });
    },
    async dequeue(ids: string[]): Promise<void> {
      if (ids.length) await Queue.deleteMany({ _id: { $in: ids } });
    },
    /** Records what became of a news: true for the one insert that decides it, false when already decided. */
    async decide(outcome: NewsOutcome): Promise<boolean> {
      const { id, ...rest } = outcome;
      return insertOnce(Outcome, { _id: id, ...rest });
    },
    /** Takes back outcomes this caller just inserted (news shown in a reply that missed its deadline). */
    async undecide(ids: string[]): Promise<void> {
      if (ids.length) await Outcome.deleteMany({ _id: { $in: ids } });
    },
    async outcome(id: string): Promise<NewsOutcome | undefined> {
      const doc = await Outcome.findById(id).lean<Lean<NewsOutcome>>();
      return doc ? plain<NewsOutcome>(doc) : undefined;
    },
    /** One report's outcomes (the case page): one `_id` read per milestone. */
    async ofReport(district: string, receiptNo: string): Promise<NewsOutcome[]> {
      const docs = await Promise.all(
        MILESTONES.map((m) => Outcome.findById(newsId(district, receiptNo, m)).lean<Lean<NewsOutcome>>()),
      );
      return docs
        .filter((d) => d !== null)
        .map((d) => plain<NewsOutcome>(d!))
        .sort((a, b) => a.at.getTime() - b.at.getTime());
    },
    /** Outcomes of reports received in [start, end) (the dashboard's counts; not on any hot path). */
    async ofReceivedBetween(district: string, start: Date, end: Date): Promise<NewsOutcome[]> {
      return (await Outcome.find({ district, receivedAt: { $gte: start, $lt: end } }).lean<Lean<NewsOutcome>[]>()).map(
        (d) => plain<NewsOutcome>(d),
      );
    },
    /** 알림 끄기 / 알림 켜기: a mark by `_id`, read on the sweep and at a chat turn with news waiting. */
    async setOff(channel: string, userId: string, off: boolean, now: Date): Promise<void> {
      if (off) await insertOnce(Mark, { _id: offMark(channel, userId), at: now });
      else await Mark.deleteOne({ _id: offMark(channel, userId) });
    },
    async isOff(channel: string, userId: string): Promise<boolean> {
      return (await Mark.findById(offMark(channel, userId)).lean()) !== null;
    },
    /** "News waits in this reporter's chat": the mark, then the marks' change token (every process's next turn rereads them). */
    async markWaiting(channel: string, userId: string, now: Date): Promise<void> {
      await insertOnce(Mark, { _id: waitingMark(channel, userId), at: now });
      await waitingCache.changed(WAITING_SCOPE);
    },
    /** A chat turn's question: the shared set first, then the mark by `_id` (it may have been cleared since). */
    async isWaiting(channel: string, userId: string): Promise<boolean> {
      const id = waitingMark(channel, userId);
      if (!(await waitingNow()).has(id)) return false;
      return (await Mark.findById(id).lean()) !== null;
    },
    async clearWaiting(channel: string, userId: string): Promise<void> {
      await Mark.deleteOne({ _id: waitingMark(channel, userId) });
    },
    /** Notes, before a push is sent, that a news is in it: an instance finding the run sent tells it from a late one. */
    async markMember(run: string, id: string, now: Date): Promise<void> {
      await insertOnce(Mark, { _id: `member:${run}:${id}`, at: now });
    },
    async isMember(run: string, id: string): Promise<boolean> {
      return (await Mark.findById(`member:${run}:${id}`).lean()) !== null;
    },
    /**
     * Takes one of the day's `cap` Kakao Event API messages (each is charged): slot k of the day is
     * an insert, so two instances never take the same one. `hint` is where this instance last
     * found a free slot. Returns the slot taken, or undefined when the day's cap is used up.
     */
    async takeDailySlot(day: string, cap: number, hint: number, now: Date): Promise<number | undefined> {
      for (let k = Math.max(0, hint); k < cap; k++)
        if (await insertOnce(Mark, { _id: `kakao-event:${day}:${k}`, at: now })) return k;
      return undefined;
    },
  };
}
