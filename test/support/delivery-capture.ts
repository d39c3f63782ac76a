import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One call a platform received: the method it was for and its decoded fields. */
export interface CapturedCall {
  platform: 'slack' | 'telegram';
  method: string;
  fields: Record<string, string>;
  /** For uploads: the file's bytes. */
  file?: Buffer;
  fileName?: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Stands in for slack.com/api and api.telegram.org: records every call and answers as the
 * platform does. `failFor` makes a Slack channel or Telegram chat answer with an error
 * (Slack: HTTP 200 {ok:false}; Telegram: HTTP 500-ish {ok:false, error_code}).
 */
export class DeliveryCapture {
  calls: CapturedCall[] = [];
  failFor = new Set<string>();
  private server?: Server;
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: err.message }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server!.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  get slackApiUrl() {
    return `${this.baseUrl}/api/`;
  }

  /** Messages a channel or chat actually got (a Slack upload counts once it is completed). */
  delivered(platform: 'slack' | 'telegram', to?: string): CapturedCall[] {
    const method = platform === 'slack' ? 'files.completeUploadExternal' : 'sendDocument';
    return this.calls.filter((c) => c.platform === platform && c.method === method && (!to || c.fields.channel_id === to || c.fields.chat_id === to));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const type = req.headers['content-type'] ?? '';

    const slack = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (slack) {
      const method = slack[1]!;
      const fields = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      this.calls.push({ platform: 'slack', method, fields });
      if (method === 'files.getUploadURLExternal') {
        const id = `F${this.calls.length}`;
        return { status: 200, body: { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id } };
      }
      if (method === 'files.completeUploadExternal') {
        if (this.failFor.has(fields.channel_id ?? '')) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        const files = JSON.parse(fields.files ?? '[]') as { id: string }[];
        return { status: 200, body: { ok: true, files: files.map((f) => ({ id: f.id })) } };
      }
      return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
    const upload = /^\/upload\/(\w+)$/.exec(url.pathname);
    if (upload) {
      this.calls.push({ platform: 'slack', method: 'upload', fields: { id: upload[1]! }, file: raw });
      return { status: 200, body: { ok: true } };
    }
    const tg = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (tg) {
      const method = tg[2]!;
      const form = await new Request(url, { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      const fields: Record<string, string> = {};
      let file: Buffer | undefined;
      let fileName: string | undefined;
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') fields[k] = v;
        else {
          file = Buffer.from(await v.arrayBuffer());
          fileName = v.name;
        }
      }
      this.calls.push({ platform: 'telegram', method, fields, file, fileName });
      if (this.failFor.has(fields.chat_id ?? '')) return { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } };
      return { status: 200, body: { ok: true, result: { message_id: this.calls.length, date: 0, chat: { id: Number(fields.chat_id), type: 'group' } } } };
    }
    return { status: 404, body: { ok: false, error: 'not_found' } };
  }
}
