import { createHmac } from 'node:crypto';
import type { CaptureServer, CapturedCall } from './capture-server';

export const TEST_SLACK_SIGNING_SECRET = 'test-slack-signing-secret-0123456789';
export const TEST_SLACK_BOT_TOKEN = 'xoxb-test-0000-token';
export const TEST_SLACK_TEAM = 'T0SAGAK';

/** Slack's v0 request signature, computed as Slack computes it (api.slack.com/authentication/verifying-requests-from-slack). */
export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** POSTs a raw body to /slack/events signed with `secret` (default: the right one). */
export async function postSlack(
  baseUrl: string,
  rawBody: string,
  contentType: string,
  opts: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
) {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': slackSignature(opts.secret ?? TEST_SLACK_SIGNING_SECRET, ts, rawBody),
      ...opts.headers,
    },
    body: rawBody,
  });
}

let eventSeq = 0;
export const nextEventId = () => `Ev0TEST${process.pid}x${++eventSeq}`;

/** The Events API envelope of a DM to the app (shared/PROTOCOLS.md §2). */
export function dmEvent(user: string, channel: string, text: string, eventId = nextEventId()) {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++eventSeq).padStart(6, '0')}`;
  return {
    token: 'legacy-verification-token',
    team_id: TEST_SLACK_TEAM,
    api_app_id: 'A0SAGAK',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      channel_type: 'im',
      channel,
      user,
      text,
      ts,
      event_ts: ts,
      client_msg_id: `c-${eventSeq}`,
    },
    authorizations: [{ team_id: TEST_SLACK_TEAM, user_id: 'U0BOT', is_bot: true }],
  };
}

interface SlackButton {
  text: { text: string };
  value: string;
  action_id: string;
}
interface SlackBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: SlackButton[];
}

/**
 * A Slack user writing to the app in a DM: each message is a signed Events API delivery, each
 * button press a signed block_actions form post, and the answer is the next chat.postMessage
 * the app sends to the capture server.
 */
export class SlackUser {
  last?: CapturedCall;
  /** How long the last delivery took to be acknowledged (HTTP 200), before its reply was sent. */
  lastAckMs?: number;
  constructor(
    public baseUrl: string,
    public api: CaptureServer,
    public id: string,
    public channel = `D${id}`,
  ) {}

  /** The id the flows see (workspace and user). */
  get flowUserId(): string {
    return `${TEST_SLACK_TEAM}:${this.id}`;
  }

  private async deliver(send: () => Promise<Response>): Promise<CapturedCall> {
    const from = this.api.calls.length;
    const sentAt = performance.now();
    const res = await send();
    this.lastAckMs = performance.now() - sentAt;
    if (res.status !== 200) throw new Error(`slack events answered HTTP ${res.status}: ${await res.text()}`);
    this.last = await this.api.next(
      from,
      (c) => c.path.endsWith('/chat.postMessage') && c.body.channel === this.channel,
    );
    return this.last;
  }

  say(text: string, opts: { eventId?: string; headers?: Record<string, string> } = {}): Promise<CapturedCall> {
    const body = JSON.stringify(dmEvent(this.id, this.channel, text, opts.eventId));
    return this.deliver(() => postSlack(this.baseUrl, body, 'application/json', { headers: opts.headers }));
  }

  /** The block_actions form body for pressing `label` on the last message. */
  pressBody(label: string): string {
    const button = this.buttons().find((b) => b.text.text === label);
    if (!button) throw new Error(`no button "${label}" in: ${this.labels().join(', ')}`);
    const messageTs = `1700000000.${String(this.api.calls.indexOf(this.last!)).padStart(6, '0')}`;
    const payload = {
      type: 'block_actions',
      user: { id: this.id, username: 'field.worker', team_id: TEST_SLACK_TEAM },
      api_app_id: 'A0SAGAK',
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: messageTs, channel_id: this.channel, is_ephemeral: false },
      trigger_id: '1.2.3',
      team: { id: TEST_SLACK_TEAM, domain: 'sagak' },
      channel: { id: this.channel, name: 'directmessage' },
      message: { type: 'message', text: String(this.last?.body.text ?? ''), ts: messageTs, blocks: this.blocks() },
      response_url: `${this.api.baseUrl}/response-url`,
      actions: [
        {
          type: 'button',
          action_id: button.action_id,
          block_id: 'b',
          text: { type: 'plain_text', text: button.text.text },
          value: button.value,
          action_ts: `${Date.now() / 1000}${++eventSeq}`,
        },
      ],
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }

  press(label: string): Promise<CapturedCall> {
    const body = this.pressBody(label);
    return this.deliver(() => postSlack(this.baseUrl, body, 'application/x-www-form-urlencoded'));
  }

  blocks(): SlackBlock[] {
    return (this.last?.body.blocks as SlackBlock[] | undefined) ?? [];
  }

  buttons(): SlackButton[] {
    return this.blocks().flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
  }

  text(): string {
    return this.blocks()
      .filter((b) => b.type === 'section')
      .map((b) => b.text?.text ?? '')
      .join('\n');
  }

  labels(): string[] {
    return this.buttons().map((b) => b.text.text);
  }
}
