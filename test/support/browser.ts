import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PASSWORD } from './console';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * How long a wait for a page event (a navigation, an element, a download) may take before it
 * fails. Waits follow events, so this only bounds a hang: generous, because a loaded 2-core
 * machine can take many seconds to render a page, and below the browser files' mocha timeout
 * (180 s) so a real hang reports what it waited for.
 */
export const PAGE_WAIT_MS = 150_000;

/** Debian's Chromium, headless; screenshots go to test-artifacts/. Every context gets PAGE_WAIT_MS. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`,
    );
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: FLAGS,
    timeout: PAGE_WAIT_MS,
    env: realClockEnv(),
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(PAGE_WAIT_MS);
    context.setDefaultNavigationTimeout(PAGE_WAIT_MS);
    return context;
  };
  return browser;
}

/**
 * The environment without libfaketime (`npm run test:clock`): the browser keeps the real clock.
 * Chromium under libfaketime runs tens of times slower, and a browser on the real clock beside an
 * app on a shifted one is the very mismatch the clock runs exist to catch (cookies, deadlines).
 */
function realClockEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'LD_PRELOAD' && !key.startsWith('FAKETIME')) env[key] = value;
  }
  return env;
}

/** A fresh browser context signed in to the console as `username`; `initScript` runs in every page before its own scripts. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  username: string,
  viewport = { width: 1280, height: 900 },
  initScript?: string,
): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/console/login`);
  await page.getByLabel('아이디').fill(username);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForURL(/\/console(\/today)?$/); // staff and dong centers land on their day (/console/today)
  return page;
}

/** Waits (without timing anything) until a condition holds, or fails after `ms`: for pages that update themselves. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = PAGE_WAIT_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
