import type { TargetKind } from '../domain/weekly/weekly-delivery';

/** What goes to a target: a short Korean message, and the XLSX list for weekly lists (alerts have none). */
export interface OutgoingList {
  subject: string;
  text: string;
  attachment?: { filename: string; content: Buffer; contentType: string };
  /** The same content as fields, for a webhook's JSON body (alerts; what the privacy level allows). */
  data?: Record<string, unknown>;
}

/** One way of delivering (Slack, Telegram, e-mail). Throws when the platform did not take it. */
export interface Sender {
  kind: TargetKind;
  send(address: string, message: OutgoingList): Promise<void>;
}

/** The platform refused or could not be reached; `message` is safe to store (no personal data). */
export class DeliveryError extends Error {
  constructor(
    public kind: TargetKind,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}

/** A sender for a target whose credentials are not configured: every attempt fails visibly. */
export const unconfigured = (kind: TargetKind, what: string): Sender => ({
  kind,
  async send() {
    throw new DeliveryError(kind, `${what} is not set`);
  },
});
