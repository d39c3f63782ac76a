import { WebAdapter } from 'botbuilder-adapter-web';
import { Botkit, type BotkitConfiguration, type BotkitMessage } from 'botkit';
import type { Request, Response } from 'express';
import type { AdapterLog } from '../turn-kit';
import type { WebReply, WebTurn } from './wire';

/**
 * Botkit with its web adapter, on the POST webhook transport only: the replies of a turn come
 * back as a JSON array in the HTTP response. Three things of Botkit's are turned off on purpose
 * (see shared/PROTOCOLS.md §4–5): its web server (we mount on our Express app), its WebSocket
 * server, and its in-memory state (conversations live in MongoDB, behind handleTurn).
 */

/** `init` would open a WebSocket server on Botkit's own http server (undefined here) plus a 30 s ping timer. */
class WebhookOnlyAdapter extends WebAdapter {
  override init(): void {}
}

/** Botkit dialogs are unused; storing nothing keeps Botkit from growing a per-user map in memory. */
const nullStorage: NonNullable<BotkitConfiguration['storage']> = {
  read: async () => ({}),
  write: async () => {},
  delete: async () => {},
};

export type Respond = (turn: WebTurn) => Promise<WebReply[]>;

export interface WebchatBot {
  /** Runs one turn for a validated request whose body already carries the server-issued user. */
  process(req: Request, res: Response): Promise<void>;
}

export function webchatBot(respond: Respond, fallback: () => WebReply[], log: AdapterLog): WebchatBot {
  const adapter = new WebhookOnlyAdapter();
  const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true, storage: nullStorage });

  const onMessage = async (
    bot: { reply(src: BotkitMessage, resp: Partial<BotkitMessage>): Promise<unknown> },
    message: BotkitMessage,
  ) => {
    // Never throw from here: Botkit runs handlers in callbacks whose rejections nobody awaits,
    // so a throw would leave the HTTP request hanging and end as an unhandled rejection.
    let replies: WebReply[];
    try {
      replies = await respond({
        userId: message.user,
        type: message.type as WebTurn['type'],
        text: message.text ?? '',
        choice: typeof message.choice === 'string' ? message.choice : undefined,
        clientId: typeof message.clientId === 'string' ? message.clientId : undefined,
      });
    } catch (err) {
      log.error('web chat turn failed', { error: (err as Error)?.name });
      replies = fallback();
    }
    for (const r of replies) await bot.reply(message, r).catch(() => {});
  };
  controller.on(['message', 'hello', 'welcome_back'], onMessage);

  return {
    async process(req, res) {
      try {
        await adapter.processActivity(req, res, controller.handleTurn.bind(controller));
      } catch (err) {
        log.error('botkit failed outside the turn', { error: (err as Error)?.name });
        if (!res.headersSent) res.status(500).json(fallback());
      }
    },
  };
}
