import { Schema, type Connection } from 'mongoose';
import type { PhotoRepository, StoredPhoto } from '../../domain/photo/photo';
import { isDuplicateKey } from '../duplicate-key';

/** Chunks are read by `_id` only (the one lookup FerretDB 1.24 answers without scanning). */
const CHUNK_BYTES = 1024 * 1024;

type PhotoDoc = Omit<StoredPhoto, 'id'> & { _id: string; chunks: number };
interface ChunkDoc {
  _id: string;
  photoId: string;
  n: number;
  data: Buffer;
}

const photoSchema = new Schema<PhotoDoc>(
  {
    _id: { type: String, required: true },
    submissionId: { type: String, required: true },
    contentType: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    size: { type: Number, required: true },
    receivedAt: { type: Date, required: true },
    chunks: { type: Number, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
photoSchema.index({ receivedAt: 1 }); // the daily sweep of photos whose report was never filed
const chunkSchema = new Schema<ChunkDoc>({ _id: String, photoId: String, n: Number, data: Buffer }, { versionKey: false, _id: false });

const toPhoto = ({ _id, chunks: _chunks, ...rest }: PhotoDoc): StoredPhoto => ({ id: _id, ...rest });
const bytesOf = (d: unknown) => Buffer.from((d as { buffer?: Uint8Array }).buffer ?? (d as Uint8Array));

/**
 * Photos as chunked documents of our own, not GridFS: `photos` holds one small document per photo
 * (written last, so a photo exists only once all its bytes do), `photo_chunks` its bytes in 1 MB
 * documents with deterministic ids (`<photoId>:<n>`), so a write cut short and tried again writes
 * the same chunks. Dedupe rests on the unique `_id` of `photos` (an insert: atomic on FerretDB).
 * Works the same on MongoDB and FerretDB 1.24 (plain inserts and `_id` reads).
 */
export function photoRepository(conn: Connection): PhotoRepository & { ensureIndexes(): Promise<void>; chunkCount(): Promise<number> } {
  const Photo = conn.models.Photo ?? conn.model<PhotoDoc>('Photo', photoSchema, 'photos');
  const Chunk = conn.models.PhotoChunk ?? conn.model<ChunkDoc>('PhotoChunk', chunkSchema, 'photo_chunks');
  const chunkIds = (id: string, chunks: number) => Array.from({ length: chunks }, (_, n) => `${id}:${n}`);

  return {
    async ensureIndexes() {
      await Photo.createIndexes();
      await Chunk.createIndexes();
    },
    async keep(photo, bytes) {
      const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
      for (let n = 0; n < chunks; n++) {
        try {
          await Chunk.collection.insertOne({ _id: `${photo.id}:${n}`, photoId: photo.id, n, data: bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES) } as never);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err; // an earlier try (or a racing send) wrote the same chunk
        }
      }
      const { id, ...rest } = photo;
      try {
        await Photo.collection.insertOne({ _id: id, ...rest, chunks } as never);
        return { stored: true };
      } catch (err) {
        if (isDuplicateKey(err)) return { duplicate: true };
        throw err;
      }
    },
    async has(id) {
      return (await Photo.findById(id).select({ _id: 1 }).lean()) !== null;
    },
    async meta(id) {
      const doc = await Photo.findById(id).lean<PhotoDoc>();
      return doc ? toPhoto(doc) : undefined;
    },
    async bytes(id) {
      const doc = await Photo.findById(id).lean<PhotoDoc>();
      if (!doc) return undefined;
      const parts: Buffer[] = [];
      for (const chunkId of chunkIds(id, doc.chunks)) {
        const chunk = await Chunk.findById(chunkId).lean<ChunkDoc>();
        if (!chunk) return undefined;
        parts.push(bytesOf(chunk.data));
      }
      return Buffer.concat(parts);
    },
    async remove(ids) {
      let removed = 0;
      for (const id of ids) {
        const doc = await Photo.findById(id).lean<PhotoDoc>();
        if (!doc) continue;
        // the photo document goes first: from then on nobody reads the chunks
        await Photo.deleteOne({ _id: id });
        await Chunk.deleteMany({ _id: { $in: chunkIds(id, doc.chunks) } });
        removed++;
      }
      return removed;
    },
    async receivedBetween(from, to) {
      return (await Photo.find({ receivedAt: { $gte: from, $lt: to } }).lean<PhotoDoc[]>()).map(toPhoto);
    },
    chunkCount: () => Chunk.countDocuments(),
  };
}
