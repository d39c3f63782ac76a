import { type Connection, mongo } from 'mongoose';
import type { Report } from '../../domain/report/report';
import { reportModels, reportSchema, type ReportDoc } from './report-schema';
import { packCopy } from './packed-copies';
import { forgetOpenCopyTokens } from './open-copies-cache';
import { fromStored } from './stored-form';
import { BATCH_READ_MS } from '../batch-read';

/**
 * For tests only: the report store's raw stored forms, read straight from the collections
 * (nothing else outside src/store sees a model or a collection). Each is returned as a plain
 * `Report` so a test compares it with what the repository returns.
 */
export type StoredIn = 'working' | 'archive' | 'open' | 'closed';

const collectionOf = (
  conn: Connection,
  where: StoredIn | 'claims' | 'receipts',
): mongo.Collection<Record<string, unknown>> =>
  conn.collection(
    {
      working: 'reports',
      archive: 'reports_archive',
      open: 'reports_open',
      closed: 'reports_closed',
      claims: 'report_revisions',
      receipts: 'report_receipts',
    }[where],
  ) as unknown as mongo.Collection<Record<string, unknown>>;

/** A packed copy (open or closed) unpacked (see open-copies.ts); a copy without `view` is one from before copies were packed. */
const unpack = (copy: Record<string, unknown>): ReportDoc | undefined =>
  copy.view === undefined ? undefined : (mongo.BSON.deserialize((copy.view as mongo.Binary).buffer) as ReportDoc);

/** Every stored form of one report: the working set's, the archive's, the open and closed copies, and each claimed revision's value (oldest first). */
export async function storedForms(
  conn: Connection,
  id: string,
): Promise<{ working?: Report; archive?: Report; open?: Report; closed?: Report; claims: Report[] }> {
  const [working, archive, open, closed, claims] = await Promise.all([
    collectionOf(conn, 'working').findOne({ _id: id as never }),
    collectionOf(conn, 'archive').findOne({ _id: id as never }),
    collectionOf(conn, 'open').findOne({ _id: id as never }),
    collectionOf(conn, 'closed').findOne({ _id: id as never }),
    collectionOf(conn, 'claims').find({ key: id }).toArray(),
  ]);
  const packed = open ? unpack(open) : undefined;
  const packedClosed = closed ? unpack(closed) : undefined;
  return {
    ...(working ? { working: fromStored(working as unknown as ReportDoc) } : {}),
    ...(archive ? { archive: fromStored(archive as unknown as ReportDoc) } : {}),
    ...(packed ? { open: fromStored(packed) } : {}),
    ...(packedClosed ? { closed: fromStored(packedClosed) } : {}),
    claims: claims.sort((a, b) => (a.rev as number) - (b.rev as number)).map((c) => fromStored(c.value as ReportDoc)),
  };
}

/** How many reports one collection holds (matching `filter`, a query on the stored form; the open copies count all). */
export async function storedCount(
  conn: Connection,
  where: StoredIn,
  filter: Record<string, unknown> = {},
): Promise<number> {
  return collectionOf(conn, where).countDocuments(filter, { timeoutMS: BATCH_READ_MS });
}

/** Every report one collection holds, as stored there. */
export async function storedReports(conn: Connection, where: 'working' | 'archive'): Promise<Report[]> {
  return (await collectionOf(conn, where).find({}, { timeoutMS: BATCH_READ_MS }).toArray()).map((d) =>
    fromStored(d as unknown as ReportDoc),
  );
}

/** Whether a report has a copy in a collection. */
export async function isStoredIn(conn: Connection, where: StoredIn, id: string): Promise<boolean> {
  return (await collectionOf(conn, where).findOne({ _id: id as never }, { projection: { _id: 1 } })) !== null;
}

/**
 * Writes a document as it is, past the one conversion: a report as an earlier version stored it
 * (a field missing, or an open copy not yet packed). Only tests of old data use it.
 */
export async function putRawForm(
  conn: Connection,
  where: StoredIn,
  doc: Record<string, unknown> & { _id: string },
): Promise<void> {
  await collectionOf(conn, where).insertOne(doc as never);
  if (where === 'open' || where === 'closed') await forgetOpenCopyTokens(conn); // past the store: every instance's cached copies reload
}

/** Removes one report's copy from a collection (a copy lost in a crash). */
export async function removeStoredForm(conn: Connection, where: StoredIn, id: string): Promise<void> {
  await collectionOf(conn, where).deleteOne({ _id: id as never });
  if (where === 'open' || where === 'closed') await forgetOpenCopyTokens(conn);
}

/** Empties the working set and its copies (a test that starts from no reports). */
export async function clearWorkingSet(conn: Connection): Promise<void> {
  await collectionOf(conn, 'working').deleteMany({});
  await collectionOf(conn, 'open').deleteMany({});
  await collectionOf(conn, 'closed').deleteMany({});
  await forgetOpenCopyTokens(conn);
}

/** The stored form's indexes, each as its keys in order. */
export const reportIndexKeys = (): string[][] => reportSchema.indexes().map(([keys]) => Object.keys(keys));

/** The server's plan for a query of the working set (MongoDB's `winningPlan`, FerretDB's own). */
export async function explainWorkingSet(conn: Connection, filter: Record<string, unknown>): Promise<unknown> {
  return reportModels(conn).Hot.find(filter).explain();
}

/** The stored form's top-level fields (`_id` stands for the report's `id`). */
export const storedFieldNames = (): string[] =>
  [...new Set(Object.keys(reportSchema.paths).map((p) => p.split('.')[0]!))].sort();

/** Writes an open copy of `report` as it is (packed as the store packs it), e.g. one that a crash left stale. */
export async function putOpenCopy(conn: Connection, report: Report): Promise<void> {
  const { id, rev, ...rest } = report;
  await collectionOf(conn, 'open').insertOne(packCopy({ ...rest, _id: id, rev: rev ?? 1 }) as never);
  await forgetOpenCopyTokens(conn);
}

/** The receipt index's entry for a receipt number (see receipt-index.ts), or null. */
export async function receiptIndexEntry(
  conn: Connection,
  district: string,
  receiptNo: string,
): Promise<Record<string, unknown> | null> {
  return collectionOf(conn, 'receipts').findOne({ _id: `${district}:${receiptNo}` as never });
}

/** Empties the receipt index (as a restore without it, or an installation from before it, would have it). */
export async function clearReceiptIndex(conn: Connection): Promise<void> {
  await collectionOf(conn, 'receipts').deleteMany({});
}
