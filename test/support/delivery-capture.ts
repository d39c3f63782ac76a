import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One call a platform received: the method it was for and its decoded fields. */
export interface CapturedCall {
  platform: 'slack' | 'telegram' | 'kakao';
  method: string;
  fields: Record<string, string>;
  /** For uploads: the file's bytes. */
  file?: Buffer;
  fileName?: string;
  /** Whether the platform answered success. */
  ok?: boolean;
}

/** A small multipart/form-data reader (grammY's encoding is stricter than undici's parser expects). */
function parseMultipart(
  raw: Buffer,
  contentType: string,
): { fields: Record<string, string>; file?: Buffer; fileName?: string } {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  const fields: Record<string, string> = {};
  if (!boundary) return { fields };
  let file: Buffer | undefined;
  let fileName: string | undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = raw.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const body = part.subarray(headerEnd + 4, part.length - 2); // drop the CRLF before the next delimiter
      const name = /;\s*name="([^"]*)"/.exec(headers)?.[1];
      const filename = /filename=(?:"([^"]*)"|([^;\r\n]+))/
        .exec(headers)
        ?.slice(1)
        .find((x) => x !== undefined);
      if (filename !== undefined) (file = Buffer.from(body)), (fileName = filename);
      else if (name) fields[name] = body.toString('utf8');
    }
    at = next;
  }
  return { fields, file, fileName };
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
  /** Slack chat.postMessage to these users or channels answers {ok:false, error} with the given error (e.g. user_not_found). */
  slackErrors = new Map<string, string>();
  /** Telegram chats whose user blocked the bot: 403 Forbidden. */
  blockedChats = new Set<string>();
  /** Kakao Event API: bot user keys Kakao refuses (status FAIL). */
  kakaoFailFor = new Set<string>();
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
          if (process.env.CAPTURE_DEBUG) console.error(err);
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
    return this.tried(platform, to).filter((c) => c.ok);
  }

  /** Every attempt to post to a channel or chat, answered with success or not. */
  tried(platform: 'slack' | 'telegram', to?: string): CapturedCall[] {
    const method = platform === 'slack' ? 'files.completeUploadExternal' : 'sendDocument';
    return this.calls.filter(
      (c) =>
        c.platform === platform &&
        c.method === method &&
        (!to || c.fields.channel_id === to || c.fields.chat_id === to),
    );
  }

  /** Text messages (alerts) a Slack channel or Telegram chat got: Slack chat.postMessage, Telegram sendMessage. */
  messages(platform: 'slack' | 'telegram', to?: string): CapturedCall[] {
    const method = platform === 'slack' ? 'chat.postMessage' : 'sendMessage';
    return this.calls.filter(
      (c) =>
        c.ok &&
        c.platform === platform &&
        c.method === method &&
        (!to || c.fields.channel === to || c.fields.chat_id === to),
    );
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
      if (method === 'chat.postMessage') {
        const failing = this.failFor.has(fields.channel ?? '');
        const error = this.slackErrors.get(fields.channel ?? '');
        this.calls.at(-1)!.ok = !failing && !error;
        if (failing) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        if (error) return { status: 200, body: { ok: false, error } };
        return { status: 200, body: { ok: true, channel: fields.channel, ts: `${this.calls.length}.0` } };
      }
      if (method === 'files.completeUploadExternal') {
        const failing = this.failFor.has(fields.channel_id ?? '');
        this.calls.at(-1)!.ok = !failing;
        if (failing) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
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
      // grammY posts JSON for calls without a file (sendMessage), multipart with one
      const { fields, file, fileName } = type.includes('application/json')
        ? {
            fields: Object.fromEntries(
              Object.entries(JSON.parse(raw.toString('utf8')) as Record<string, unknown>).map(([k, v]) => [
                k,
                typeof v === 'string' ? v : JSON.stringify(v),
              ]),
            ),
            file: undefined,
            fileName: undefined,
          }
        : parseMultipart(raw, type);
      const failing = this.failFor.has(fields.chat_id ?? '');
      const blocked = this.blockedChats.has(fields.chat_id ?? '');
      this.calls.push({ platform: 'telegram', method, fields, file, fileName, ok: !failing && !blocked });
      if (blocked)
        return {
          status: 403,
          body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
        };
      if (failing) return { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } };
      return {
        status: 200,
        body: {
          ok: true,
          result: { message_id: this.calls.length, date: 0, chat: { id: Number(fields.chat_id), type: 'group' } },
        },
      };
    }
    const kakao = /^\/v2\/bots\/([^/]+)\/talk$/.exec(url.pathname);
    if (kakao && req.method === 'POST') {
      // Kakao's chatbot Event API: {event:{name,data}, user:[{type,id}]} with "Authorization: KakaoAK <key>"
      const body = JSON.parse(raw.toString('utf8')) as {
        event: { name: string; data?: { text?: string } };
        user: { type: string; id: string }[];
      };
      const to = body.user[0]?.id ?? '';
      const failing = this.kakaoFailFor.has(to);
      this.calls.push({
        platform: 'kakao',
        method: 'talk',
        fields: {
          botId: kakao[1]!,
          authorization: String(req.headers.authorization ?? ''),
          event: body.event.name,
          user: to,
          userType: body.user[0]?.type ?? '',
          text: body.event.data?.text ?? '',
        },
        ok: !failing,
      });
      return {
        status: 200,
        body: {
          taskId: `task-${this.calls.length}`,
          status: failing ? 'FAIL' : 'SUCCESS',
          message: failing ? 'invalid user' : 'ok',
        },
      };
    }
    return { status: 404, body: { ok: false, error: 'not_found' } };
  }

  /** Kakao Event API messages a bot user got. */
  kakaoEvents(to?: string): CapturedCall[] {
    return this.calls.filter((c) => c.ok && c.platform === 'kakao' && (!to || c.fields.user === to));
  }

  /** Every call's decoded fields as one text (for "nothing private went out" checks). */
  everything(): string {
    return this.calls.map((c) => JSON.stringify(c.fields)).join('\n');
  }
}
