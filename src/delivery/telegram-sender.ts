import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import { DeliveryError, type Sender } from './sender';

const CAPTION_MAX = 1024; // Telegram's limit for a document caption

/** Sends the list to the dong center's chat as one document with the summary as its caption. */
export function telegramSender(opts: { token: string; apiRoot?: string; timeoutSeconds?: number }): Sender {
  const api = new Api(opts.token, { apiRoot: opts.apiRoot, timeoutSeconds: opts.timeoutSeconds ?? 60 });
  return {
    kind: 'telegram',
    async send(chatId, message) {
      const caption = message.text.length > CAPTION_MAX ? `${message.text.slice(0, CAPTION_MAX - 1)}…` : message.text;
      try {
        if (!message.attachment) {
          await api.sendMessage(chatId, message.text.slice(0, 4096), { link_preview_options: { is_disabled: true } });
          return;
        }
        await api.sendDocument(chatId, new InputFile(message.attachment.content, message.attachment.filename), {
          caption,
        });
      } catch (err) {
        if (err instanceof GrammyError) throw new DeliveryError('telegram', `${err.error_code} ${err.description}`);
        if (err instanceof HttpError)
          throw new DeliveryError('telegram', `network: ${(err.error as Error)?.message ?? 'failed'}`);
        throw new DeliveryError('telegram', (err as Error).message);
      }
    },
  };
}
