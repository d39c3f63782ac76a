import 'dotenv/config';
import { Cron } from 'croner';
import { z } from 'zod';

/** Empty strings in .env files mean "unset", not "the empty value". */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

function validCron(expr: string): boolean {
  try {
    new Cron(expr, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** TRUST_PROXY: `false` (the default: X-Forwarded-* ignored), a hop count, or proxy addresses/CIDRs. */
function parseTrustProxy(v: string): boolean | number | string[] | null {
  if (v === '' || v === 'false' || v === '0') return false;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const list = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ok = list.every((a) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/.test(a));
  return ok && list.length > 0 ? list : null;
}

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: int(0, 65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SHUTDOWN_GRACE_SECONDS: int(1, 3600).default(30),
    /** On SIGTERM, seconds of still taking requests while /readyz says 503, so a balancer stops sending first. */
    SHUTDOWN_DRAIN_SECONDS: int(0, 60).default(0),
    DISTRICT: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'a district file id such as "seodaemun"')
      .default('seodaemun'),
    MONGODB_URI: optional(z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI')),
    FERRETDB_PORT: int(1, 65535).default(27117),
    FERRETDB_DATA_DIR: z.string().min(1).default('./data/db'),
    SAGAK_CACHE_DIR: optional(z.string().min(1)),
    CONVERSATION_TTL_HOURS: int(1, 24 * 30).default(24),
    // Closed reports received longer ago than this move to the archive collection (the working set stays small).
    REPORTS_HOT_DAYS: int(14, 3650).default(35),
    KAKAO_SKILL_SECRET: optional(z.string().min(16, 'at least 16 characters')),
    KAKAO_SKILL_SECRET_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name')
      .default('X-Sagak-Skill-Secret'),
    KAKAO_REPLY_BUDGET_MS: int(500, 4800).default(3500),
    // Kakao's AI-chatbot callback (userRequest.callbackUrl, 1 minute, once): a turn slower than the
    // budget answers useCallback and posts its reply here. Only these origins are ever posted to
    // (comma-separated; "https://*.kakao.com" matches subdomains), so a request cannot aim us elsewhere.
    KAKAO_CALLBACK_ORIGINS: z.string().default('https://*.kakao.com'),
    KAKAO_CALLBACK_BUDGET_MS: int(5_000, 55_000).default(50_000),
    KAKAO_REST_API_KEY: optional(z.string().min(1)),
    KAKAO_LOCAL_BASE_URL: z.url().default('https://dapi.kakao.com'),
    // 도로명주소 검색 API (business.juso.go.kr): places road-name addresses when Kakao Local is unset or fails.
    JUSO_API_KEY: optional(z.string().min(1)),
    JUSO_API_URL: z.url().default('https://business.juso.go.kr/addrlink/addrLinkApi.do'),
    CONSOLE_SESSION_HOURS: int(1, 24 * 7).default(9),
    CONSOLE_LOGIN_WINDOW_MINUTES: int(1, 24 * 60).default(60),
    CONSOLE_LOGIN_FREE_FAILURES: int(1, 100).default(3),
    CONSOLE_LOGIN_MAX_DELAY_SECONDS: int(1, 24 * 3600).default(900),
    CONSOLE_LOGIN_MAX_PER_IP: int(1, 100000).default(50),
    CONSOLE_LOGIN_MAX_PER_ACCOUNT: int(1, 100000).default(20),
    CONSOLE_COOKIE_SECURE: optional(z.enum(['true', 'false']).transform((v) => v === 'true')),
    // Proxies and transport security
    TRUST_PROXY: z
      .string()
      .trim()
      .default('false')
      .transform(parseTrustProxy)
      .pipe(
        z.union([z.boolean(), z.number(), z.array(z.string())], {
          message: 'false, a hop count (1) or a comma-separated list of proxy addresses',
        }),
      ),
    HSTS_MAX_AGE_SECONDS: int(0, 2 * 365 * 86_400).default(31_536_000),
    LOG_PSEUDONYM_SECRET: optional(z.string().min(32, 'at least 32 characters')),
    // Access records (접속기록) and their monthly review
    ACCESS_RECORD_RETENTION_YEARS: int(2, 100).default(2),
    // The key of the records' HMAC chain, kept outside the database (required with MONGODB_URI).
    ACCESS_RECORD_SECRET: optional(z.string().min(32, 'at least 32 characters')),
    ACCESS_REVIEW_MAX_DOWNLOADS: int(1, 100_000).default(30),
    ACCESS_REVIEW_MAX_CASES: int(1, 1_000_000).default(500),
    // Retention: closed cases are anonymised this many years after closing (the district's records schedule)
    RETENTION_CLOSED_YEARS: int(1, 100).default(5),
    /** Uploaded institution lists (names, phones, addresses) are deleted this many days after upload; the import's counts and reports stay. */
    IMPORT_FILE_KEEP_DAYS: int(1, 365).default(30),
    // Slack (Bolt): the channel is on when both the signing secret and the bot token are set.
    SLACK_SIGNING_SECRET: optional(z.string().min(16, "the app's signing secret (Basic Information)")),
    SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-[A-Za-z0-9-]+$/, 'a bot token starting with xoxb-')),
    SLACK_API_URL: optional(z.url().regex(/\/$/, 'a Web API base URL ending in "/"')),
    SLACK_BOT_ID: z
      .string()
      .regex(/^B[A-Z0-9]+$/, 'a bot id such as B0123456789')
      .default('B00000000'),
    SLACK_BOT_USER_ID: z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'a user id such as U0123456789')
      .default('U00000000'),
    SLACK_REPLY_BUDGET_MS: int(500, 60_000).default(10_000),
    // Telegram (grammY webhook): the channel is on when both the bot token and the webhook secret are set.
    TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'a BotFather token such as 123456:ABC…')),
    TELEGRAM_WEBHOOK_SECRET: optional(
      z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 characters of A-Z a-z 0-9 _ -'),
    ),
    TELEGRAM_BOT_USERNAME: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "the bot's @username without @")
      .default('sagak_bot'),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
    TELEGRAM_REPLY_BUDGET_MS: int(500, 9_000).default(8_000),
    /** How long the web chat page waits for a turn before it says "try again" (it retries on its own). */
    WEBCHAT_REPLY_BUDGET_MS: int(500, 30_000).default(8_000),
    // Web chat (/chat): signs the browser's identity cookie.
    WEBCHAT_COOKIE_SECRET: optional(z.string().min(32, 'at least 32 characters')),
    WEBCHAT_COOKIE_DAYS: int(1, 400).default(90),
    // Weekly lists to the dong centers (src/delivery/): when, and through which platforms (Slack and Telegram credentials: above).
    WEEKLY_DELIVERY_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    WEEKLY_DELIVERY_CRON: z
      .string()
      .trim()
      .min(9)
      .refine(validCron, 'a 5- or 6-field cron expression such as "0 9 * * 1"')
      .default('0 9 * * 1'),
    WEEKLY_DELIVERY_CATCHUP_WEEKS: int(1, 12).default(2),
    WEEKLY_DELIVERY_SWEEP_SECONDS: int(5, 3600).default(60),
    // The call center's day (/console/today): when a requested visit counts as late, how often the page refreshes.
    TODAY_VISIT_REPORT_BUSINESS_DAYS: int(1, 30).default(3),
    TODAY_POLL_SECONDS: int(1, 600).default(15),
    // Alerts (src/delivery/alerts.ts): 즉시 위험 → call center, 방문 요청 → dong center, 방문 결과 → call center.
    ALERTS_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    ALERT_SWEEP_SECONDS: int(2, 600).default(10),
    // Scheduled backup (docs/backup.md): on when BACKUP_DIR is set; one instance takes each day's.
    BACKUP_DIR: optional(z.string().trim().min(1)),
    BACKUP_KEEP: int(1, 3650).default(14),
    /**
     * An instance's jobs put their reads of whole report collections (the hourly working-set pass,
     * the news window's read) off for this long after its start: a restart's burst of retried chat
     * turns goes first (src/whole-reads.ts).
     */
    JOBS_WHOLE_READS_AFTER_SECONDS: int(0, 3600).default(60),
    // the jobs' first passes after a start, this far apart (0: all at once); see start-jobs.ts
    JOBS_START_STAGGER_SECONDS: int(0, 60).default(2),
    // when the daily retention pass runs (Asia/Seoul): it reads every stored report, so at night
    RETENTION_CRON: z
      .string()
      .trim()
      .min(9)
      .refine(validCron, 'a 5- or 6-field cron expression such as "30 3 * * *"')
      .default('30 3 * * *'),
    BACKUP_CRON: z
      .string()
      .trim()
      .min(9)
      .refine(validCron, 'a 5- or 6-field cron expression such as "30 2 * * *"')
      .default('30 2 * * *'),
    // /metrics (docs/metrics.md): with a token, any client that sends it; without, loopback clients only.
    METRICS_TOKEN: optional(z.string().min(16, 'at least 16 characters')),
    ALERT_WINDOW_HOURS: int(1, 24 * 7).default(24),
    /** The HMAC key signing webhook alerts (src/delivery/webhook-sender.ts); without it webhook targets fail visibly. */
    ALERT_WEBHOOK_SECRET: optional(z.string().min(32, 'at least 32 characters')),
    CONSOLE_PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
    // The urgent route out of hours (docs/urgent-on-call.md): an unacknowledged urgent alert is sent again and escalated after this many minutes.
    URGENT_ACK_MINUTES: int(1, 24 * 60).default(15),
    /** The HMAC key of the 확인 link in urgent alerts (no sign-in needed for the 확인 only); without it the alerts carry no link. */
    URGENT_ACK_SECRET: optional(z.string().min(32, 'at least 32 characters')),
    // Reporters hear back (src/delivery/reporter-news.ts): milestone news pushed to the chat they reported from.
    REPORTER_NEWS_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** How often news is queued and sent (console actions do not start a pass): changes, retries, 08:00. */
    REPORTER_NEWS_SWEEP_SECONDS: int(5, 600).default(30),
    /** Milestones older than this are not told any more (a restart after a long stop does not flood the reporters). */
    REPORTER_NEWS_WINDOW_HOURS: int(1, 24 * 14).default(48),
    // KakaoTalk's Event API (the bot speaks first; each message is charged): on with the district's own key and bot id.
    KAKAO_EVENT_API_KEY: optional(z.string().min(1)),
    KAKAO_EVENT_BOT_ID: optional(z.string().regex(/^[A-Za-z0-9_-]+$/, 'the Open Builder bot id')),
    KAKAO_EVENT_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "the event name of the bot's event block")
      .default('reporter_news'),
    /** Event API messages a day at most (each is charged); 0 keeps the Event API off even with a key. */
    KAKAO_EVENT_DAILY_CAP: int(0, 1_000_000).default(0),
    KAKAO_EVENT_API_URL: z.url().default('https://bot-api.kakao.com'),
    // Photos sent in the chat (docs/photos.md): limits, the platforms' hosts they are fetched from.
    PHOTO_MAX_BYTES: int(100_000, 50 * 1024 * 1024).default(10 * 1024 * 1024),
    PHOTO_MAX_PIXELS: int(1_000_000, 200_000_000).default(40_000_000),
    PHOTO_FETCH_TIMEOUT_MS: int(200, 30_000).default(3_000),
    /** Keep a photo's own metadata (its GPS position): off, the position is taken out before it is stored. */
    PHOTO_KEEP_LOCATION: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    PHOTO_HOSTS_KAKAO: z.string().default('*.kakaocdn.net'),
    PHOTO_HOSTS_SLACK: z.string().default('files.slack.com'),
    /** Tests only ("talk.kakaocdn.net=http://127.0.0.1:1234,…"): refused in production. */
    PHOTO_FETCH_STAND_INS: optional(
      z
        .string()
        .regex(
          /^([a-z0-9.-]+=https?:\/\/[^,=\s]+)(,[a-z0-9.-]+=https?:\/\/[^,=\s]+)*$/i,
          'host=http://127.0.0.1:PORT pairs, comma-separated',
        ),
    ),
    SMTP_HOST: optional(z.string().min(1)),
    SMTP_PORT: int(1, 65535).default(587),
    SMTP_SECURE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    SMTP_USER: optional(z.string().min(1)),
    SMTP_PASS: optional(z.string().min(1)),
    SMTP_FROM: optional(z.string().min(3)),
  })
  .superRefine((c, ctx) => {
    // a half-configured channel is a mistake worth stopping for, not one to run silently without
    if (!c.SLACK_SIGNING_SECRET !== !c.SLACK_BOT_TOKEN)
      ctx.addIssue({
        code: 'custom',
        path: [c.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'],
        message: 'Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN',
      });
    if (!c.KAKAO_EVENT_API_KEY !== !c.KAKAO_EVENT_BOT_ID)
      ctx.addIssue({
        code: 'custom',
        path: [c.KAKAO_EVENT_API_KEY ? 'KAKAO_EVENT_BOT_ID' : 'KAKAO_EVENT_API_KEY'],
        message: 'the Kakao Event API needs both KAKAO_EVENT_API_KEY and KAKAO_EVENT_BOT_ID',
      });
    if (c.PHOTO_FETCH_STAND_INS && c.NODE_ENV === 'production')
      ctx.addIssue({
        code: 'custom',
        path: ['PHOTO_FETCH_STAND_INS'],
        message: 'a test setting: photos are fetched only from the platforms themselves in production',
      });
    if (!c.TELEGRAM_BOT_TOKEN !== !c.TELEGRAM_WEBHOOK_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: [c.TELEGRAM_BOT_TOKEN ? 'TELEGRAM_WEBHOOK_SECRET' : 'TELEGRAM_BOT_TOKEN'],
        message: 'Telegram needs both TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET',
      });
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads the environment once; a wrong value names the variable and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
}

/** Exits with one line instead of a stack trace: what an operator needs to fix the variable. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
