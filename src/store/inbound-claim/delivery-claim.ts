import { Schema, type Connection } from 'mongoose';
import type { DeliveryClaimRepository } from '../../domain/inbound-claim/repository';
import type { CreatesItsIndexes } from '../../domain/stored';
import { isDuplicateKey } from '../duplicate-key';

/**
 * One platform delivery (a Slack event_id, a Telegram update_id, a web-chat message id) claimed for processing.
 * Platforms redeliver what they think failed; the first insert wins and every later copy is
 * skipped. The unique `_id` is the guard: on FerretDB a conditional update is not atomic under
 * concurrency, an insert against a unique index is.
 */
interface DeliveryClaimDoc {
  _id: string;
  claimedAt: Date;
}

const schema = new Schema<DeliveryClaimDoc>(
  { _id: { type: String, required: true }, claimedAt: { type: Date, required: true } },
  { collection: 'delivery_claims', versionKey: false },
);
// claimedAt serves the purge of old claims (FerretDB refuses TTL indexes, so the purge is a query)
schema.index({ claimedAt: 1 });

export function deliveryClaimRepository(
  conn: Connection,
  now: () => Date = () => new Date(),
): DeliveryClaimRepository & CreatesItsIndexes {
  const Model = conn.models.DeliveryClaim ?? conn.model<DeliveryClaimDoc>('DeliveryClaim', schema);
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    /** True for the first claim of `key`, false for every repeat (duplicate key 11000). */
    async claim(key: string): Promise<boolean> {
      try {
        await Model.create({ _id: key, claimedAt: now() });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    /** Gives a claim back when its turn changed nothing (failed or late), so a retry is processed. */
    async release(key: string): Promise<void> {
      await Model.deleteOne({ _id: key });
    },
    /** Forgets claims older than `before`; platforms stop redelivering after minutes, not days. */
    async purge(before: Date): Promise<number> {
      const r = await Model.deleteMany({ claimedAt: { $lt: before } });
      return r.deletedCount;
    },
  };
}
