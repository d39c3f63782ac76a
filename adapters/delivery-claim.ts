/**
 * Claims a platform delivery (a Slack event_id, a Telegram update_id) for processing: true the
 * first time a key is seen, false for every redelivery. The composition root passes the store's
 * unique-index claim; adapters never reach the database themselves.
 */
export type ClaimDelivery = (key: string) => Promise<boolean>;
