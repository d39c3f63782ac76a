import { createServer, type IncomingMessage, type Server } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const chunk = (type: string, body: Buffer) =>
  Buffer.concat([
    u32(body.length),
    Buffer.from(type, 'latin1'),
    body,
    u32(crc32(Buffer.concat([Buffer.from(type, 'latin1'), body]))),
  ]);

/** The GPS position a phone writes into a photo's EXIF (the stored photo must not carry it). */
export const GPS_MARK = 'GPSLatitude 37.5665 GPSLongitude 126.9780';

/**
 * A small real PNG (a browser draws it) whose pixels depend on `seed`, so photos differ, with an
 * eXIf chunk holding a GPS position as phones write it.
 */
export function photoPng(seed: number, width = 8, height = 6): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++)
      row.set([(seed * 40 + x * 20) & 0xff, (seed * 90 + y * 30) & 0xff, (seed * 7) & 0xff], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.concat([u32(width), u32(height), Buffer.from([8, 2, 0, 0, 0])])),
    chunk('eXIf', Buffer.from(`MM\0*${GPS_MARK}`, 'latin1')),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A decompression bomb: a PNG of a few hundred bytes whose header claims 50,000 × 50,000 pixels. */
export function bombPng(): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.concat([u32(50_000), u32(50_000), Buffer.from([8, 2, 0, 0, 0])])),
    chunk('IDAT', deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JPEG as a phone writes one, with an APP1 EXIF block holding the GPS position. */
export function photoJpeg(): Buffer {
  const segment = (marker: number, body: Buffer) =>
    Buffer.concat([Buffer.from([0xff, marker]), u16(body.length + 2), body]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    segment(0xe1, Buffer.from(`Exif\0\0MM ${GPS_MARK}`, 'latin1')),
    segment(
      0xc0,
      Buffer.concat([Buffer.from([8]), u16(480), u16(640), Buffer.from([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])]),
    ),
    segment(0xda, Buffer.from([3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]),
  ]);
}

/**
 * A local server standing in for a platform's image host (talk.kakaocdn.net, files.slack.com):
 * `/…/<name>` serves what `put` stored, `/expired/…` answers 403 as an expired Kakao secure
 * URL does, `/huge/…` streams 50 MB (made as it is read), `/slow/…` never answers. Records each
 * request's path and Authorization header.
 */
export class PhotoServer {
  private readonly files = new Map<string, Buffer>();
  readonly requests: { path: string; authorization?: string }[] = [];
  private server?: Server;
  private readonly open = new Set<IncomingMessage>();
  baseUrl = '';

  put(name: string, bytes: Buffer): this {
    this.files.set(name, bytes);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push({ path, authorization: req.headers.authorization });
      if (path.startsWith('/expired/')) return void res.writeHead(403).end('expired');
      if (path.startsWith('/slow/')) {
        this.open.add(req);
        req.on('close', () => this.open.delete(req));
        return;
      }
      if (path.startsWith('/huge/')) {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        let sent = 0;
        const block = Buffer.alloc(1024 * 1024, 0xff);
        block.set([0xff, 0xd8, 0xff], 0);
        const pump = () => {
          while (sent < 50) {
            sent++;
            if (!res.write(block)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => {
          sent = 50;
        });
        return pump();
      }
      const file = this.files.get(path.split('/').pop() ?? ''); // served by its file name, whatever the folders
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(file.length) });
      res.end(file);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  close(): Promise<void> {
    for (const req of this.open) req.socket.destroy();
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
