import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One request a platform SDK sent to the capture server. */
export interface CapturedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** JSON bodies parsed; form bodies as an object whose JSON-looking fields are parsed too. */
  body: Record<string, unknown>;
}

/** A JSON answer, or (a platform's file download) raw bytes. */
export type Responder = (call: CapturedCall) => { status?: number; json: unknown; raw?: Buffer; contentType?: string };

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/**
 * A local HTTP server standing in for a platform's API (Slack Web API, Telegram Bot API): it
 * records every call and answers with what the responder says, so tests see exactly what the
 * real SDK sent over the wire.
 */
export class CaptureServer {
  readonly calls: CapturedCall[] = [];
  private waiters: { from: number; match: (c: CapturedCall) => boolean; resolve: (c: CapturedCall) => void }[] = [];
  private server?: Server;
  private held: { match: (c: CapturedCall) => boolean; until: Promise<void> }[] = [];
  baseUrl = '';

  constructor(private readonly responder: Responder) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        const call: CapturedCall = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: parseBody(Buffer.concat(parts).toString('utf8'), req.headers['content-type']),
        };
        this.calls.push(call);
        const answer = this.responder(call);
        const hold = this.held.find((h) => h.match(call));
        void (hold?.until ?? Promise.resolve()).then(() => {
          if (answer.raw) {
            res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/octet-stream' });
            res.end(answer.raw);
            return;
          }
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer.json));
        });
        const index = this.calls.length - 1;
        this.waiters = this.waiters.filter((w) => {
          if (index >= w.from && w.match(call)) {
            w.resolve(call);
            return false;
          }
          return true;
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  /** The first call at or after position `from` that matches (already received or still to come). */
  next(from: number, match: (c: CapturedCall) => boolean): Promise<CapturedCall> {
    const found = this.calls.slice(from).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ from, match, resolve }));
  }

  /** Holds the answers to matching calls until the returned function is called. */
  hold(match: (c: CapturedCall) => boolean): () => void {
    let release!: () => void;
    const entry = { match, until: new Promise<void>((r) => (release = r)) };
    this.held.push(entry);
    return () => {
      this.held = this.held.filter((h) => h !== entry);
      release();
    };
  }

  callsTo(pathEnd: string): CapturedCall[] {
    return this.calls.filter((c) => c.path.endsWith(pathEnd));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
