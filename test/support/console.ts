import type { CompletedDraft } from '../../flows/report/draft';
import { userCommands } from '../../src/cli/user-commands';
import type { Config } from '../../src/config';
import { fileReport } from '../../src/domain/report-filing';
import type { Repositories } from '../../src/ports';
import type { Report } from '../../src/domain/report/report';

export const PASSWORD = 'correct horse battery';

/** Creates a console user through the admin CLI's command, password on "standard input". */
export async function addUser(
  deps: { config: Config; repos: Repositories },
  username: string,
  role: 'admin' | 'staff' | 'dong',
  dong?: string,
) {
  const args = ['add', '--username', username, '--role', role, '--password-stdin', ...(dong ? ['--dong', dong] : [])];
  return userCommands.run(args, { ...deps, stdin: async () => `${PASSWORD}\n` });
}

export async function login(
  baseUrl: string,
  username: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
) {
  return fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
}

export async function tokenOf(baseUrl: string, username: string): Promise<string> {
  const res = await login(baseUrl, username);
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** A JSON API client with a bearer token. */
export function apiClient(baseUrl: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? (JSON.parse(text) as any) : undefined };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    act: (receiptNo: string, action: unknown) => call('POST', `/api/reports/${receiptNo}/actions`, action),
  };
}

let seq = 0;
/** Files a report through the real filing path (what the chat flow's "접수" calls). */
export async function file(
  repos: Repositories,
  partnerId: string,
  at: Date,
  over: Partial<CompletedDraft> = {},
): Promise<Report> {
  const draft: CompletedDraft = {
    submissionId: `console-test-${++seq}-${Math.random().toString(36).slice(2)}`,
    partnerId,
    address: `서울 서대문구 연희동 ${100 + seq}-${seq}`,
    dong: { code: '1141061500', name: '연희동' },
    signs: ['mail_piled'],
    name: '홍길동',
    phone: '010-1234-5678',
    situation: '우편물이 일주일째 쌓여 있습니다',
    urgency: 'normal',
    ...over,
  };
  const filed = await fileReport(
    { districtId: 'seodaemun', ...repos },
    draft,
    { channel: 'kakao', userId: `reporter-${seq}` },
    at,
  );
  if (!filed.ok) throw new Error('filing refused');
  return filed.report;
}

/** Signs in through the console's form (double-submit token) and returns the session cookie. */
export async function consoleCookie(baseUrl: string, username: string, password = PASSWORD): Promise<string> {
  const page = await fetch(`${baseUrl}/console/login`);
  const loginCookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const field = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${baseUrl}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    body: new URLSearchParams({ _csrf: field, username, password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('sagak_session='))
    ?.split(';')[0];
  if (!cookie) throw new Error(`console sign-in as ${username} failed: HTTP ${res.status}`);
  return cookie;
}
