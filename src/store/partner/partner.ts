import mongoose, { Schema, type Connection } from 'mongoose';
import { batchedReads } from '../batched-reads';
import { isDuplicateKey } from '../duplicate-key';
import {
  newInviteCode,
  PARTNER_KINDS,
  partnerNameKey,
  type Partner,
  type PartnerKind,
} from '../../domain/partner/partner';
import type { PartnerRepository } from '../../domain/partner/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

interface PartnerDoc {
  _id: mongoose.Types.ObjectId;
  name: string;
  kind: PartnerKind;
  inviteCode: string;
  active: boolean;
  createdAt: Date;
  revokedAt?: Date;
  newsPushes?: boolean;
  contactName?: string | null;
  contactPhone?: string | null;
}

const schema = new Schema<PartnerDoc>(
  {
    name: { type: String, required: true, maxlength: 100 },
    kind: { type: String, required: true, enum: PARTNER_KINDS },
    inviteCode: { type: String, required: true },
    active: { type: Boolean, required: true, default: true },
    createdAt: { type: Date, required: true },
    revokedAt: Date,
    newsPushes: { type: Boolean },
    contactName: { type: String, maxlength: 40 },
    contactPhone: { type: String, maxlength: 20 },
  },
  { collection: 'partners', versionKey: false },
);
schema.index({ inviteCode: 1 }, { unique: true }); // linking looks partners up by code

/**
 * A partner's name, normalized, claimed once: the console's "add" inserts here first, so two
 * admins adding the same institution at once create it once (only a unique insert is atomic).
 */
const nameSchema = new Schema<{ _id: string; partnerId: string | null; at: Date }>(
  {
    _id: { type: String, required: true },
    partnerId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'partner_names', versionKey: false },
);

const toPartner = (d: PartnerDoc): Partner => ({
  id: d._id.toHexString(),
  name: d.name,
  kind: d.kind,
  inviteCode: d.inviteCode,
  active: d.active,
  createdAt: d.createdAt,
  revokedAt: d.revokedAt,
  newsPushes: d.newsPushes !== false,
  contactName: d.contactName ?? null,
  contactPhone: d.contactPhone ?? null,
});

export function partnerRepository(conn: Connection): PartnerRepository & CreatesItsIndexes {
  const Model = conn.models.Partner ?? conn.model<PartnerDoc>('Partner', schema);
  // every filing reads its partner (still active?): filings at once share the read
  const readById = batchedReads(
    Model.collection as unknown as mongoose.mongo.Collection<PartnerDoc & { _id: unknown }>,
    (id: string) => new mongoose.Types.ObjectId(id),
  );
  const Names = conn.models.PartnerName ?? conn.model('PartnerName', nameSchema);
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    /**
     * Creates a partner unless one of the same name exists: the name claim (a unique _id insert)
     * decides between simultaneous adds; partners made before claims existed are found by name.
     */
    async createUnique(input: { name: string; kind: PartnerKind; now: Date }): Promise<Partner | 'taken'> {
      const key = partnerNameKey(input.name);
      const existing = (await Model.find({}, { name: 1 }).lean<{ name: string }[]>()).some(
        (p) => partnerNameKey(p.name) === key,
      );
      if (existing) return 'taken';
      try {
        await Names.create({ _id: key, partnerId: null, at: input.now });
      } catch (err) {
        if (isDuplicateKey(err)) return 'taken';
        throw err;
      }
      const partner = await this.create(input);
      await Names.updateOne({ _id: key }, { $set: { partnerId: partner.id } });
      return partner;
    },
    async create(input: { name: string; kind: PartnerKind; now: Date }): Promise<Partner> {
      for (let attempt = 0; ; attempt++) {
        try {
          const doc = await Model.create({ ...input, createdAt: input.now, inviteCode: newInviteCode(), active: true });
          return toPartner(doc.toObject());
        } catch (err) {
          if (!isDuplicateKey(err) || attempt > 5) throw err;
        }
      }
    },
    async list(): Promise<Partner[]> {
      return (await Model.find().sort({ createdAt: 1 }).lean<PartnerDoc[]>()).map(toPartner);
    },
    async byId(id: string): Promise<Partner | undefined> {
      if (!mongoose.isValidObjectId(id)) return undefined;
      const doc = await readById(id);
      return doc ? toPartner(doc) : undefined;
    },
    /** The partner holding an invite code, revoked or not (whether it may file is the domain's partnerMayFile). */
    async byInviteCode(code: string): Promise<Partner | undefined> {
      const doc = await Model.findOne({ inviteCode: code }).lean<PartnerDoc>();
      return doc ? toPartner(doc) : undefined;
    },
    /** The partner admin's switch for news pushes to its workers (a plain overwrite: the latest choice wins). */
    async setNewsPushes(id: string, on: boolean): Promise<Partner | undefined> {
      if (!mongoose.isValidObjectId(id)) return undefined;
      await Model.updateOne({ _id: id }, { $set: { newsPushes: on } });
      return this.byId(id);
    },
    /**
     * A new invite code for a partner: the old one stops linking at once (linking looks partners
     * up by code; reporters already linked stay linked). Retried on the rare equal code.
     */
    async newInviteCode(id: string): Promise<Partner | undefined> {
      if (!mongoose.isValidObjectId(id)) return undefined;
      for (let attempt = 0; ; attempt++) {
        try {
          const doc = await Model.findOneAndUpdate(
            { _id: id, active: true },
            { $set: { inviteCode: newInviteCode() } },
            { new: true },
          ).lean<PartnerDoc>();
          return doc ? toPartner(doc) : undefined;
        } catch (err) {
          if (!isDuplicateKey(err) || attempt > 5) throw err;
        }
      }
    },
    /**
     * Renames a partner unless another holds the name: the new name is claimed (a unique insert)
     * before the partner takes it, so two renames to one name at once cannot both pass. The old
     * name's claim is released for reuse. Reports keep the name they were filed under.
     */
    async rename(id: string, name: string, now: Date): Promise<Partner | 'taken' | undefined> {
      const before = await this.byId(id);
      if (!before) return undefined;
      const key = partnerNameKey(name);
      const oldKey = partnerNameKey(before.name);
      if (key !== oldKey) {
        const others = await Model.find({ _id: { $ne: before.id } }, { name: 1 }).lean<{ name: string }[]>();
        if (others.some((p) => partnerNameKey(p.name) === key)) return 'taken';
        try {
          await Names.create({ _id: key, partnerId: before.id, at: now });
        } catch (err) {
          if (isDuplicateKey(err)) return 'taken';
          throw err;
        }
        await Names.deleteOne({ _id: oldKey, partnerId: before.id });
      }
      await Model.updateOne({ _id: before.id }, { $set: { name } });
      return this.byId(id);
    },
    /** The contact person and phone (a plain overwrite: the admin's latest entry wins). */
    async setContact(id: string, contact: { name: string | null; phone: string | null }): Promise<Partner | undefined> {
      if (!mongoose.isValidObjectId(id)) return undefined;
      await Model.updateOne({ _id: id }, { $set: { contactName: contact.name, contactPhone: contact.phone } });
      return this.byId(id);
    },
    async revoke(id: string, now: Date): Promise<Partner | undefined> {
      if (!mongoose.isValidObjectId(id)) return undefined;
      const doc = await Model.findOneAndUpdate(
        { _id: id },
        { $set: { active: false, revokedAt: now } },
        { new: true },
      ).lean<PartnerDoc>();
      return doc ? toPartner(doc) : undefined;
    },
  };
}
