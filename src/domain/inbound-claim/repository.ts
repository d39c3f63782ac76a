/**
 * Platform deliveries (a Slack event_id, a Telegram update_id, a web-chat message id) claimed once
 * for processing, so a redelivered copy is skipped; src/store/inbound-claim implements it.
 */
export interface DeliveryClaimRepository {
  /** True for the first claim of `key`, false for every later copy. */
  claim(key: string): Promise<boolean>;
  /** Gives the claim up (processing failed), so the platform's retry is taken. */
  release(key: string): Promise<void>;
  purge(before: Date): Promise<number>;
}
