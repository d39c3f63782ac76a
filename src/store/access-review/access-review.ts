import { createHash } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { ReviewNote } from '../../domain/access/review-note';
import { isDuplicateKey } from '../duplicate-key';
import type { AccessReviewRepository } from '../../domain/access/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

type Doc = Omit<ReviewNote, 'id'> & { _id: string };

const schema = new Schema<Doc>(
  {
    _id: { type: String, required: true },
    month: { type: String, required: true },
    reviewer: { type: String, required: true, maxlength: 40 },
    reviewedOn: { type: String, required: true },
    findings: { type: String, required: true, maxlength: 2000 },
    actions: { type: String, default: '', maxlength: 2000 },
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true },
    head: {
      type: new Schema(
        { seq: { type: Number, required: true }, hash: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
  },
  { collection: 'access_review_notes', versionKey: false, strict: 'throw' },
);

const toNote = ({ _id, ...rest }: Doc): ReviewNote => ({ id: _id, ...rest });

/**
 * The monthly review's results, append-only from the console. A note's id is the hash of what it
 * says, so the same form sent twice (a double click, a retry) is kept once: the unique _id insert
 * decides, which is atomic on FerretDB too.
 */
export function accessReviewRepository(conn: Connection): AccessReviewRepository & CreatesItsIndexes {
  const Model = conn.models.AccessReviewNote ?? conn.model<Doc>('AccessReviewNote', schema);
  return {
    /** The _id is the only index (lookups are by month over a few notes a year). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    /** Keeps a note; `created: false` when the same note was kept already. */
    async add(note: Omit<ReviewNote, 'id'>): Promise<{ created: boolean; note: ReviewNote }> {
      const id = createHash('sha256')
        .update(JSON.stringify([note.month, note.reviewer, note.reviewedOn, note.findings, note.actions]))
        .digest('hex')
        .slice(0, 24);
      try {
        await Model.create({ _id: id, ...note });
        return { created: true, note: { id, ...note } };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const kept = await Model.findById(id).lean<Doc>();
        return { created: false, note: kept ? toNote(kept) : { id, ...note } };
      }
    },
    /** Every note, newest review first (a few a year: read whole). */
    async list(): Promise<ReviewNote[]> {
      return (await Model.find().sort({ reviewedOn: -1, recordedAt: -1 }).lean<Doc[]>()).map(toNote);
    },
  };
}
