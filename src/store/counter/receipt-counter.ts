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
 * receipt index (see report-filing.ts) catches what races between instances.
 */
export function receiptCounter(conn: Connection): ReceiptCounter & CreatesItsIndexes {
  const Model = conn.models.Counter ?? conn.model<CounterDoc>('Counter', schema);
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    /** The counter is keyed by `_id` alone: nothing to create. */
    ensureIndexes: async () => {},
    next: (district: string, year: number) => serial(() => increment(district, year, 1)),
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
