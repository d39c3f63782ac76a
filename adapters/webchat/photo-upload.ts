import type { Request, Response } from 'express';
import type { PhotoInput } from '../../flows/types';

/**
 * Reads a web-chat photo upload (the raw file as the request body) up to `maxBytes`. A larger
 * body is read to its end but not kept, so the page gets its Korean answer instead of a reset
 * connection, and memory never holds more than the limit.
 */
export function readUpload(req: Request, maxBytes: number): Promise<PhotoInput> {
  return new Promise((resolve) => {
    // the page names a file's size and leaves out one over the limit (x-photo-size)
    const declared = Math.max(Number(req.get('content-length')) || 0, Number(req.get('x-photo-size')) || 0);
    let over = declared > maxBytes;
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBytes) {
        over = true;
        parts.length = 0;
      } else parts.push(chunk);
    });
    req.on('end', () =>
      resolve(over ? { ok: false, problem: 'too_large' } : { ok: true, bytes: Buffer.concat(parts) }),
    );
    req.on('error', () => resolve({ ok: false, problem: 'unreachable' }));
  });
}

/** The upload's answer when the request itself is not one (no client id). */
export const badUpload = (res: Response) =>
  res
    .status(400)
    .json({ error: 'bad_request', message: 'x-client-id header: letters, digits and "-", 8 to 64 characters' });
