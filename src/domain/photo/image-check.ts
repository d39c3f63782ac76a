/**
 * What a photo must pass before it is kept (issue 22, item 1): its type read from its bytes, never
 * from a name or a header; its size; its pixel count read from the header before anything is
 * decoded (a small file claiming 50,000 × 50,000 pixels is a decompression bomb); and its metadata
 * taken out (EXIF with the GPS position, XMP, IPTC, PNG text), so a stored photo tells no location.
 * Pure: bytes in, bytes out; no image library decodes anything.
 */
export type ImageKind = 'jpeg' | 'png' | 'gif' | 'webp';
export type ImageRefusal = 'not_image' | 'too_large' | 'too_many_pixels' | 'unreadable';

export const PHOTO_LIMITS = { maxBytes: 10 * 1024 * 1024, maxPixels: 40_000_000 } as const;

export interface CheckedImage {
  kind: ImageKind;
  contentType: `image/${ImageKind}`;
  width: number;
  height: number;
  /** The image without its metadata. */
  bytes: Buffer;
}

export type ImageCheck = { ok: true; image: CheckedImage } | { ok: false; code: ImageRefusal };

const startsWith = (b: Buffer, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);

/** The type the bytes are, whatever the sender called them. */
export function sniffImage(b: Buffer): ImageKind | undefined {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a')
    return 'gif';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return undefined;
}

/** JPEG segments up to the image data: the size from the frame header (SOFn), and the bytes without APP1 (EXIF, XMP) or APP13 (IPTC). */
function jpeg(b: Buffer): { width: number; height: number; bytes: Buffer } | undefined {
  const kept: Buffer[] = [b.subarray(0, 2)];
  let at = 2;
  let size: { width: number; height: number } | undefined;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xda) {
      kept.push(b.subarray(at)); // start of scan: the compressed image and the end, as they are
      return size ? { ...size, bytes: Buffer.concat(kept) } : undefined;
    }
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length) return undefined;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && length >= 7) size = { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    if (marker !== 0xe1 && marker !== 0xed) kept.push(b.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return undefined;
}

/** PNG chunks: the size from IHDR, and the bytes without eXIf or text chunks (tEXt, iTXt, zTXt). */
function png(b: Buffer): { width: number; height: number; bytes: Buffer } | undefined {
  if (b.length < 33 || b.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  const kept: Buffer[] = [b.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= b.length) {
    const length = b.readUInt32BE(at);
    const type = b.subarray(at + 4, at + 8).toString('latin1');
    const end = at + 12 + length;
    if (end > b.length) return undefined;
    if (!['eXIf', 'tEXt', 'iTXt', 'zTXt'].includes(type)) kept.push(b.subarray(at, end));
    at = end;
    if (type === 'IEND') return { width, height, bytes: Buffer.concat(kept) };
  }
  return undefined;
}

/** GIF: the logical screen size; GIF carries no EXIF. */
function gif(b: Buffer): { width: number; height: number; bytes: Buffer } | undefined {
  return b.length >= 10 ? { width: b.readUInt16LE(6), height: b.readUInt16LE(8), bytes: b } : undefined;
}

/** WebP (RIFF): the size from VP8X, VP8L or VP8, and the bytes without EXIF and XMP chunks. */
function webp(b: Buffer): { width: number; height: number; bytes: Buffer } | undefined {
  const kept: Buffer[] = [];
  let size: { width: number; height: number } | undefined;
  let at = 12;
  while (at + 8 <= b.length) {
    const type = b.subarray(at, at + 4).toString('latin1');
    const length = b.readUInt32LE(at + 4);
    const end = at + 8 + length + (length % 2);
    if (at + 8 + length > b.length) return undefined;
    const body = b.subarray(at + 8, at + 8 + length);
    if (type === 'VP8X' && length >= 10) size = { width: body.readUIntLE(4, 3) + 1, height: body.readUIntLE(7, 3) + 1 };
    if (type === 'VP8L' && length >= 5 && !size) {
      const bits = body.readUInt32LE(1);
      size = { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (type === 'VP8 ' && length >= 10 && !size)
      size = { width: body.readUInt16LE(6) & 0x3fff, height: body.readUInt16LE(8) & 0x3fff };
    if (type === 'VP8X') {
      const flags = Buffer.from(b.subarray(at, end));
      flags[8] = flags[8]! & ~0x0c; // the EXIF and XMP flags go with their chunks
      kept.push(flags);
    } else if (type !== 'EXIF' && type !== 'XMP ') kept.push(b.subarray(at, Math.min(end, b.length)));
    at = end;
  }
  if (!size) return undefined;
  const chunks = Buffer.concat(kept);
  const header = Buffer.from(b.subarray(0, 12));
  header.writeUInt32LE(chunks.length + 4, 4);
  return { ...size, bytes: Buffer.concat([header, chunks]) };
}

const READERS = { jpeg, png, gif, webp };

/** Checks a photo's bytes: type by content, size, pixels, then metadata taken out. */
export function checkImage(data: Buffer, limits: { maxBytes: number; maxPixels: number } = PHOTO_LIMITS): ImageCheck {
  if (data.length > limits.maxBytes) return { ok: false, code: 'too_large' };
  const kind = sniffImage(data);
  if (!kind) return { ok: false, code: 'not_image' };
  const read = READERS[kind](data);
  if (!read || read.width === 0 || read.height === 0) return { ok: false, code: 'unreadable' };
  if (read.width * read.height > limits.maxPixels) return { ok: false, code: 'too_many_pixels' };
  return {
    ok: true,
    image: { kind, contentType: `image/${kind}`, width: read.width, height: read.height, bytes: read.bytes },
  };
}
