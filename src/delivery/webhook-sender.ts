import { createHmac } from 'node:crypto';
import { DeliveryError, type Sender } from './sender';

/**
 * A district's own endpoint (SMS gateway, on-call system, office messenger): an HTTPS POST of a
 * small JSON body, signed so the receiver knows it came from Sagak.
 *
 *     X-Sagak-Timestamp: 1796400000                 (seconds since 1970)
 *     X-Sagak-Signature: sha256=<hex HMAC-SHA256(ALERT_WEBHOOK_SECRET, "<timestamp>.<raw body>")>
 *
 * The receiver recomputes the HMAC over the raw body and compares in constant time, and refuses
 * a timestamp more than five minutes old (a replay). A non-2xx answer, a network error or no
 * answer within the time limit is a failed attempt, retried with the alerts' back-off.
 */
export function webhookSender(opts: { secret: string; timeoutMs?: number }): Sender {
  return {
    kind: 'webhook',
    async send(url, message) {
      if (!isAllowedWebhookUrl(url))
        throw new DeliveryError('webhook', 'the URL must be https:// (plain http only to a loopback address)');
      const body = JSON.stringify(message.data ?? { kind: 'message', subject: message.subject, text: message.text });
      const timestamp = String(Math.floor(Date.now() / 1000));
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'sagak-webhook/1',
            'x-sagak-timestamp': timestamp,
            'x-sagak-signature': signWebhook(opts.secret, timestamp, body),
          },
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new DeliveryError(
          'webhook',
          (err as Error).name === 'TimeoutError' ? 'no answer in time' : 'could not connect',
        );
      }
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) throw new DeliveryError('webhook', `HTTP ${res.status}`);
    },
  };
}

/** The signature header's value for a body sent at `timestamp`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** HTTPS anywhere; plain HTTP only to this machine (tests, a local relay). */
export function isAllowedWebhookUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return (
    url.protocol === 'http:' &&
    (host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))
  );
}
