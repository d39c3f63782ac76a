import type { Config } from '../config';
import type { StaffTargetKind, TargetKind } from '../domain/weekly/weekly-delivery';
import { emailSender } from './email-sender';
import { kakaoEventSender } from './kakao-event-sender';
import { unconfigured, type Sender } from './sender';
import { slackSender } from './slack-sender';
import { telegramSender } from './telegram-sender';
import { webhookSender } from './webhook-sender';

/** A sender per target kind from the environment; a kind without credentials fails visibly. */
export function sendersFromConfig(config: Config): Record<TargetKind, Sender> {
  return {
    slack: config.SLACK_BOT_TOKEN
      ? slackSender({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL })
      : unconfigured('slack', 'SLACK_BOT_TOKEN'),
    telegram: config.TELEGRAM_BOT_TOKEN
      ? telegramSender({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT })
      : unconfigured('telegram', 'TELEGRAM_BOT_TOKEN'),
    email:
      config.SMTP_HOST && config.SMTP_FROM
        ? emailSender({
            host: config.SMTP_HOST,
            port: config.SMTP_PORT,
            secure: config.SMTP_SECURE,
            user: config.SMTP_USER,
            pass: config.SMTP_PASS,
            from: config.SMTP_FROM,
          })
        : unconfigured('email', 'SMTP_HOST or SMTP_FROM'),
    // reporters' news only (dong centers have no Kakao target): the district's own Event API key and bot
    kakao:
      config.KAKAO_EVENT_API_KEY && config.KAKAO_EVENT_BOT_ID
        ? kakaoEventSender({
            apiKey: config.KAKAO_EVENT_API_KEY,
            botId: config.KAKAO_EVENT_BOT_ID,
            eventName: config.KAKAO_EVENT_NAME,
            baseUrl: config.KAKAO_EVENT_API_URL,
          })
        : unconfigured('kakao', 'KAKAO_EVENT_API_KEY or KAKAO_EVENT_BOT_ID'),
    webhook: config.ALERT_WEBHOOK_SECRET
      ? webhookSender({ secret: config.ALERT_WEBHOOK_SECRET })
      : unconfigured('webhook', 'ALERT_WEBHOOK_SECRET'),
  };
}

/** Which staff target kinds have their credentials in the environment (a target of another kind cannot deliver). */
export const configuredKinds = (config: Config): Record<StaffTargetKind, boolean> => ({
  slack: !!config.SLACK_BOT_TOKEN,
  telegram: !!config.TELEGRAM_BOT_TOKEN,
  email: !!(config.SMTP_HOST && config.SMTP_FROM),
  webhook: !!config.ALERT_WEBHOOK_SECRET,
});
