/**
 * Error messages from the platforms' clients can quote the request URL, and Telegram's carries
 * the bot token in its path (`/bot<id>:<secret>/sendMessage`): never store or show it.
 */
export const redactSecrets = (message: string): string =>
  message.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot***').replace(/(xox[abpr]-)[A-Za-z0-9-]+/g, '$1***');
