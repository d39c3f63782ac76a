import { Schema, type Connection } from 'mongoose';

interface CounterDoc {
  _id: string;
  seq: number;
}

const schema = new Schema<CounterDoc>({ _id: String, seq: { type: Number, required: true } }, { collection: 'counters', versionKey: false });

/**
 * Hands out receipt sequence numbers per district and year with one atomic $inc. Two first
 * requests of a year may both try to create the counter; the loser retries on the duplicate key.
 */
export function receiptCounter(conn: Connection) {
  const Model = conn.models.Counter ?? conn.model<CounterDoc>('Counter', schema);
  return {
    async next(district: string, year: number): Promise<number> {
      for (let attempt = 0; ; attempt++) {
        try {
          const doc = await Model.findOneAndUpdate(
            { _id: `receipt:${district}:${year}` },
            { $inc: { seq: 1 } },
            { upsert: true, new: true },
          ).lean<CounterDoc>();
          return doc!.seq;
        } catch (err) {
          if ((err as { code?: number }).code !== 11000 || attempt > 10) throw err;
        }
      }
    },
  };
}
