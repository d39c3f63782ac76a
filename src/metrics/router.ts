import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { log } from '../log';
import { registry } from './metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * A direct loopback client: the socket's own peer (never X-Forwarded-For), and no forwarding
 * header at all, since a proxy on the same host connects from loopback on behalf of anyone.
 */
const directLoopback = (req: Request) =>
  LOOPBACK.has(req.socket.remoteAddress ?? '') && !req.headers['x-forwarded-for'] && !req.headers.forwarded;

const tokenMatches = (header: string | undefined, token: string) => {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
};

/**
 * `GET /metrics` in the Prometheus text format. With METRICS_TOKEN the scraper sends
 * `Authorization: Bearer <token>`; without it only a direct loopback client is answered.
 */
export function metricsRouter(opts: { token?: string; collect: () => Promise<void> }): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (opts.token ? !tokenMatches(req.headers.authorization, opts.token) : !directLoopback(req)) {
      res
        .status(opts.token ? 401 : 403)
        .type('text/plain')
        .send(
          opts.token
            ? 'metrics: send the METRICS_TOKEN as a bearer token\n'
            : 'metrics: loopback only (set METRICS_TOKEN to scrape from elsewhere)\n',
        );
      return;
    }
    // a failed gauge read (the database is down) still serves the counters; the ping histogram shows it
    await opts
      .collect()
      .catch((err: Error) => log.warn({ error: err.name, detail: err.message }, 'metrics: reading the gauges failed'));
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
