import { Error as MongooseError, type Model } from 'mongoose';
import type { Report } from '../../domain/report/report';
import { ReportStoreError, ReportStoreErrorCode } from '../../domain/report/report-store-error';
import type { ReportDoc } from './report-schema';

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Plain objects and arrays without their undefined values: every collection then stores the same keys. */
function withoutUndefined<T>(v: T): T {
  if (Array.isArray(v)) return v.map(withoutUndefined) as T;
  if (!isPlain(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, withoutUndefined(x)])) as T;
}

/** The first path set in `given` that `stored` lacks (mongoose drops, rather than refuses, some unknown fields, e.g. in a history entry). */
function droppedPath(given: unknown, stored: unknown, at: string): string | undefined {
  if (Array.isArray(given)) {
    if (!Array.isArray(stored)) return at;
    for (const [i, g] of given.entries()) {
      const lost = droppedPath(g, stored[i], `${at}.${i}`);
      if (lost) return lost;
    }
    return undefined;
  }
  if (!isPlain(given)) return undefined;
  if (!isPlain(stored)) return at;
  for (const [k, g] of Object.entries(given)) {
    if (g === undefined) continue;
    const path = at ? `${at}.${k}` : k;
    if (!(k in stored)) return path;
    const lost = droppedPath(g, stored[k], path);
    if (lost) return lost;
  }
  return undefined;
}

/**
 * The one conversion from the domain's `Report` to its stored form, used for every collection
 * that holds a report (working set, archive, revision claim, open copy): cast by the report schema
 * (report-schema.ts), its defaults applied, so every collection holds the same document. A field
 * the schema does not know throws `ReportStoreError` (UnknownField) before anything is written,
 * instead of the working set dropping it while the claims and the open copies keep it.
 */
export function toStored(model: Model<ReportDoc>, report: Omit<Report, 'id'> & { id?: string }): ReportDoc {
  const { id, rev, ...rest } = report;
  let cast: InstanceType<Model<ReportDoc>>;
  try {
    cast = new model({ ...rest, _id: id ?? report.submissionId, rev: rev ?? 1 });
  } catch (err) {
    if (err instanceof MongooseError.StrictModeError) throw new ReportStoreError(ReportStoreErrorCode.UnknownField, `a report field the store does not know: ${err.path}`);
    throw err;
  }
  const stored = withoutUndefined(cast.toObject({ versionKey: false, minimize: false, depopulate: true, flattenMaps: true }) as ReportDoc);
  const lost = droppedPath(rest, stored, '');
  if (lost) throw new ReportStoreError(ReportStoreErrorCode.UnknownField, `a report field the store does not know: ${lost}`);
  return stored;
}

/** A stored form read back (from any collection) as the domain's `Report`. */
export const fromStored = (d: ReportDoc): Report => {
  const { _id, rev, ...rest } = d;
  return { id: _id, rev, ...rest } as Report;
};
