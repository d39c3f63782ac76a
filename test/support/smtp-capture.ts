import { SMTPServer } from 'smtp-server';
import { freePort } from './database';

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpCapture {
  port: number;
  mails: CapturedMail[];
  /** With `hold`: resolves when a message has arrived and its answer is being held back. */
  holding: Promise<void>;
  /** With `hold`: answers the held messages (and later ones at once). */
  release(): void;
  stop(): Promise<void>;
}

/**
 * A real SMTP server on a free loopback port that keeps every message it accepts. `hold` makes
 * it a slow server: it keeps each message's final answer back until `release()`, so a test can
 * act while a send is in progress.
 */
export async function startSmtpCapture(opts: { hold?: boolean } = {}): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  let held = Boolean(opts.hold);
  const waiting: (() => void)[] = [];
  let arrived!: () => void;
  const holding = new Promise<void>((resolve) => (arrived = resolve));
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const accept = () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        };
        if (!held) return accept();
        waiting.push(accept);
        arrived();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    mails,
    holding,
    release() {
      held = false;
      for (const accept of waiting.splice(0)) accept();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded bytes of the first MIME part with the given content type (base64 transfer encoding). */
export function mimePart(raw: string, contentType: string): { headers: string; body: Buffer } | undefined {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1];
  if (!boundary) return undefined;
  for (const part of raw.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, split);
    if (split < 0 || !headers.toLowerCase().includes(contentType.toLowerCase())) continue;
    return { headers, body: Buffer.from(part.slice(split + 4).replace(/\s+/g, ''), 'base64') };
  }
  return undefined;
}
