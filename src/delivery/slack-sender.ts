import { webApi } from '@slack/bolt';
import { DeliveryError, type Sender } from './sender';

/**
 * Posts the list into the dong center's channel as one message with the file attached
 * (files.getUploadURLExternal → upload → files.completeUploadExternal with the text as its
 * comment), through Slack's own client. No client-side retries: the delivery keeps its own.
 */
export function slackSender(opts: { token: string; apiUrl?: string; timeoutMs?: number }): Sender {
  const client = new webApi.WebClient(opts.token, {
    slackApiUrl: opts.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 60_000,
    logLevel: webApi.LogLevel.ERROR,
  });
  return {
    kind: 'slack',
    async send(channel, message) {
      try {
        if (!message.attachment) {
          await client.chat.postMessage({ channel, text: message.text, unfurl_links: false });
          return;
        }
        await client.filesUploadV2({
          channel_id: channel,
          initial_comment: message.text,
          file: message.attachment.content,
          filename: message.attachment.filename,
          title: message.subject,
        });
      } catch (err) {
        const e = err as { code?: string; data?: { error?: string }; message?: string };
        throw new DeliveryError('slack', e.data?.error ?? e.code ?? e.message ?? 'failed');
      }
    },
  };
}
