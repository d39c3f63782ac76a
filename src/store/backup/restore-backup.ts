import type { Connection, mongo } from 'mongoose';
import { readBackup, type BackupManifest } from './backup-file';
import { TargetNotEmptyError } from './errors';

const BATCH = 1000;

/** Collections holding at least one document, with their counts (for the refusal's message). */
async function nonEmpty(conn: Connection): Promise<Record<string, number>> {
  const db = conn.db!;
  const found: Record<string, number> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.startsWith('system.')) continue;
    if (await db.collection(name).findOne({})) found[name] = await db.collection(name).countDocuments({});
  }
  return found;
}

export interface RestoreResult {
  manifest: BackupManifest;
  restored: Record<string, number>;
}

/**
 * Restores a backup file into the connection's database. The whole file is read and its SHA-256
 * checked first, and the database's emptiness after that: a damaged file, or a database holding
 * data without `force`, is refused before anything is written. With `force` every collection of
 * the database is dropped first. `rebuild` runs last, to rebuild what the backup leaves out (the
 * open reports' copies, the access chain's head) and bring every report to its newest claim.
 */
export async function restoreBackup(
  conn: Connection,
  path: string,
  opts: { force: boolean; rebuild: () => Promise<void> },
): Promise<RestoreResult> {
  await readBackup(path); // verify only: throws BackupFileError, nothing written
  const existing = await nonEmpty(conn);
  if (Object.keys(existing).length && !opts.force) throw new TargetNotEmptyError(existing);
  const db = conn.db!;
  if (opts.force)
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray())
      if (!name.startsWith('system.')) await db.dropCollection(name);

  const names = new Map<number, string>();
  const restored: Record<string, number> = {};
  let batch: { name: string; docs: mongo.Document[] } | undefined;
  const flush = async () => {
    if (!batch?.docs.length) return;
    await db.collection(batch.name).insertMany(batch.docs, { ordered: true });
    restored[batch.name] = (restored[batch.name] ?? 0) + batch.docs.length;
    batch.docs = [];
  };
  const manifest = await readBackup(path, async (frame) => {
    if (frame.kind === 'collection') {
      await flush();
      names.set(frame.n, frame.name);
      batch = { name: frame.name, docs: [] };
      restored[frame.name] = 0;
      await db.createCollection(frame.name).catch(() => undefined); // an empty collection comes back too
    } else if (frame.kind === 'document') {
      if (names.get(frame.collection) !== batch?.name)
        throw new Error('backup file: a document outside its collection');
      batch!.docs.push(frame.doc);
      if (batch!.docs.length >= BATCH) await flush();
    }
  });
  await flush();
  await opts.rebuild();
  return { manifest, restored };
}
