import type { Readable } from 'node:stream';

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
