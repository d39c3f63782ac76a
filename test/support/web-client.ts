import type { WebReply } from '../../adapters/webchat/wire';

/**
 * A browser as the web chat endpoint sees one: keeps the cookie jar (one cookie) between
 * requests, types text or presses the last reply's buttons.
 */
export class WebUser {
  cookie?: string;
  last: WebReply[] = [];
  private seq = 0;
  constructor(public baseUrl: string) {}

  async post(
    body: unknown,
    opts: { cookie?: string | null; raw?: string; contentType?: string } = {},
  ): Promise<Response> {
    const cookie = opts.cookie === null ? undefined : (opts.cookie ?? this.cookie);
    return fetch(`${this.baseUrl}/chat/api/messages`, {
      method: 'POST',
      headers: { 'content-type': opts.contentType ?? 'application/json', ...(cookie ? { cookie } : {}) },
      body: opts.raw ?? JSON.stringify(body),
    });
  }

  /** Sends and keeps the replies and the cookie the server set, as a browser would. */
  async send(body: Record<string, unknown>): Promise<WebReply[]> {
    const res = await this.post(body);
    if (res.status !== 200) throw new Error(`web chat answered HTTP ${res.status}: ${await res.text()}`);
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const answer = (await res.json()) as WebReply[];
    // a "try again" answer carries no buttons; the person still has the question's buttons to press again
    const retry =
      answer.every((m) => !m.quick_replies?.length) && answer.some((m) => m.text.includes('잠시 후 다시 시도'));
    const buttons = this.buttons();
    this.last =
      retry && buttons.length ? [...answer, { type: 'message', text: '', quick_replies: buttons } as WebReply] : answer;
    return this.last;
  }

  nextClientId(): string {
    return `msg-${process.pid}-${++this.seq}-${Math.random().toString(36).slice(2, 10)}`;
  }

  say(text: string): Promise<WebReply[]> {
    return this.send({ type: 'message', text, clientId: this.nextClientId() });
  }

  hello(): Promise<WebReply[]> {
    return this.send({ type: 'hello' });
  }

  async press(label: string): Promise<WebReply[]> {
    const qr = this.buttons().find((b) => b.title === label);
    if (!qr) throw new Error(`no button "${label}" in: ${this.labels().join(', ')}`);
    return this.send({ type: 'message', text: qr.title, choice: qr.payload, clientId: this.nextClientId() });
  }

  buttons(): { title: string; payload: string }[] {
    return this.last.flatMap((m) => m.quick_replies ?? []);
  }

  labels(): string[] {
    return this.buttons().map((b) => b.title);
  }

  text(): string {
    return this.last.map((m) => m.text).join('\n');
  }
}

/** The cookie's value (the signed identity), for tests that tamper with it. */
export const cookieValue = (cookie: string) => decodeURIComponent(cookie.split('=')[1]!);
