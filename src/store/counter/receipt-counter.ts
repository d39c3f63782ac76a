import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';

interface CounterDoc {
  _id: string;
  seq: number;
}

const schema = new Schema<CounterDoc>({ _id: String, seq: { type: Number, required: true } }, { collection: 'counters', versionKey: false });

/**
 * Hands out receipt sequence numbers per district and year with $inc. On MongoDB that is atomic;
 * on FerretDB 1.x it is not, so calls of one process are queued one after another, and the unique
 * receipt index (see report-filing.ts) catches what races between instances.
 */
export function receiptCounter(conn: Connection) {
  const Model = conn.models.Counter ?? conn.model<CounterDoc>('Counter', schema);
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    next: (district: string, year: number) => serial(() => increment(district, year)),
  };

  async function increment(district: string, year: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await Model.findOneAndUpdate({ _id: `receipt:${district}:${year}` }, { $inc: { seq: 1 } }, { upsert: true, new: true }).lean<CounterDoc>();
        return doc!.seq;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt > 10) throw err;
      }
    }
  }
}
