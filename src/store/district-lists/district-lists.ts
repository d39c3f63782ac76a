import { Schema, type Connection } from 'mongoose';
import type { DistrictLists, DistrictListsRepository, StoredLists } from '../../domain/district-lists';
import type { CreatesItsIndexes } from '../../domain/stored';
import { isDuplicateKey } from '../duplicate-key';

interface ListsDoc extends StoredLists {
  /** `<district>:<version>`: a version is taken by exactly one insert. */
  _id: string;
  district: string;
}

const item = new Schema({ code: String, label: String, labelEn: String, active: Boolean }, { _id: false });
const schema = new Schema<ListsDoc>(
  {
    _id: { type: String, required: true },
    district: { type: String, required: true },
    version: { type: Number, required: true },
    lists: {
      signs: { type: [item], required: true },
      services: { type: [item], required: true },
      followUpCadenceDays: { high: Number, medium: Number, low: Number, none: Number },
    },
    savedBy: { type: String, required: true },
    savedAt: { type: Date, required: true },
  },
  { collection: 'district_lists', versionKey: false },
);
schema.index({ district: 1, version: -1 }); // the latest version; every edit is kept (a small collection)

/** Every saved version of a district's lists (signs, services, follow-up cadence). */
export function districtListsRepository(conn: Connection): DistrictListsRepository & CreatesItsIndexes {
  const Model = conn.models.DistrictLists ?? conn.model<ListsDoc>('DistrictLists', schema);
  return {
    async ensureIndexes(): Promise<void> {
      await Model.createIndexes();
    },
    async latest(district: string): Promise<StoredLists | undefined> {
      const d = await Model.findOne({ district }).sort({ version: -1 }).lean<ListsDoc>();
      if (!d) return undefined;
      const strip = (xs: DistrictLists['signs']) =>
        xs.map((x) => ({
          code: x.code,
          label: x.label,
          ...(x.labelEn !== undefined && x.labelEn !== null ? { labelEn: x.labelEn } : {}),
          active: x.active,
        }));
      const { high, medium, low, none } = d.lists.followUpCadenceDays;
      return {
        version: d.version,
        lists: {
          signs: strip(d.lists.signs),
          services: strip(d.lists.services),
          followUpCadenceDays: { high, medium, low, none },
        },
        savedBy: d.savedBy,
        savedAt: d.savedAt,
      };
    },
    async insert(district: string, stored: StoredLists): Promise<boolean> {
      try {
        await Model.create({ _id: `${district}:${stored.version}`, district, ...stored });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
  };
}
