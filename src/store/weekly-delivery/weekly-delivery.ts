import mongoose, { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';

/** Where a delivery goes. `kakao` (the chatbot Event API) carries only reporters' news, never a staff alert or list. */
export const TARGET_KINDS = ['slack', 'telegram', 'email', 'webhook', 'kakao'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
/** The targets a dong center or the call center can have. */
export const STAFF_TARGET_KINDS = ['slack', 'telegram', 'email', 'webhook'] as const satisfies readonly TargetKind[];
export type StaffTargetKind = (typeof STAFF_TARGET_KINDS)[number];

/** The record of one weekly list going to one target of one dong center. */
export interface WeeklyDelivery {
  id: string;
  district: string;
  week: string;
  dongCode: string;
  target: TargetKind;
  /** Where it went: a Slack channel id, a Telegram chat id, or e-mail addresses. */
  address: string;
  /** "scheduled" (one per week, dong and target) or "manual:<time>" for a forced resend. */
  run: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  /** When a failed delivery is tried again; null once sent or given up. */
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/** One try at a delivery. Inserting attempt N is the claim: the unique key lets one instance win it. */
export interface DeliveryAttempt {
  id: string;
  deliveryId: string;
  attemptNo: number;
  owner: string;
  startedAt: Date;
  /** After this, the attempt is presumed lost with its instance and the next one may be claimed. */
  leaseUntil: Date;
  finishedAt: Date | null;
  ok: boolean | null;
  error: string | null;
}

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


const toDelivery = ({ _id, ...d }: DeliveryDoc & { _id: mongoose.Types.ObjectId }): WeeklyDelivery => ({ id: _id.toHexString(), ...d });
const toAttempt = ({ _id, deliveryId, ...a }: AttemptDoc & { _id: mongoose.Types.ObjectId }): DeliveryAttempt => ({
  id: _id.toHexString(),
  deliveryId: deliveryId.toHexString(),
  ...a,
});

export type DeliveryKey = Pick<WeeklyDelivery, 'district' | 'week' | 'dongCode' | 'target' | 'run'>;

export function weeklyDeliveryRepository(conn: Connection) {
  const Delivery = conn.models.WeeklyDelivery ?? conn.model<DeliveryDoc>('WeeklyDelivery', deliverySchema);
  const Attempt = conn.models.WeeklyDeliveryAttempt ?? conn.model<AttemptDoc>('WeeklyDeliveryAttempt', attemptSchema);
  type DeliveryLean = DeliveryDoc & { _id: mongoose.Types.ObjectId };
  type AttemptLean = AttemptDoc & { _id: mongoose.Types.ObjectId };

  return {
    model: Delivery,
    attemptModel: Attempt,
    /** The indexes both collections declare (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Delivery.createIndexes();
      await Attempt.createIndexes();
    },
    /** The delivery for a key, created if no instance has yet (insert first; a duplicate means it exists). */
    async ensure(key: DeliveryKey, address: string, now: Date): Promise<WeeklyDelivery> {
      try {
        const doc = await Delivery.create({ ...key, address, status: 'pending', attempts: 0, lastError: null, lastAttemptAt: null, sentAt: null, nextAttemptAt: null, createdAt: now });
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
      return (await Delivery.find({ district, week }).sort({ dongCode: 1, target: 1, createdAt: 1 }).lean<DeliveryLean[]>()).map(toDelivery);
    },
    /** The records of a "week" created since a time (alerts: the recent ones, for the sweep and the log). */
    async recentOfWeek(district: string, week: string, since: Date): Promise<WeeklyDelivery[]> {
      return (await Delivery.find({ district, week, createdAt: { $gte: since } }).sort({ createdAt: -1 }).lean<DeliveryLean[]>()).map(toDelivery);
    },
    /** Failed deliveries whose back-off has run out. */
    async dueRetries(district: string, now: Date): Promise<WeeklyDelivery[]> {
      return (await Delivery.find({ district, status: 'failed', nextAttemptAt: { $lte: now } }).lean<DeliveryLean[]>()).map(toDelivery);
    },
    async latestAttempt(deliveryId: string): Promise<DeliveryAttempt | undefined> {
      const doc = await Attempt.findOne({ deliveryId }).sort({ attemptNo: -1 }).lean<AttemptLean>();
      return doc ? toAttempt(doc) : undefined;
    },
    async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
      return (await Attempt.find({ deliveryId }).sort({ attemptNo: 1 }).lean<AttemptLean[]>()).map(toAttempt);
    },
    /** Claims attempt N by inserting it; false when another instance holds that number. */
    async claim(deliveryId: string, attemptNo: number, owner: string, now: Date, leaseMs: number): Promise<DeliveryAttempt | undefined> {
      try {
        const doc = await Attempt.create({ deliveryId, attemptNo, owner, startedAt: now, leaseUntil: new Date(now.getTime() + leaseMs), finishedAt: null, ok: null, error: null });
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
export type WeeklyDeliveryRepository = ReturnType<typeof weeklyDeliveryRepository>;
