import { type Connection, mongo } from 'mongoose';
import type { TakeBackup } from '../../domain/backup/backup-run';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, backupWriter, type BackupManifest } from './backup-file';

const { BSON } = mongo;

/**
 * Collections that are rebuilt from the others at restore, so they are not copied: the open
 * reports' copies (from the working set and the claims) with their change tokens (a reconcile sets
 * new ones), and the access chain's head cache (from the last access record).
 */
export const DERIVED_COLLECTIONS = ['reports_open', 'open_copy_tokens', 'access_chain_tail'] as const;

/** Claims older than this may be pruned (see revision-log.ts); a backup must finish within it. */
const CLAIM_KEEP_MS = 3_600_000;

/**
 * The order collections are read in, which is what makes a copy taken while the service runs
 * consistent without transactions (FerretDB has none):
 * - the report collections first, working set before archive, and every revision log
 *   (`*_revisions*`) after them. A report is one document holding its history, and every change
 *   after filing is a whole new revision claimed in `report_revisions` before any copy moves; a
 *   report that changed or moved between the archive and the working set while they were read is
 *   therefore in the claims, read last, and restore rolls it forward to its newest claim. Each
 *   report comes back as one whole revision: never without its history, never half an action.
 * - the receipt counters after the reports, so the restored counter is past every restored receipt.
 * - the access records last of all, in sequence order; a record seen missing between two others
 *   (a batch being inserted) is read again by its number once the scan is over.
 */
function readOrder(names: string[]): string[] {
  const rank = (n: string) =>
    n === 'reports'
      ? 0
      : n === 'reports_archive'
        ? 1
        : n.includes('_revisions')
          ? 3
          : n === 'counters'
            ? 4
            : n === 'access_records'
              ? 5
              : 2;
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface BackupResult {
  path: string;
  bytes: number;
  payloadSha256: string;
  manifest: BackupManifest;
}

/**
 * A logical copy of the whole database through the driver (so the same command backs up the
 * embedded FerretDB and a MongoDB replica set) into one gzip file with a manifest.
 */
/** The backup of the database behind `conn`, as the daily job takes it (it never sees the connection). */
export const backupTaker =
  (conn: Connection): TakeBackup =>
  (path, opts) =>
    takeBackup(conn, path, opts);

export async function takeBackup(
  conn: Connection,
  path: string,
  opts: { sagakVersion: string; now?: () => Date },
): Promise<BackupResult> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now();
  const db = conn.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.') && !(DERIVED_COLLECTIONS as readonly string[]).includes(n));
  const writer = backupWriter(path, { sagakVersion: opts.sagakVersion, startedAt });
  const counts: Record<string, number> = {};
  let accessRecords: BackupManifest['accessRecords'] = { first: null, last: null, headHash: null, gaps: [] };
  const notes: string[] = [];
  try {
    for (const name of readOrder(names)) {
      const n = writer.collection(name);
      const collection = db.collection(name);
      let count = 0;
      if (name === 'access_records') {
        accessRecords = await copyAccessRecords(collection, async (raw) => {
          await writer.document(n, raw);
          count++;
        });
        if (accessRecords.gaps.length)
          notes.push(`access records missing in the source: #${accessRecords.gaps.slice(0, 10).join(', #')}`);
      } else {
        const cursor = collection.find({}, { raw: true, batchSize: 1000, timeoutMS: 60 * 60_000 } as mongo.FindOptions);
        for await (const raw of cursor as AsyncIterable<unknown>) {
          await writer.document(n, raw as Uint8Array);
          count++;
        }
      }
      counts[name] = count;
    }
    const finishedAt = now();
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    // A claim older than its keep time may have been pruned after its report's copies were read.
    if (durationMs > CLAIM_KEEP_MS)
      throw new Error(
        `the backup took ${Math.round(durationMs / 60_000)} minutes, longer than the revision claims are kept (60): it may miss a change made while it ran; run it at a quieter time`,
      );
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      sagakVersion: opts.sagakVersion,
      database: db.databaseName,
      startedAt,
      finishedAt,
      durationMs,
      collections: counts,
      accessRecords,
      notes,
    };
    const written = await writer.finish(manifest);
    return { path, bytes: written.bytes, payloadSha256: written.payloadSha256, manifest };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

interface AccessDoc {
  _id: number;
  hash: string;
}

/**
 * The access records in sequence order. An ordered batch insert of records can be under way
 * while the scan passes, so a number missing between two present ones is asked for again by `_id`
 * when the scan reaches the gap (by then the batch is in); one still missing is a gap in the
 * source itself, named in the manifest, and `access verify` after restore reports it as it would
 * before.
 */
async function copyAccessRecords(
  collection: mongo.Collection,
  write: (raw: Uint8Array) => Promise<void>,
): Promise<BackupManifest['accessRecords']> {
  const idOf = (raw: Uint8Array) => (BSON.deserialize(raw) as AccessDoc)._id;
  let first: number | null = null;
  let last: Uint8Array | undefined;
  const gaps: number[] = [];
  const cursor = collection.find({}, {
    raw: true,
    sort: { _id: 1 },
    batchSize: 1000,
    timeoutMS: 60 * 60_000,
  } as mongo.FindOptions);
  for await (const raw of cursor as AsyncIterable<Uint8Array>) {
    const seq = idOf(raw);
    if (last) {
      const before = idOf(last);
      // a batch in flight is at most a hundred records; a longer run is a hole in the source
      if (seq - before > 101) gaps.push(before + 1);
      else
        for (let missing = before + 1; missing < seq; missing++) {
          const again = (await collection.findOne(
            { _id: missing } as never,
            { raw: true } as mongo.FindOptions,
          )) as unknown as Uint8Array | null;
          if (again) await write(again);
          else gaps.push(missing);
        }
    }
    first ??= seq;
    await write(raw);
    last = raw;
  }
  const head = last ? (BSON.deserialize(last) as AccessDoc) : undefined;
  return { first, last: head?._id ?? null, headHash: head?.hash ?? null, gaps };
}
