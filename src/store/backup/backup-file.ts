import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { mongo } from 'mongoose';
import { z } from 'zod';
import { BackupFileError } from './errors';

/**
 * The backup file: a gzip stream of BSON frames, the format `mongodump` uses for a collection
 * (each BSON document starts with its own length, so frames need no separator).
 *
 *   header    {t: 'h', format: 'sagak-backup', formatVersion, sagakVersion, startedAt}
 *   section   {t: 'c', c: <n>, name: <collection>}          one per collection, before its documents
 *   document  {c: <n>, d: <the stored document, as stored>}
 *   manifest  {t: 'm', manifest: {...}, sha256: <hex>}       last: counts, times, and the SHA-256
 *                                                           of every frame's bytes before it
 *
 * Documents are copied as raw BSON (no decode and re-encode on the way out), so numbers keep their
 * BSON types and the access records' hashes are over exactly what was stored. A file cut short
 * has no manifest; a changed byte fails gzip's CRC or the SHA-256: both are refused before restore
 * writes anything.
 */
export const BACKUP_FORMAT = 'sagak-backup';
export const BACKUP_FORMAT_VERSION = 1;

const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int(),
  sagakVersion: z.string(),
  database: z.string(),
  startedAt: z.date(),
  finishedAt: z.date(),
  durationMs: z.number(),
  collections: z.record(z.string(), z.number().int().min(0)),
  accessRecords: z.object({
    first: z.number().nullable(),
    last: z.number().nullable(),
    headHash: z.string().nullable(),
    gaps: z.array(z.number()),
  }),
  notes: z.array(z.string()),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

const MAX_FRAME = 64 * 1024 * 1024; // MongoDB's documents are at most 16 MB; a larger length is a damaged file

/** A document frame built around the stored document's raw bytes: {c: int32, d: <document>}. */
function documentFrame(collection: number, raw: Uint8Array): Buffer {
  const size = 4 + (1 + 2 + 4) + (1 + 2 + raw.length) + 1;
  const frame = Buffer.allocUnsafe(size);
  let at = frame.writeInt32LE(size, 0);
  at = frame.writeUInt8(0x10, at); // int32 "c"
  at += frame.write('c\0', at, 'latin1');
  at = frame.writeInt32LE(collection, at);
  at = frame.writeUInt8(0x03, at); // embedded document "d"
  at += frame.write('d\0', at, 'latin1');
  frame.set(raw, at);
  frame.writeUInt8(0, at + raw.length);
  return frame;
}

export interface BackupWriter {
  collection(name: string): number;
  document(collection: number, raw: Uint8Array): Promise<void>;
  /** Writes the manifest, closes the file and moves it into place. Returns the file's SHA-256 too. */
  finish(manifest: BackupManifest): Promise<{ payloadSha256: string; bytes: number }>;
  abort(): Promise<void>;
}

/**
 * Writes to `<path>.partial` and renames at the end, so a backup that fails half way never
 * leaves a file that looks like a backup.
 */
export function backupWriter(path: string, header: { sagakVersion: string; startedAt: Date }): BackupWriter {
  const partial = `${path}.partial`;
  const gzip = createGzip({ level: 6 });
  const file = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  const done = new Promise<void>((resolve, reject) => {
    file.on('finish', resolve);
    file.on('error', reject);
    gzip.on('error', reject);
  });
  done.catch(() => undefined); // observed by finish/abort
  gzip.pipe(file);
  const hash = createHash('sha256');
  let sections = 0;
  // Writes at once; the returned promise (awaited by the caller before its next write) waits only
  // while gzip's buffer is full, so frames stay in order without a promise per document.
  let drained: Promise<void> = Promise.resolve();
  const put = (frame: Uint8Array, hashed = true): Promise<void> => {
    if (hashed) hash.update(frame);
    if (gzip.write(frame)) return drained;
    drained = once(gzip, 'drain').then(() => undefined);
    return drained;
  };
  const bson = (doc: Record<string, unknown>) => mongo.BSON.serialize(doc);
  void put(bson({ t: 'h', format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, ...header }));
  return {
    collection(name) {
      const n = sections++;
      void put(bson({ t: 'c', c: n, name }));
      return n;
    },
    document: (collection, raw) => put(documentFrame(collection, raw)),
    async finish(manifest) {
      await drained;
      const payloadSha256 = hash.digest('hex');
      await put(bson({ t: 'm', manifest, sha256: payloadSha256 }), false);
      gzip.end();
      await done;
      await rename(partial, path);
      return { payloadSha256, bytes: file.bytesWritten };
    },
    async abort() {
      gzip.destroy();
      file.destroy();
      await rm(partial, { force: true });
    },
  };
}

export type BackupFrame =
  | { kind: 'header'; sagakVersion: string; formatVersion: number; startedAt: Date }
  | { kind: 'collection'; n: number; name: string }
  | { kind: 'document'; collection: number; doc: Record<string, unknown> };

/**
 * Reads a backup file frame by frame. Throws BackupFileError when the file is not a Sagak backup,
 * is cut short, fails gzip's check, or its SHA-256 does not match the manifest's; the manifest
 * is returned only after the last byte checked out. `onFrame` may be omitted to only verify.
 */
export async function readBackup(
  path: string,
  onFrame?: (frame: BackupFrame) => Promise<void> | void,
): Promise<BackupManifest> {
  const hash = createHash('sha256');
  let buffered: Buffer = Buffer.alloc(0);
  let manifest: BackupManifest | undefined;
  let first = true;
  const input = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      let at = 0;
      while (buffered.length - at >= 4) {
        const size = buffered.readInt32LE(at);
        if (size < 5 || size > MAX_FRAME) throw new BackupFileError('damaged', `a frame of impossible length ${size}`);
        if (buffered.length - at < size) break;
        const bytes = buffered.subarray(at, at + size);
        at += size;
        if (manifest) throw new BackupFileError('damaged', 'data after the manifest');
        const frame = decode(bytes);
        if (first) {
          if (frame.t !== 'h' || frame.format !== BACKUP_FORMAT)
            throw new BackupFileError('not_a_backup', 'the first frame is not a Sagak backup header');
          if (Number(frame.formatVersion) > BACKUP_FORMAT_VERSION)
            throw new BackupFileError('newer_format', `format version ${String(frame.formatVersion)}`);
          first = false;
        }
        if (frame.t === 'm') {
          if (frame.sha256 !== hash.digest('hex'))
            throw new BackupFileError('checksum', 'the SHA-256 of the contents does not match the manifest');
          const parsed = manifestSchema.safeParse((mongo.BSON.deserialize(bytes) as { manifest?: unknown }).manifest);
          if (!parsed.success) throw new BackupFileError('damaged', 'the manifest is not readable');
          manifest = parsed.data;
          continue;
        }
        hash.update(bytes);
        if (!onFrame) continue;
        if (frame.t === 'h')
          await onFrame({
            kind: 'header',
            sagakVersion: String(frame.sagakVersion),
            formatVersion: Number(frame.formatVersion),
            startedAt: frame.startedAt as Date,
          });
        else if (frame.t === 'c') await onFrame({ kind: 'collection', n: Number(frame.c), name: String(frame.name) });
        else await onFrame({ kind: 'document', collection: Number(frame.c), doc: frame.d as Record<string, unknown> });
      }
      buffered = buffered.subarray(at);
    }
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new BackupFileError('missing', path);
    if (code === 'Z_BUF_ERROR') throw new BackupFileError('truncated', `gzip: ${(err as Error).message}`);
    if (code?.startsWith('Z_')) throw new BackupFileError('damaged', `gzip: ${(err as Error).message}`);
    throw err;
  } finally {
    input.destroy();
  }
  if (first) throw new BackupFileError('not_a_backup', 'the file is empty');
  if (!manifest || buffered.length > 0) throw new BackupFileError('truncated', 'the file ends before its manifest');
  return manifest;
}

/** Values keep their BSON types (Int32, Double, Long) so a restore writes back exactly what was read. */
function decode(bytes: Uint8Array): Record<string, unknown> {
  try {
    return mongo.BSON.deserialize(bytes, { promoteValues: false, promoteBuffers: false }) as Record<string, unknown>;
  } catch {
    throw new BackupFileError('damaged', 'a frame is not valid BSON');
  }
}
