import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey, upsertById } from '../duplicate-key';
import {
  DEFAULT_ON_CALL_HOURS,
  type OnCallSetup,
  type OnCallTarget,
  type PendingUrgent,
  type UrgentStep,
} from '../../domain/urgent/on-call';
import type { OnCallRepository } from '../../domain/urgent/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

const targetSchema = new Schema<OnCallTarget>(
  {
    kind: { type: String, required: true },
    address: { type: String, required: true },
    privacy: { type: String, enum: ['full', 'minimal'] },
  },
  { _id: false },
);

const setupSchema = new Schema<OnCallSetup & { _id: string }>(
  {
    _id: { type: String, required: true },
    district: { type: String, required: true },
    hours: { type: Schema.Types.Mixed, required: true },
    chain: { type: [targetSchema], default: [] },
    privacy: { type: String, enum: ['full', 'minimal'], default: 'minimal' },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'on_call_setup', versionKey: false, minimize: false },
);

const pendingSchema = new Schema<Omit<PendingUrgent, 'id'> & { _id: string }>(
  {
    _id: { type: String, required: true },
    district: { type: String, required: true },
    receiptNo: { type: String, required: true },
    reportId: { type: String, required: true },
    openedAt: { type: Date, required: true },
    route: { type: String, enum: ['on_call', 'call_center'], default: 'on_call' },
    step: { type: Number, required: true },
    stepAt: { type: Date, required: true },
    dueAt: { type: Date, default: null },
    sent: { type: Schema.Types.Mixed, default: [] },
  },
  { collection: 'urgent_pending', versionKey: false, minimize: false },
);

const stepSchema = new Schema<UrgentStep & { _id: string }>(
  {
    _id: { type: String, required: true },
    district: { type: String, required: true },
    receiptNo: { type: String, required: true },
    step: { type: Number, required: true },
    kind: { type: String, enum: ['alert', 'ack'], required: true },
    at: { type: Date, required: true },
    by: { type: String, default: null },
    targets: { type: [targetSchema], default: [] },
  },
  { collection: 'urgent_steps', versionKey: false, minimize: false },
);
// no secondary indexes: every document is read by its _id (the claim's key is the _id itself)

const pendingId = (district: string, receiptNo: string) => `${district}:${receiptNo}`;
const stepId = (district: string, receiptNo: string, step: number) => `${district}:${receiptNo}:${step}`;

export function onCallRepository(conn: Connection): OnCallRepository & CreatesItsIndexes {
  const Setup = conn.models.OnCallSetup ?? conn.model('OnCallSetup', setupSchema);
  const Pending = conn.models.UrgentPending ?? conn.model('UrgentPending', pendingSchema);
  const Step = conn.models.UrgentStep ?? conn.model('UrgentStep', stepSchema);
  type Lean<T> = T & { _id: string };
  const toPending = ({ _id, ...p }: Lean<Omit<PendingUrgent, 'id'>>): PendingUrgent => ({
    id: _id,
    ...p,
    route: p.route ?? 'on_call',
    sent: p.sent ?? [],
  });
  const toStep = ({ _id: _ignored, ...s }: Lean<UrgentStep>): UrgentStep => ({
    ...s,
    targets: (s.targets ?? []).map((t) => ({
      kind: t.kind,
      address: t.address,
      ...(t.privacy ? { privacy: t.privacy } : {}),
    })),
  });

  return {
    /** Every document is found by its _id; the _id index is the only one. */
    async ensureIndexes() {
      await Setup.createIndexes();
      await Pending.createIndexes();
      await Step.createIndexes();
    },
    /** The district's on-call setup; without one, no on-call route (an empty chain) and the default hours. */
    async setup(district: string): Promise<OnCallSetup> {
      const doc = await Setup.findById(district).lean<Lean<OnCallSetup>>();
      if (!doc)
        return { district, hours: { ...DEFAULT_ON_CALL_HOURS }, chain: [], privacy: 'minimal', updatedAt: new Date(0) };
      return {
        district,
        hours: { ...DEFAULT_ON_CALL_HOURS, ...doc.hours },
        chain: (doc.chain ?? []).map((t) => ({ kind: t.kind, address: t.address })),
        privacy: doc.privacy ?? 'minimal',
        updatedAt: doc.updatedAt,
      };
    },
    /** Set by an admin (console or CLI); two admins at once: the last one wins, as with the other targets. */
    async saveSetup(
      district: string,
      patch: Partial<Pick<OnCallSetup, 'hours' | 'chain' | 'privacy'>>,
      now: Date,
    ): Promise<OnCallSetup> {
      const current = await this.setup(district);
      const next = {
        district,
        hours: patch.hours ?? current.hours,
        chain: patch.chain ?? current.chain,
        privacy: patch.privacy ?? current.privacy,
        updatedAt: now,
      };
      await upsertById(Setup, district, next);
      return this.setup(district);
    },
    /** Claims a step by inserting it; false when it is taken (by an escalation or a 확인). */
    async claimStep(s: UrgentStep): Promise<boolean> {
      try {
        await Step.create({ _id: stepId(s.district, s.receiptNo, s.step), ...s });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async stepOf(district: string, receiptNo: string, step: number): Promise<UrgentStep | undefined> {
      const doc = await Step.findById(stepId(district, receiptNo, step)).lean<Lean<UrgentStep>>();
      return doc ? toStep(doc) : undefined;
    },
    /** Opens the wait for a 확인 (an insert); false when it is open already (a repeated turn, another instance). */
    async openPending(p: Omit<PendingUrgent, 'id'>): Promise<boolean> {
      try {
        await Pending.create({ _id: pendingId(p.district, p.receiptNo), ...p });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return false;
      }
    },
    /** Every alert of the district waiting for its 확인 (a handful). */
    async pending(district: string): Promise<PendingUrgent[]> {
      return (await Pending.find({ district }).lean<Lean<Omit<PendingUrgent, 'id'>>[]>())
        .map(toPending)
        .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
    },
    async pendingOf(district: string, receiptNo: string): Promise<PendingUrgent | undefined> {
      const doc = await Pending.findById(pendingId(district, receiptNo)).lean<Lean<Omit<PendingUrgent, 'id'>>>();
      return doc ? toPending(doc) : undefined;
    },
    /** Written by a step's winner only; a removed (acknowledged) wait stays removed. */
    async advancePending(id: string, set: Pick<PendingUrgent, 'step' | 'stepAt' | 'dueAt' | 'sent'>): Promise<void> {
      await Pending.updateOne({ _id: id }, { $set: set });
    },
    async closePending(id: string): Promise<void> {
      await Pending.deleteOne({ _id: id });
    },
    /** Ends a report's wait without a 확인 (its case was closed): a delete by _id, nothing read. */
    async endWait(district: string, receiptNo: string): Promise<void> {
      await Pending.deleteOne({ _id: pendingId(district, receiptNo) });
    },
  };
}
