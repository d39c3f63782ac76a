import { Schema, type Connection } from 'mongoose';
import { REMOVED_TEXT } from '../../domain/retention/anonymise';
import { isDuplicateKey } from '../duplicate-key';
import type { ListImport } from '../../domain/list-import/list-import';
import type { Mapping } from '../../domain/list-import/mapping';
import type { ListImportRepository } from '../../domain/list-import/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

type Doc = Omit<ListImport, 'id'> & { _id: string };

const schema = new Schema<Doc>(
  {
    _id: String,
    district: { type: String, required: true },
    contentHash: { type: String, required: true },
    fileName: String,
    fileSize: Number,
    format: String,
    encoding: { type: String, default: null },
    fileId: { type: String, default: null },
    fileChunks: { type: Number, default: 0 },
    partner: { id: String, name: String, kind: String },
    listName: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: String,
    headers: [String],
    mapping: { type: Schema.Types.Mixed, default: null },
    dongChoices: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, required: true },
    preview: { type: Schema.Types.Mixed, default: null },
    commit: { type: Schema.Types.Mixed, default: null },
    lockNo: { type: Number, default: 0 },
  },
  { collection: 'list_imports', versionKey: false, minimize: false, _id: false },
);
schema.index({ district: 1, createdAt: -1 }); // the console's list of imports

interface LockDoc {
  _id: string;
  importId: string;
  at: Date;
  until: Date;
  by: string;
}
const lockSchema = new Schema<LockDoc>(
  { _id: String, importId: String, at: Date, until: Date, by: String },
  { collection: 'list_import_locks', versionKey: false, _id: false },
);

interface MappingDoc {
  _id: string;
  mapping: Mapping;
  updatedAt: Date;
}
const mappingSchemaDoc = new Schema<MappingDoc>(
  { _id: String, mapping: Schema.Types.Mixed, updatedAt: Date },
  { collection: 'list_import_mappings', versionKey: false, _id: false },
);

const toImport = ({ _id, ...rest }: Doc): ListImport => ({ id: _id, ...rest, dongChoices: rest.dongChoices ?? {} });

/** List imports, their commit locks and the mapping remembered per source. */
export function listImportRepository(conn: Connection): ListImportRepository & CreatesItsIndexes {
  const Model = conn.models.ListImport ?? conn.model<Doc>('ListImport', schema);
  const Lock = conn.models.ListImportLock ?? conn.model<LockDoc>('ListImportLock', lockSchema);
  const Mappings = conn.models.ListImportMapping ?? conn.model<MappingDoc>('ListImportMapping', mappingSchemaDoc);
  return {
    async ensureIndexes(): Promise<void> {
      for (const m of [Model, Lock, Mappings]) await m.createIndexes();
    },
    /** Creates the import, or returns the one already made from the same file (same id). */
    async createOnce(input: ListImport): Promise<{ created: boolean; item: ListImport }> {
      const { id, ...rest } = input;
      try {
        await Model.create({ _id: id, ...rest });
        return { created: true, item: input };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await this.byId(id);
        if (!existing) throw err;
        return { created: false, item: existing };
      }
    },
    async byId(id: string): Promise<ListImport | undefined> {
      const doc = await Model.findById(id).lean<Doc>();
      return doc ? toImport(doc) : undefined;
    },
    async list(district: string, limit = 100): Promise<ListImport[]> {
      const docs = await Model.find({ district }, { preview: 0 }).sort({ createdAt: -1 }).limit(limit).lean<Doc[]>();
      return docs.map((d) => toImport({ ...d, preview: null }));
    },
    async update(id: string, set: Partial<Omit<ListImport, 'id'>>): Promise<void> {
      await Model.updateOne({ _id: id }, { $set: set });
    },
    /**
     * The commit lock: an insert of generation N+1 guarded by the unique _id (FerretDB's
     * conditional updates are not atomic). Taken when generation N is absent or its lease is over,
     * so a crashed commit can be resumed once its lease has run out.
     */
    async lock(item: ListImport, by: string, now: Date, leaseMs: number): Promise<{ no: number } | undefined> {
      const current = item.lockNo ? await Lock.findById(`${item.id}#${item.lockNo}`).lean<LockDoc>() : null;
      if (current && current.until > now) return undefined;
      const no = item.lockNo + 1;
      try {
        await Lock.create({
          _id: `${item.id}#${no}`,
          importId: item.id,
          at: now,
          until: new Date(now.getTime() + leaseMs),
          by,
        });
      } catch (err) {
        if (isDuplicateKey(err)) return undefined;
        throw err;
      }
      await Model.updateOne({ _id: item.id }, { $set: { lockNo: no } });
      return { no };
    },
    /** Renews generation `no`'s lease; false when a later generation exists (the lease ran out and another commit took over). */
    async extendLock(id: string, no: number, until: Date): Promise<boolean> {
      if (await Lock.exists({ _id: `${id}#${no + 1}` })) return false;
      await Lock.updateOne({ _id: `${id}#${no}` }, { $set: { until } });
      return true;
    },
    async releaseLock(id: string, no: number, now: Date): Promise<void> {
      await Lock.updateOne({ _id: `${id}#${no}` }, { $set: { until: now } });
    },
    /**
     * Removes the addresses a preview keeps of rows it could not place (the only personal data an
     * import holds besides its file), for imports created before `before`: with the file purged
     * the preview cannot be used again, and its counts and row numbers stay. Returns how many.
     */
    async scrubPreviews(before: Date): Promise<number> {
      const docs = await Model.find({ createdAt: { $lt: before }, preview: { $ne: null } }, { preview: 1 }).lean<
        Pick<Doc, '_id' | 'preview'>[]
      >();
      let scrubbed = 0;
      for (const d of docs) {
        const unresolved = d.preview?.unresolved ?? [];
        if (!unresolved.some((u) => u.address !== REMOVED_TEXT)) continue;
        await Model.updateOne(
          { _id: d._id },
          { $set: { 'preview.unresolved': unresolved.map((u) => ({ ...u, address: REMOVED_TEXT })) } },
        );
        scrubbed++;
      }
      return scrubbed;
    },
    async rememberedMapping(district: string, partnerId: string): Promise<Mapping | undefined> {
      const doc = await Mappings.findById(`${district}:${partnerId}`).lean<MappingDoc>();
      return doc?.mapping;
    },
    async rememberMapping(district: string, partnerId: string, mapping: Mapping, now: Date): Promise<void> {
      await Mappings.updateOne(
        { _id: `${district}:${partnerId}` },
        { $set: { mapping, updatedAt: now } },
        { upsert: true },
      );
    },
  };
}
