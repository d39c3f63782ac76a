import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';
import type { ReceiptCounter } from '../../domain/counter/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

interface CounterDoc {
  _id: string;
  seq: number;
}

const schema = new Schema<CounterDoc>(
  { _id: String, seq: { type: Number, required: true } },
  { collection: 'counters', versionKey: false },
);

/**
 * Hands out receipt sequence numbers per district and year with $inc. On MongoDB that is atomic;
 * on FerretDB 1.x it is not, so calls of one process are queued one after another, and the unique
 * receipt index (see report-filing.ts) catches what races between instances. Filings that ask
 * while an increment is queued or running share the next one: one `$inc` by their number, each
 * taking its own of the consecutive numbers in the order they asked (fifty reporters pressing
 * 접수 together cost a few increments in a row, not fifty).
 */
export function receiptCounter(conn: Connection): ReceiptCounter & CreatesItsIndexes {
  const Model = conn.models.Counter ?? conn.model<CounterDoc>('Counter', schema);
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  /** The callers waiting for the next increment of a counter, which takes them all at its turn. */
  type Waiter = { resolve(n: number): void; reject(err: unknown): void };
  const waiting = new Map<string, Waiter[]>();
  function shared(district: string, year: number): Promise<number> {
    const key = `${district}:${year}`;
    return new Promise((resolve, reject) => {
      let group = waiting.get(key);
      if (!group) {
        const members: Waiter[] = [];
        group = members;
        waiting.set(key, members);
        serial(async () => {
          waiting.delete(key); // who asks from now on waits for the increment after this one
          const last = await increment(district, year, members.length);
          members.forEach((m, i) => m.resolve(last - members.length + 1 + i));
        }).catch((err: unknown) => members.forEach((m) => m.reject(err)));
      }
      group.push({ resolve, reject });
    });
  }

  return {
    /** The counter is keyed by `_id` alone: nothing to create. */
    ensureIndexes: async () => {},
    next: (district: string, year: number) => shared(district, year),
    /**
     * Advances the counter past a block of `count` numbers and returns the block's first (the demo
     * seed numbers its reports from it). A filing racing the advance on FerretDB may still draw a
     * number inside the block; the unique receipt index catches it and either side draws again.
     */
    reserveBlock: async (district: string, year: number, count: number) =>
      (await serial(() => increment(district, year, count))) - count + 1,
  };

  async function increment(district: string, year: number, by: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await Model.findOneAndUpdate(
          { _id: `receipt:${district}:${year}` },
          { $inc: { seq: by } },
          { upsert: true, new: true },
        ).lean<CounterDoc>();
        return doc!.seq;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt > 10) throw err;
      }
    }
  }
}
