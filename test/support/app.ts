import type { Server } from 'node:http';
import type mongoose from 'mongoose';
import { buildApp, type SagakApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import type { AddressGeocoder } from '../../src/domain/geocoding';
import { ensureIndexes } from '../../src/repositories';

export const TEST_SKILL_SECRET = 'test-skill-secret-0123456789';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', KAKAO_SKILL_SECRET: TEST_SKILL_SECRET, ...overrides });
}

export interface RunningApp extends SagakApp {
  baseUrl: string;
  /** The app's database connection (for the store's test inspection, e.g. src/store/report/inspect.ts). */
  connection: mongoose.Connection;
  close(): Promise<void>;
}

/** The real service on a real loopback port, over the given connection. */
export async function startTestApp(
  connection: mongoose.Connection,
  opts: { config?: Config; now?: () => Date; geocoder?: AddressGeocoder } = {},
): Promise<RunningApp> {
  const built = buildApp({ config: opts.config ?? testConfig(), connection, now: opts.now, geocoder: opts.geocoder });
  await ensureIndexes(built.repos);
  const server: Server = await new Promise((resolve) => {
    const s = built.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as { port: number };
  return {
    ...built,
    connection,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
