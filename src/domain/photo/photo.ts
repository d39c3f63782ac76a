import { createHash } from 'node:crypto';
import { checkImage, type ImageRefusal } from './image-check';

/**
 * A photo kept as evidence of a report (issue 22, item 1): checked bytes (src/domain/photo/
 * image-check.ts), stored once per report. Its id is a hash of the report's submissionId and the
 * photo's bytes, so the same photo sent twice to one report is the same id (kept once), while the
 * same photo in two reports is two photos, each removed with its own case.
 */
export interface StoredPhoto {
  id: string;
  /** The report (its submissionId) the photo was sent for: the sweep removes photos whose report was never filed. */
  submissionId: string;
  contentType: string;
  width: number;
  height: number;
  size: number;
  receivedAt: Date;
}

/** Where photos are kept; src/store/photo implements it. */
export interface PhotoRepository {
  /** Stores the photo unless one with its id is stored already (`duplicate`). Visible only once whole. */
  keep(photo: StoredPhoto, bytes: Buffer): Promise<{ stored: true } | { duplicate: true }>;
  has(id: string): Promise<boolean>;
  meta(id: string): Promise<StoredPhoto | undefined>;
  bytes(id: string): Promise<Buffer | undefined>;
  remove(ids: string[]): Promise<number>;
  /** Removes the bytes of writes that stopped before the photo was whole (started before `before`); how many. */
  clearUnfinished(before: Date): Promise<number>;
  /** Photos received in [from, to) (the sweep of photos whose conversation ended unfiled). */
  receivedBetween(from: Date, to: Date): Promise<StoredPhoto[]>;
}

export interface PhotoLimits {
  maxBytes: number;
  maxPixels: number;
  /** The district keeps the photo's own metadata (its GPS position included); else it is taken out. */
  keepLocation: boolean;
}

export type KeepPhotoResult = { ok: true; id: string; duplicate: boolean } | { ok: false; code: ImageRefusal };

export const photoId = (submissionId: string, bytes: Buffer) =>
  createHash('sha256').update(submissionId).update('\n').update(bytes).digest('hex').slice(0, 40);

/** Checks a photo and keeps it for the report being filled in; refused photos leave nothing stored. */
export async function keepPhoto(
  photos: PhotoRepository,
  limits: PhotoLimits,
  submissionId: string,
  bytes: Buffer,
  now: Date,
): Promise<KeepPhotoResult> {
  const id = photoId(submissionId, bytes);
  // the same bytes for the same report: told, nothing checked or written again
  if (await photos.has(id)) return { ok: true, id, duplicate: true };
  const checked = checkImage(bytes, limits);
  if (!checked.ok) return { ok: false, code: checked.code };
  const kept = limits.keepLocation ? bytes : checked.image.bytes;
  const stored = await photos.keep(
    {
      id,
      submissionId,
      contentType: checked.image.contentType,
      width: checked.image.width,
      height: checked.image.height,
      size: kept.length,
      receivedAt: now,
    },
    kept,
  );
  return { ok: true, id, duplicate: 'duplicate' in stored };
}
