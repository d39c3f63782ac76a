import 'dotenv/config';
import { z } from 'zod';

/** Empty strings in .env files mean "unset", not "the empty value". */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DISTRICT: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a district file id such as "seodaemun"').default('seodaemun'),
  MONGODB_URI: optional(z.string().regex(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI')),
  FERRETDB_PORT: int(1, 65535).default(27117),
  FERRETDB_DATA_DIR: z.string().min(1).default('./data/db'),
  SAGAK_CACHE_DIR: optional(z.string().min(1)),
  CONVERSATION_TTL_HOURS: int(1, 24 * 30).default(24),
  KAKAO_SKILL_SECRET: optional(z.string().min(16, 'at least 16 characters')),
  KAKAO_SKILL_SECRET_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name').default('X-Sagak-Skill-Secret'),
  KAKAO_REPLY_BUDGET_MS: int(500, 4800).default(3500),
  KAKAO_REST_API_KEY: optional(z.string().min(1)),
  KAKAO_LOCAL_BASE_URL: z.url().default('https://dapi.kakao.com'),
  WEBCHAT_COOKIE_SECRET: optional(z.string().min(32, 'at least 32 characters')),
  WEBCHAT_COOKIE_DAYS: int(1, 400).default(90),
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
