import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FileSource } from '../../domain/list-import/file-source';

export async function diskSource(path: string): Promise<FileSource> {
  const { size } = await stat(path);
  return {
    size,
    stream: (start = 0, end = size) =>
      end <= start ? Readable.from([]) : createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 }),
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
