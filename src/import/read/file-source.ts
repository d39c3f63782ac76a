import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * An uploaded file that can be read more than once (preview, then commit) without holding it in
 * memory: a file on disk (the CLI) or the chunks kept in the database (the console).
 */
export interface FileSource {
  size: number;
  /** Bytes [start, end) as a stream; the whole file by default. */
  stream(start?: number, end?: number): Readable;
  /** A slice of at most `length` bytes from `offset`. */
  read(offset: number, length: number): Promise<Buffer>;
}

export async function diskSource(path: string): Promise<FileSource> {
  const { size } = await stat(path);
  return {
    size,
    stream: (start = 0, end = size) => (end <= start ? Readable.from([]) : createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 })),
    async read(offset, length) {
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        await fh.read(buf, 0, buf.length, offset);
        return buf;
      } finally {
        await fh.close();
      }
    },
  };
}

/** Collects a stream into one buffer (only for small slices: headers, the zip directory). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
