import mongoose, { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';
import {
  TARGET_KINDS,
  type DeliveryAttempt,
  type DeliveryKey,
  type WeeklyDelivery,
} from '../../domain/weekly/weekly-delivery';
import type { WeeklyDeliveryRepository } from '../../domain/weekly/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

type DeliveryDoc = Omit<WeeklyDelivery, 'id'>;
type AttemptDoc = Omit<DeliveryAttempt, 'id' | 'deliveryId'> & { deliveryId: mongoose.Types.ObjectId };

const deliverySchema = new Schema<DeliveryDoc>(
  {
    district: { type: String, required: true },
    week: { type: String, required: true },
    dongCode: { type: String, required: true },
    target: { type: String, required: true, enum: TARGET_KINDS },
    address: { type: String, required: true },
    run: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'sent', 'failed'] },
    attempts: { type: Number, required: true },
    lastError: { type: String, default: null },
    lastAttemptAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    nextAttemptAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'weekly_deliveries', versionKey: false, minimize: false },
);
// exactly one scheduled delivery per (week, dong, target), whichever instance creates it; also lists a week's deliveries
deliverySchema.index({ district: 1, week: 1, dongCode: 1, target: 1, run: 1 }, { unique: true });
deliverySchema.index({ district: 1, status: 1, nextAttemptAt: 1 }); // the retry sweep: failed deliveries now due

const attemptSchema = new Schema<AttemptDoc>(
  {
    deliveryId: { type: Schema.Types.ObjectId, required: true },
    attemptNo: { type: Number, required: true },
    owner: { type: String, required: true },
    startedAt: { type: Date, required: true },
    leaseUntil: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    ok: { type: Boolean, default: null },
    error: { type: String, default: null },
  },
  { collection: 'weekly_delivery_attempts', versionKey: false, minimize: false },
);
// the claim: one winner per attempt number (an insert, atomic on FerretDB too); also finds the latest attempt
attemptSchema.index({ deliveryId: 1, attemptNo: 1 }, { unique: true });

const toDelivery = ({ _id, ...d }: DeliveryDoc & { _id: mongoose.Types.ObjectId }): WeeklyDelivery => ({
  id: _id.toHexString(),
  ...d,
});
const toAttempt = ({ _id, deliveryId, ...a }: AttemptDoc & { _id: mongoose.Types.ObjectId }): DeliveryAttempt => ({
  id: _id.toHexString(),
  deliveryId: deliveryId.toHexString(),
  ...a,
});

export function weeklyDeliveryRepository(conn: Connection): WeeklyDeliveryRepository & CreatesItsIndexes {
  const Delivery = conn.models.WeeklyDelivery ?? conn.model<DeliveryDoc>('WeeklyDelivery', deliverySchema);
  const Attempt = conn.models.WeeklyDeliveryAttempt ?? conn.model<AttemptDoc>('WeeklyDeliveryAttempt', attemptSchema);
  type DeliveryLean = DeliveryDoc & { _id: mongoose.Types.ObjectId };
  type AttemptLean = AttemptDoc & { _id: mongoose.Types.ObjectId };

  return {
    /** The indexes both collections declare (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Delivery.createIndexes();
      await Attempt.createIndexes();
    },
    /** The delivery for a key, created if no instance has yet (insert first; a duplicate means it exists). */
    async ensure(key: DeliveryKey, address: string, now: Date): Promise<WeeklyDelivery> {
      try {
        const doc = await Delivery.create({
          ...key,
          address,
          status: 'pending',
          attempts: 0,
          lastError: null,
          lastAttemptAt: null,
          sentAt: null,
          nextAttemptAt: null,
          createdAt: now,
        });
        return toDelivery(doc.toObject());
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await Delivery.findOne(key).lean<DeliveryLean>();
        if (!existing) throw err;
        return toDelivery(existing);
      }
    },
    async byId(id: string): Promise<WeeklyDelivery | undefined> {
      const doc = await Delivery.findById(id).lean<DeliveryLean>();
      return doc ? toDelivery(doc) : undefined;
    },
    async ofWeek(district: string, week: string): Promise<WeeklyDelivery[]> {
      return (
        await Delivery.find({ district, week }).sort({ dongCode: 1, target: 1, createdAt: 1 }).lean<DeliveryLean[]>()
      ).map(toDelivery);
    },
    /** The records of a "week" created since a time (alerts: the recent ones, for the sweep and the log). */
    async recentOfWeek(district: string, week: string, since: Date): Promise<WeeklyDelivery[]> {
      return (
        await Delivery.find({ district, week, createdAt: { $gte: since } })
          .sort({ createdAt: -1 })
          .lean<DeliveryLean[]>()
      ).map(toDelivery);
    },
    /** Failed deliveries whose back-off has run out. */
    async dueRetries(district: string, now: Date): Promise<WeeklyDelivery[]> {
      return (
        await Delivery.find({ district, status: 'failed', nextAttemptAt: { $lte: now } }).lean<DeliveryLean[]>()
      ).map(toDelivery);
    },
    async latestAttempt(deliveryId: string): Promise<DeliveryAttempt | undefined> {
      const doc = await Attempt.findOne({ deliveryId }).sort({ attemptNo: -1 }).lean<AttemptLean>();
      return doc ? toAttempt(doc) : undefined;
    },
    async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
      return (await Attempt.find({ deliveryId }).sort({ attemptNo: 1 }).lean<AttemptLean[]>()).map(toAttempt);
    },
    /** Claims attempt N by inserting it; false when another instance holds that number. */
    async claim(
      deliveryId: string,
      attemptNo: number,
      owner: string,
      now: Date,
      leaseMs: number,
    ): Promise<DeliveryAttempt | undefined> {
      try {
        const doc = await Attempt.create({
          deliveryId,
          attemptNo,
          owner,
          startedAt: now,
          leaseUntil: new Date(now.getTime() + leaseMs),
          finishedAt: null,
          ok: null,
          error: null,
        });
        return toAttempt(doc.toObject());
      } catch (err) {
        if (isDuplicateKey(err)) return undefined;
        throw err;
      }
    },
    /** Only the claim's winner writes these, so plain updates are enough. */
    async finishAttempt(attemptId: string, ok: boolean, error: string | null, now: Date): Promise<void> {
      await Attempt.updateOne({ _id: attemptId }, { $set: { finishedAt: now, ok, error } });
    },
    async record(deliveryId: string, set: Partial<Omit<WeeklyDelivery, 'id'>>): Promise<void> {
      await Delivery.updateOne({ _id: deliveryId }, { $set: set });
    },
  };
}
