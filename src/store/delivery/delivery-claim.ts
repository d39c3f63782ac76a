import { Schema, type Connection } from 'mongoose';

/**
 * "This message was already taken": one document per (channel, delivery key). The unique _id
 * makes the claim exactly-once even on FerretDB, where conditional updates are not atomic.
 */
interface DeliveryClaimDoc {
  _id: string;
  claimedAt: Date;
}

const schema = new Schema<DeliveryClaimDoc>(
  { _id: { type: String, required: true }, claimedAt: { type: Date, required: true } },
  { collection: 'delivery_claims', versionKey: false },
);
schema.index({ claimedAt: 1 }); // the purge drops old claims by age

const DUPLICATE_KEY = 11000;

export function deliveryClaims(conn: Connection) {
  const Model = conn.models.DeliveryClaim ?? conn.model<DeliveryClaimDoc>('DeliveryClaim', schema);
  const idOf = (channel: string, key: string) => `${channel}:${key}`;
  return {
    model: Model,
    /** True for the first delivery of this key; false when another delivery already claimed it. */
    async claim(channel: string, key: string, now: Date): Promise<boolean> {
      try {
        await Model.create({ _id: idOf(channel, key), claimedAt: now });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === DUPLICATE_KEY) return false;
        throw err;
      }
    },
    /** Gives a claim back when its turn changed nothing (failed or late), so a retry is processed. */
    async release(channel: string, key: string): Promise<void> {
      await Model.deleteOne({ _id: idOf(channel, key) });
    },
    /** Claims only need to outlive a client's retries; older ones go. */
    async purge(olderThan: Date): Promise<number> {
      return (await Model.deleteMany({ claimedAt: { $lt: olderThan } })).deletedCount;
    },
  };
}
export type DeliveryClaims = ReturnType<typeof deliveryClaims>;
