import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import { kakaoRouter } from '../adapters/kakao';
import { slackRouter } from '../adapters/slack';
import { telegramRouter } from '../adapters/telegram';
import { turnKit, type DeadlineResult, type TurnHandler } from '../adapters/turn-kit';
import { cookieSecret } from '../adapters/webchat/identity';
import { webchatRouter } from '../adapters/webchat/router';
import { parseStandIns, type PhotoFetchOptions } from '../adapters/photo-fetch';
import { guardInput } from '../flows/input-guard';
import { reportEngine } from '../flows/report/report-engine';
import { INPUT_GUARD_TEXTS, MAX_MESSAGE_LENGTH } from '../flows/report/messages';
import type { Incoming } from '../flows/types';
import type { Config } from './config';
import { API_ROUTER_REPOS, apiRouter } from './console/api-router';
import { consoleDeps } from './console/deps';
import { CONSOLE_ROUTER_REPOS, consoleRouter } from './console/pages-router';
import { IMPORT_UPLOAD_REPOS, importUploadRouter } from './console/import-upload';
import type { AddressGeocoder } from './domain/geocoding';
import { finalErrorHandler, notFoundHandler } from './http/errors';
import { normalizedQueryParser } from './http/normalize-input';
import { securityHeaders } from './http/security-headers';
import { homeRouter } from './home/router';
import { InFlight } from './in-flight';
import { heartbeats, type Heartbeats } from './health';
import { checkReadiness } from './readiness';
import { countTurn } from './metrics/metrics';
import { metricsRouter } from './metrics/router';
import { collectAtScrape } from './metrics/scrape';
import { newsInChat } from './delivery/news-in-chat';
import { log, pseudonym } from './log';
import { districtForApp, loadDistrict, type District } from './domain/district';
import { reportFlowServices } from './chat-services';
import { openRepositories } from './repositories';
import { type Repositories } from './ports';

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
  /** The district as this app serves it; `districtWithLists` brings its lists up to date. */
  district: District;
  /** The background jobs' heartbeats `/readyz` checks (main.ts registers the jobs it starts). */
  health: Heartbeats;
}

/** Logs a turn by pseudonym, outcome and time: never the text, which may hold a name or address. */
function logTurn(result: DeadlineResult, incoming: Incoming, ms: number): void {
  countTurn(
    incoming.channel,
    result.kind === 'reply' ? 'reply' : result.kind === 'late' ? 'late' : 'failed',
    ms / 1000,
  );
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
  const repos = openRepositories(connection, { hotDays: config.REPORTS_HOT_DAYS });
  // this app's own district: the admin's list edits replace its lists (src/domain/district-lists.ts)
  const district = districtForApp(loadDistrict(config.DISTRICT));
  const services = reportFlowServices({ config, repos, district, geocoder: opts.geocoder, now: opts.now });
  const engine = reportEngine({
    services,
    store: repos.conversations,
    idleTtlMs: config.CONVERSATION_TTL_HOURS * 3_600_000,
    now: opts.now,
  });
  const turns = new InFlight();
  // empty, over-long or symbols-only messages get a re-prompt here, the same on every channel
  const guarded = guardInput(
    (incoming, signal) => engine.turn(incoming, signal),
    INPUT_GUARD_TEXTS,
    MAX_MESSAGE_LENGTH,
  );
  // news of the reporter's earlier reports that could not be pushed come first (src/delivery/news-in-chat.ts)
  const news = newsInChat({ news: repos.reporterNews, now: opts.now ?? (() => new Date()) });
  const withNews = async (incoming: Incoming, signal: AbortSignal) => {
    // Whether news wait (the marks' shared change token, then a mark by `_id`) beside the turn, not after it: one round trip less in
    // every turn's chain. A mark the sweep sets meanwhile is seen at the next message.
    const waiting = repos.reporterNews.isWaiting(incoming.channel, incoming.userId);
    waiting.catch(() => undefined); // read below, after the turn; a failure is logged there
    const answer = await guarded(incoming, signal);
    if (signal.aborted) return answer;
    const told = await news(incoming.channel, incoming.userId, waiting).catch((err: Error) => {
      log.warn({ channel: incoming.channel, error: err.name }, 'news for the chat could not be read; they stay queued');
      return undefined;
    });
    if (!told) return answer;
    const settle = (work: Promise<void>) =>
      void work.catch((err: Error) =>
        log.warn(
          { channel: incoming.channel, error: err.name },
          'news shown in the chat could not be settled; the next turn settles them',
        ),
      );
    // checked with no await before the return: the deadline's timer cannot fire in between
    if (signal.aborted) {
      settle(told.givenBack());
      return answer;
    }
    settle(told.kept());
    return { ...answer, texts: [told.text, ...answer.texts] };
  };
  const handleTurn: TurnHandler = Object.assign(
    (incoming: Incoming, signal: AbortSignal) => turns.track(withNews(incoming, signal)),
    {
      unanswered: (incoming: Incoming, signal: AbortSignal) => turns.track(engine.unanswered(incoming, signal)),
    },
  );
  /** One turn kit per channel: its budget, the shared delivery claims, turn reports and a logger naming the channel. */
  const kit = (channel: string, budgetMs: number) =>
    turnKit({
      handle: handleTurn,
      budgetMs,
      deliveries: repos.deliveries,
      report: logTurn,
      log: {
        warn: (message, fields) => log.warn({ channel, ...fields }, message),
        error: (message, fields) => log.error({ channel, ...fields }, message),
      },
    });

  /**
   * Where each channel's photos may be fetched from, and the limits. Stand-ins (tests only; the
   * config refuses them in production) point an allowed host at a local server; under test, no
   * other host is ever fetched.
   */
  const photos = (hosts: string, trustedOrigins: string[] = []): PhotoFetchOptions => ({
    hosts: hosts
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    maxBytes: config.PHOTO_MAX_BYTES,
    timeoutMs: config.PHOTO_FETCH_TIMEOUT_MS,
    trustedOrigins,
    standIns: parseStandIns(config.PHOTO_FETCH_STAND_INS),
    onlyStandIns: config.NODE_ENV === 'test',
  });

  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* is read only from the proxies TRUST_PROXY names (off by default): else any client could choose its address
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', normalizedQueryParser);
  app.use(securityHeaders({ hstsMaxAgeSeconds: config.HSTS_MAX_AGE_SECONDS }));

  const health = heartbeats();
  const ping = async () => {
    if (connection.readyState !== 1) throw new Error('not connected');
    await Promise.race([
      connection.db!.admin().ping(),
      new Promise((_, no) => setTimeout(() => no(new Error('timeout')), 1_000)),
    ]);
  };
  // /healthz: the process answers (a supervisor restarts it when not); /readyz: it can serve (a balancer sends to it only then)
  app.get('/healthz', (_req, res) => {
    res.json({ service: 'up', district: services.district.name });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness({
      ping,
      health,
      backups: config.BACKUP_DIR ? repos.backupRuns : undefined,
      now: opts.now ?? (() => new Date()),
    });
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  app.use(
    metricsRouter({
      token: config.METRICS_TOKEN,
      collect: () =>
        collectAtScrape({
          repos,
          district: services.district,
          ping,
          now: opts.now ?? (() => new Date()),
          visitReportBusinessDays: config.TODAY_VISIT_REPORT_BUSINESS_DAYS,
        }),
    }),
  );

  app.use(
    kakaoRouter({
      turns: kit('kakao', config.KAKAO_REPLY_BUDGET_MS),
      secret: config.KAKAO_SKILL_SECRET,
      secretHeader: config.KAKAO_SKILL_SECRET_HEADER,
      photos: photos(config.PHOTO_HOSTS_KAKAO),
      callback: {
        origins: config.KAKAO_CALLBACK_ORIGINS.split(',').filter(Boolean),
        budgetMs: config.KAKAO_CALLBACK_BUDGET_MS,
        firstAnswerMs: config.KAKAO_REPLY_BUDGET_MS,
      },
    }),
  );

  // each router gets the shared console parts and only the repositories it names
  const consoleParts = consoleDeps(
    config,
    repos,
    services.district,
    opts.now ?? (() => new Date()),
    services.resolveAddress,
  );
  app.use(apiRouter(consoleParts.withRepos(API_ROUTER_REPOS)));
  app.use(importUploadRouter(consoleParts.withRepos(IMPORT_UPLOAD_REPOS))); // multipart: before the console's form parser
  app.use(consoleRouter(consoleParts.withRepos(CONSOLE_ROUTER_REPOS)));
  // Slack and Telegram are on when their secrets are configured; each claims a platform delivery
  // id once (unique-index insert) so the platforms' redeliveries are answered once.
  if (config.SLACK_SIGNING_SECRET && config.SLACK_BOT_TOKEN) {
    app.use(
      slackRouter({
        turns: kit('slack', config.SLACK_REPLY_BUDGET_MS),
        signingSecret: config.SLACK_SIGNING_SECRET,
        botToken: config.SLACK_BOT_TOKEN,
        botId: config.SLACK_BOT_ID,
        botUserId: config.SLACK_BOT_USER_ID,
        apiUrl: config.SLACK_API_URL,
        photos: photos(config.PHOTO_HOSTS_SLACK),
      }),
    );
  }
  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET) {
    app.use(
      telegramRouter({
        turns: kit('telegram', config.TELEGRAM_REPLY_BUDGET_MS),
        botToken: config.TELEGRAM_BOT_TOKEN,
        botUsername: config.TELEGRAM_BOT_USERNAME,
        secretToken: config.TELEGRAM_WEBHOOK_SECRET,
        apiRoot: config.TELEGRAM_API_ROOT,
        // the Bot API root is the operator's own setting: its file URLs are fetched as they are
        photos: photos('', [new URL(config.TELEGRAM_API_ROOT).origin]),
      }),
    );
  }
  const webchatSecret = cookieSecret(config.WEBCHAT_COOKIE_SECRET, config.NODE_ENV);
  if (webchatSecret) {
    app.use(
      webchatRouter({
        turns: kit('web', config.WEBCHAT_REPLY_BUDGET_MS),
        cookieSecret: webchatSecret,
        cookieMaxAgeMs: config.WEBCHAT_COOKIE_DAYS * 86_400_000,
        districtName: services.district.name,
        maxPhotoBytes: config.PHOTO_MAX_BYTES,
      }),
    );
  } else log.warn('web chat is off: set WEBCHAT_COOKIE_SECRET (>= 32 characters) to serve /chat');
  app.use(
    homeRouter({
      districtName: services.district.name,
      webchat: Boolean(webchatSecret),
      embeddedDatabase: !config.MONGODB_URI,
    }),
  );

  app.use(notFoundHandler);
  app.use(finalErrorHandler);
  return { app, repos, handleTurn, turns, district, health };
}
