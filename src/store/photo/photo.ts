import { Schema, type Connection } from 'mongoose';
import type { PhotoRepository, StoredPhoto } from '../../domain/photo/photo';
import type { CreatesItsIndexes } from '../../domain/stored';
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
const chunkSchema = new Schema<ChunkDoc>(
  { _id: String, photoId: String, n: Number, data: Buffer },
  { versionKey: false, _id: false },
);
/** A write under way: its chunks are found again (their ids are known) if it never finishes. */
interface PendingDoc {
  _id: string;
  chunks: number;
  at: Date;
}
const pendingSchema = new Schema<PendingDoc>(
  { _id: String, chunks: Number, at: Date },
  { versionKey: false, _id: false },
);

const toPhoto = ({ _id, chunks: _chunks, ...rest }: PhotoDoc): StoredPhoto => ({ id: _id, ...rest });
const bytesOf = (d: unknown) => Buffer.from((d as { buffer?: Uint8Array }).buffer ?? (d as Uint8Array));

/**
 * Photos as chunked documents of our own, not GridFS: `photos` holds one small document per photo
 * (written last, so a photo exists only once all its bytes do), `photo_chunks` its bytes in 1 MB
 * documents with deterministic ids (`<photoId>:<n>`), so a write cut short and tried again writes
 * the same chunks. Dedupe rests on the unique `_id` of `photos` (an insert: atomic on FerretDB).
 * A write first notes itself in `photo_pending` (a handful of documents: only writes under way),
 * so the bytes of a write that stopped half-way are found and removed (`clearUnfinished`) without
 * ever scanning the chunks. Works the same on MongoDB and FerretDB 1.24 (inserts and `_id` reads).
 */
export function photoRepository(
  conn: Connection,
): PhotoRepository & CreatesItsIndexes & { chunkCount(): Promise<number> } {
  const Photo = conn.models.Photo ?? conn.model<PhotoDoc>('Photo', photoSchema, 'photos');
  const Chunk = conn.models.PhotoChunk ?? conn.model<ChunkDoc>('PhotoChunk', chunkSchema, 'photo_chunks');
  const Pending = conn.models.PhotoPending ?? conn.model<PendingDoc>('PhotoPending', pendingSchema, 'photo_pending');
  const chunkIds = (id: string, chunks: number) => Array.from({ length: chunks }, (_, n) => `${id}:${n}`);

  return {
    async ensureIndexes() {
      await Photo.createIndexes();
      await Chunk.createIndexes();
      await Pending.createIndexes();
    },
    async keep(photo, bytes) {
      const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
      try {
        await Pending.collection.insertOne({ _id: photo.id, chunks, at: photo.receivedAt } as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // a racing send of the same photo is writing it too
      }
      for (let n = 0; n < chunks; n++) {
        try {
          await Chunk.collection.insertOne({
            _id: `${photo.id}:${n}`,
            photoId: photo.id,
            n,
            data: bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES),
          } as never);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err; // an earlier try (or a racing send) wrote the same chunk
        }
      }
      const { id, ...rest } = photo;
      let stored = true;
      try {
        await Photo.collection.insertOne({ _id: id, ...rest, chunks } as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        stored = false;
      }
      await Pending.deleteOne({ _id: id });
      return stored ? { stored: true } : { duplicate: true };
    },
    async clearUnfinished(before) {
      let cleared = 0;
      for (const p of await Pending.find({ at: { $lt: before } }).lean<PendingDoc[]>()) {
        // whole after all (the write stopped only before its note went): nothing to remove
        if (!(await Photo.findById(p._id).select({ _id: 1 }).lean())) {
          await Chunk.deleteMany({ _id: { $in: chunkIds(p._id, p.chunks) } });
          cleared++;
        }
        await Pending.deleteOne({ _id: p._id });
      }
      return cleared;
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
