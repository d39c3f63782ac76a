import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import { kakaoRouter } from '../adapters/kakao';
import { slackRouter } from '../adapters/slack';
import { telegramRouter } from '../adapters/telegram';
import type { DeadlineResult, TurnHandler } from '../adapters/turn-handler';
import { cookieSecret } from '../adapters/webchat/identity';
import { webchatRouter } from '../adapters/webchat/router';
import { reportEngine } from '../flows/report/engine';
import type { Incoming } from '../flows/types';
import type { Config } from './config';
import { apiRouter } from './console/api-router';
import { consoleDeps } from './console/deps';
import { consoleRouter } from './console/pages-router';
import type { AddressGeocoder } from './domain/kakao-local';
import { finalErrorHandler, notFoundHandler } from './http/errors';
import { normalizedQueryParser } from './http/normalize-input';
import { securityHeaders } from './http/security-headers';
import { homeRouter } from './home/router';
import { InFlight } from './in-flight';
import { log, pseudonym } from './log';
import { repositories, reportFlowServices, type Repositories } from './services';

export interface AppOptions {
  config: Config;
  connection: Connection;
  now?: () => Date;
  geocoder?: AddressGeocoder;
}

export interface SagakApp {
  app: Express;
  repos: Repositories;
  handleTurn: TurnHandler;
  /** Turns in progress; shutdown waits for them. */
  turns: InFlight;
}

/** Logs a turn by pseudonym, outcome and time: never the text, which may hold a name or address. */
function logTurn(result: DeadlineResult, incoming: Incoming, ms: number): void {
  const base = { channel: incoming.channel, user: pseudonym(incoming.channel, incoming.userId), ms: Math.round(ms) };
  if (result.kind === 'reply') log.debug({ ...base, outcome: 'reply' }, 'turn');
  else if (result.kind === 'late') log.warn({ ...base, outcome: 'late' }, 'turn missed the channel deadline');
  else {
    const err = result.error as { code?: unknown; name?: string };
    log.error({ ...base, outcome: 'failed', error: err?.name, code: err?.code }, 'turn failed');
  }
}

/** The composition root of the HTTP service: repositories, flow engine, adapters, health. */
export function buildApp(opts: AppOptions): SagakApp {
  const { config, connection } = opts;
  const repos = repositories(connection, { hotDays: config.REPORTS_HOT_DAYS });
  const services = reportFlowServices({ config, repos, geocoder: opts.geocoder, now: opts.now });
  const engine = reportEngine({ services, store: repos.conversations, idleTtlMs: config.CONVERSATION_TTL_HOURS * 3_600_000, now: opts.now });
  const turns = new InFlight();
  const handleTurn: TurnHandler = Object.assign((incoming: Incoming, signal: AbortSignal) => turns.track(engine.turn(incoming, signal)), {
    unanswered: (incoming: Incoming, signal: AbortSignal) => turns.track(engine.unanswered(incoming, signal)),
  });

  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* is read only from the proxies TRUST_PROXY names (off by default): else any client could choose its address
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', normalizedQueryParser);
  app.use(securityHeaders({ hstsMaxAgeSeconds: config.HSTS_MAX_AGE_SECONDS }));

  app.get('/healthz', async (_req, res) => {
    let db = 'down';
    try {
      if (connection.readyState === 1) {
        await Promise.race([connection.db!.admin().ping(), new Promise((_, no) => setTimeout(() => no(new Error('timeout')), 1_000))]);
        db = 'up';
      }
    } catch {
      db = 'down';
    }
    res.status(db === 'up' ? 200 : 503).json({ service: 'up', database: db, district: services.district.name });
  });

  app.use(
    kakaoRouter({
      handle: handleTurn,
      secret: config.KAKAO_SKILL_SECRET,
      secretHeader: config.KAKAO_SKILL_SECRET_HEADER,
      budgetMs: config.KAKAO_REPLY_BUDGET_MS,
      onTurn: logTurn,
    }),
  );

  const consoleDependencies = consoleDeps(config, repos, services.district, opts.now ?? (() => new Date()));
  app.use(apiRouter(consoleDependencies));
  app.use(consoleRouter(consoleDependencies));
  // Slack and Telegram are on when their secrets are configured; each claims a platform delivery
  // id once (unique-index insert) so the platforms' redeliveries are answered once.
  if (config.SLACK_SIGNING_SECRET && config.SLACK_BOT_TOKEN) {
    app.use(
      slackRouter({
        handle: handleTurn,
        signingSecret: config.SLACK_SIGNING_SECRET,
        botToken: config.SLACK_BOT_TOKEN,
        botId: config.SLACK_BOT_ID,
        botUserId: config.SLACK_BOT_USER_ID,
        apiUrl: config.SLACK_API_URL,
        claimDelivery: (key) => repos.deliveries.claim(key),
        budgetMs: config.SLACK_REPLY_BUDGET_MS,
        onTurn: logTurn,
        onLog: (level, message) => log[level]({ channel: 'slack', source: 'bolt' }, message),
      }),
    );
  }
  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET) {
    app.use(
      telegramRouter({
        handle: handleTurn,
        botToken: config.TELEGRAM_BOT_TOKEN,
        botUsername: config.TELEGRAM_BOT_USERNAME,
        secretToken: config.TELEGRAM_WEBHOOK_SECRET,
        apiRoot: config.TELEGRAM_API_ROOT,
        claimDelivery: (key) => repos.deliveries.claim(key),
        budgetMs: config.TELEGRAM_REPLY_BUDGET_MS,
        onTurn: logTurn,
        onError: (err) => log.error({ channel: 'telegram', error: (err as Error)?.name, code: (err as { error_code?: number })?.error_code }, 'telegram Bot API call or update failed'),
      }),
    );
  }
  const webchatSecret = cookieSecret(config.WEBCHAT_COOKIE_SECRET, config.NODE_ENV);
  if (webchatSecret) {
    app.use(
      webchatRouter({
        handle: handleTurn,
        cookieSecret: webchatSecret,
        cookieMaxAgeMs: config.WEBCHAT_COOKIE_DAYS * 86_400_000,
        districtName: services.district.name,
        deliveries: {
          claim: (key) => repos.deliveries.claim(`web:${key}`),
          release: (key) => repos.deliveries.release(`web:${key}`),
        },
        onTurn: logTurn,
      }),
    );
  } else log.warn('web chat is off: set WEBCHAT_COOKIE_SECRET (>= 32 characters) to serve /chat');
  app.use(homeRouter({ districtName: services.district.name, webchat: Boolean(webchatSecret), embeddedDatabase: !config.MONGODB_URI }));

  app.use(notFoundHandler);
  app.use(finalErrorHandler);
  return { app, repos, handleTurn, turns };
}
