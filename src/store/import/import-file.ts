import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Schema, type Connection } from 'mongoose';
import type { FileSource } from '../../domain/list-import/file-source';
import type { ImportFileRepository } from '../../domain/list-import/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

/** Chunks are read by _id only (the one lookup FerretDB does not answer by scanning). */
export const CHUNK_BYTES = 1024 * 1024;

interface ChunkDoc {
  _id: string;
  fileId: string;
  n: number;
  data: Buffer;
  at: Date;
}
const schema = new Schema<ChunkDoc>(
  { _id: String, fileId: String, n: Number, data: Buffer, at: Date },
  { collection: 'list_import_files', versionKey: false, _id: false },
);
schema.index({ at: 1 }); // the purge of old uploads

/**
 * An uploaded list's bytes, kept in 1 MB documents so that a preview on one instance and the
 * commit on another read the same file, and no file is ever held whole in memory.
 */
export function importFileRepository(conn: Connection): ImportFileRepository & CreatesItsIndexes {
  const Model = conn.models.ListImportFile ?? conn.model<ChunkDoc>('ListImportFile', schema);
  return {
    async ensureIndexes(): Promise<void> {
      await Model.createIndexes();
    },
    /** A writer that stores bytes as they arrive, in whole chunks. */
    writer(now: Date) {
      const fileId = randomBytes(12).toString('hex');
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let n = 0;
      let size = 0;
      const flush = async () => {
        if (!pendingBytes) return;
        const data = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        await Model.create({ _id: `${fileId}:${n}`, fileId, n, data, at: now });
        n++;
      };
      return {
        fileId,
        async write(chunk: Buffer) {
          size += chunk.length;
          let rest = chunk;
          while (rest.length) {
            const take = rest.subarray(0, CHUNK_BYTES - pendingBytes);
            pending.push(take);
            pendingBytes += take.length;
            rest = rest.subarray(take.length);
            if (pendingBytes === CHUNK_BYTES) await flush();
          }
        },
        async finish() {
          await flush();
          return { fileId, chunks: n, size };
        },
      };
    },
    source(fileId: string, chunks: number, size: number): FileSource {
      const chunk = async (n: number) => (await Model.findById(`${fileId}:${n}`).lean<ChunkDoc>())?.data;
      const bytes = (d: unknown) => Buffer.from((d as { buffer?: Uint8Array }).buffer ?? (d as Uint8Array));
      const read = async (offset: number, length: number) => {
        const end = Math.min(size, offset + length);
        const parts: Buffer[] = [];
        for (let n = Math.floor(offset / CHUNK_BYTES); n < chunks && n * CHUNK_BYTES < end; n++) {
          const data = await chunk(n);
          if (!data) throw new Error('import file chunk missing');
          const base = n * CHUNK_BYTES;
          parts.push(bytes(data).subarray(Math.max(0, offset - base), Math.min(CHUNK_BYTES, end - base)));
        }
        return Buffer.concat(parts);
      };
      return {
        size,
        read,
        stream(start = 0, end = size) {
          let at = start;
          return Readable.from(
            (async function* () {
              while (at < end) {
                const step = Math.min(CHUNK_BYTES - (at % CHUNK_BYTES), end - at);
                yield await read(at, step);
                at += step;
              }
            })(),
            { objectMode: false },
          );
        },
      };
    },
    async remove(fileId: string, chunks: number): Promise<void> {
      await Model.deleteMany({ _id: { $in: Array.from({ length: chunks }, (_, n) => `${fileId}:${n}`) } });
    },
    /** Removes uploads older than `before` (personal data is not kept longer than the work needs). */
    async purge(before: Date): Promise<number> {
      return (await Model.deleteMany({ at: { $lt: before } })).deletedCount ?? 0;
    },
  };
}
