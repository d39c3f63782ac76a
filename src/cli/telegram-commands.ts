import { Api } from 'grammy';
import { z } from 'zod';
import { webhookParams } from '../../adapters/telegram';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

const publicUrl = z
  .url({ protocol: /^https$/, message: '--url must be the public https:// address of this service' })
  .refine((u) => !/^https:\/\/(localhost|127\.|\[::1\])/.test(u), 'Telegram cannot reach a loopback address');

/**
 * Connects the Telegram bot to this service: prints the setWebhook call to make, or makes it
 * with --set. The secret and token come from the environment and are never printed.
 */
export const telegramCommands: CommandGroup = {
  usage: `  telegram webhook --url <public https url> [--set]`,
  async run(args, { config }) {
    const { values, positionals } = parseCommandArgs(args, { url: { type: 'string' }, set: { type: 'boolean' } });
    if (positionals[0] !== 'webhook') throw new UsageError(`Usage:\n${telegramCommands.usage}`);
    const url = publicUrl.safeParse(values.url);
    if (!url.success) throw new UsageError(values.url ? url.error.issues[0]!.message : '--url is required');
    if (!config.TELEGRAM_BOT_TOKEN || !config.TELEGRAM_WEBHOOK_SECRET) {
      throw new UsageError('set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first (see .env.example)');
    }
    const params = webhookParams(url.data, config.TELEGRAM_WEBHOOK_SECRET);
    const shown = { ...params, secret_token: '$TELEGRAM_WEBHOOK_SECRET' };
    if (!values.set) {
      const body = JSON.stringify(shown).replace('"$TELEGRAM_WEBHOOK_SECRET"', `"'"$TELEGRAM_WEBHOOK_SECRET"'"`);
      const text = [
        'Make this call (or run again with --set):',
        `curl -sS -X POST "${config.TELEGRAM_API_ROOT}/bot$TELEGRAM_BOT_TOKEN/setWebhook" \\`,
        `  -H 'content-type: application/json' \\`,
        `  -d '${body}'`,
      ].join('\n');
      return { text, json: { method: 'setWebhook', set: false, params: shown } };
    }
    const api = new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
    await api.setWebhook(params.url, { secret_token: params.secret_token, allowed_updates: params.allowed_updates });
    return {
      text: `Webhook set: ${params.url} (updates: ${params.allowed_updates.join(', ')})`,
      json: { method: 'setWebhook', set: true, params: shown },
    };
  },
};
