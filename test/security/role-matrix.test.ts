import { expect } from 'chai';
import type { Express } from 'express';
import { weekOf } from '../../src/domain/weekly/iso-week';
import { keepPhoto } from '../../src/domain/photo/photo';
import { photoPng } from '../support/photos';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { arrearsRows, LIST_HEADERS, toCsv } from '../support/list-files';
import { startTestApp, testConfig, TEST_SKILL_SECRET, type RunningApp } from '../support/app';
import { addUser, file, PASSWORD, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { fileKakaoTwin, skillBody } from '../support/kakao-client';
import { TEST_SLACK_BOT_TOKEN, TEST_SLACK_SIGNING_SECRET } from '../support/slack-client';
import { TEST_TELEGRAM_BOT_TOKEN, TEST_TELEGRAM_SECRET } from '../support/telegram-client';

/**
 * The role matrix: every route of the service, asked by each kind of person, and what each may
 * get. A route added to the app without a line here fails the first test, so nobody ships a page
 * whose access nobody decided.
 *
 * Roles: admin, staff (call center), dong A (홍제3동, where the report is), dong B (연희동), and
 * a partner's chat user (no console account; it has the chat channels only).
 */
const ROLES = ['admin', 'staff', 'dongA', 'dongB', 'partner'] as const;
type Role = (typeof ROLES)[number];
/** A status, or where a 303 leads: 'login' (sign in first) or 'elsewhere' (done, on to the next page). */
type Outcome = number | 'login' | 'elsewhere';

interface Ctx {
  base: string;
  receiptNo: string;
  week: string;
  /** A list imported (uploaded, not yet previewed) by the call center. */
  importId: string;
  /** A photo the report carries. */
  photoId: string;
  headers(role: Role): Record<string, string>;
  freshHeaders(role: Role): Promise<Record<string, string>>;
}
interface Probe {
  route: string;
  what: string;
  expect: Record<Role, Outcome>;
  request(ctx: Ctx, role: Role): Promise<Response>;
  check?(ctx: Ctx, role: Role, body: string): void;
}

const all = (o: Outcome): Record<Role, Outcome> => ({ admin: o, staff: o, dongA: o, dongB: o, partner: o });
const consoleOnly = (o: Outcome, partner: Outcome): Record<Role, Outcome> => ({
  admin: o,
  staff: o,
  dongA: o,
  dongB: o,
  partner,
});
const get = (path: (c: Ctx) => string) => (c: Ctx, role: Role) =>
  fetch(`${c.base}${path(c)}`, { headers: c.headers(role), redirect: 'manual' });
const post =
  (path: (c: Ctx) => string, body: Record<string, string> | object, json = false) =>
  (c: Ctx, role: Role) =>
    fetch(`${c.base}${path(c)}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...c.headers(role), 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
      body: json ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>),
    });

const ADMIN = (o: Outcome): Record<Role, Outcome> => ({
  admin: o,
  staff: 403,
  dongA: 403,
  dongB: 403,
  partner: 'login',
});
/** A partner made for the revoke probe (not the one whose reporter filed the report). */
const spare = { id: '' };

const PROBES: Probe[] = [
  { route: 'GET /healthz', what: 'health, no personal data', expect: all(200), request: get(() => '/healthz') },
  { route: 'GET /readyz', what: 'readiness, no personal data', expect: all(200), request: get(() => '/readyz') },
  {
    route: 'GET /metrics',
    what: 'metrics to a direct loopback client (no METRICS_TOKEN set), no personal data',
    expect: all(200),
    request: get(() => '/metrics'),
    check: (c, _r, body) =>
      expect(body).to.contain('sagak_turns_total').and.not.contain('홍길동').and.not.contain(c.receiptNo),
  },
  { route: 'GET /', what: 'the front door, no personal data', expect: all(200), request: get(() => '/') },
  { route: 'GET /favicon.ico', what: 'no icon (204)', expect: all(204), request: get(() => '/favicon.ico') },
  {
    route: 'POST /kakao/skill',
    what: 'the KakaoTalk channel: the skill secret, not a console role, lets a message in',
    expect: all(200),
    request: (c) =>
      fetch(`${c.base}/kakao/skill`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sagak-skill-secret': TEST_SKILL_SECRET },
        body: JSON.stringify(skillBody('matrix-partner', '도움말')),
      }),
    check: (_c, _r, body) => expect(body).not.to.contain('홍길동'),
  },
  {
    route: 'POST /slack/events',
    what: 'Slack: only Slack-signed requests',
    expect: all(401),
    request: post(() => '/slack/events', { type: 'event_callback' }, true),
  },
  {
    route: 'POST /telegram/webhook',
    what: 'Telegram: only with the secret token',
    expect: all(401),
    request: post(() => '/telegram/webhook', { update_id: 1 }, true),
  },
  { route: 'GET /chat', what: 'the web chat page', expect: all(200), request: get(() => '/chat') },
  { route: 'GET /chat/chat.js', what: 'its script', expect: all(200), request: get(() => '/chat/chat.js') },
  { route: 'GET /chat/chat.css', what: 'its style', expect: all(200), request: get(() => '/chat/chat.css') },
  {
    route: 'POST /chat/api/messages',
    what: 'web chat messages: a fresh identity, an empty conversation',
    expect: all(200),
    request: post(() => '/chat/api/messages', { type: 'hello' }, true),
    check: (_c, _r, body) => expect(body).not.to.contain('홍길동'),
  },
  {
    route: 'POST /chat/api/photos',
    what: 'a web chat photo upload: a fresh identity; without its client id, refused',
    expect: all(400),
    request: (c) =>
      fetch(`${c.base}/chat/api/photos`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: new Uint8Array(photoPng(1)),
      }),
  },
  {
    route: 'GET /api/openapi.json',
    what: 'the API description',
    expect: all(200),
    request: get(() => '/api/openapi.json'),
  },
  {
    route: 'POST /api/auth/login',
    what: "sign-in with one's own account",
    expect: consoleOnly(200, 401),
    request: (c, role) =>
      fetch(`${c.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: USERS[role], password: PASSWORD }),
      }),
  },
  {
    route: 'POST /api/auth/password',
    what: "change one's password (wrong current one here)",
    expect: consoleOnly(403, 401),
    request: post(() => '/api/auth/password', { current: 'not it at all', next: '아무도 모를 긴 비밀번호 99' }, true),
  },
  {
    route: 'POST /api/auth/logout',
    what: 'sign-out (with a fresh session)',
    expect: consoleOnly(204, 401),
    request: async (c, role) =>
      fetch(`${c.base}/api/auth/logout`, { method: 'POST', headers: await c.freshHeaders(role) }),
  },
  {
    route: 'GET /api/reports',
    what: "the queue: dong B does not see dong A's report",
    expect: consoleOnly(200, 401),
    request: get(() => '/api/reports'),
    check: (c, role, body) =>
      ['dongB', 'partner'].includes(role)
        ? expect(body).not.to.contain(c.receiptNo)
        : expect(body).to.contain(c.receiptNo),
  },
  {
    route: 'GET /api/reports/:receiptNo',
    what: 'one report: a dong center sees no reporter chat id',
    expect: { admin: 200, staff: 200, dongA: 200, dongB: 404, partner: 401 },
    request: get((c) => `/api/reports/${c.receiptNo}`),
    check: (_c, role, body) => {
      if (role === 'dongA') expect(body).not.to.contain('"reporter"').and.not.to.contain('matrix-twin');
      if (role === 'admin' || role === 'staff') expect(body).to.contain('matrix-twin');
      if (role === 'dongB' || role === 'partner') expect(body).not.to.contain('홍길동');
    },
  },
  {
    route: 'POST /api/reports/:receiptNo/actions',
    what: "a call-center action: not a dong center's",
    expect: { admin: 200, staff: 200, dongA: 403, dongB: 404, partner: 401 },
    request: post((c) => `/api/reports/${c.receiptNo}/actions`, { type: 'consult', result: '매트릭스 상담' }, true),
  },
  { route: 'GET /console/login', what: 'the sign-in form', expect: all(200), request: get(() => '/console/login') },
  {
    route: 'POST /console/login',
    what: 'the sign-in form without its CSRF token',
    expect: all(403),
    request: post(() => '/console/login', { username: 'x', password: 'y' }),
  },
  {
    route: 'POST /console/logout',
    what: 'sign-out from the console',
    expect: all('login'),
    request: async (c, role) =>
      fetch(`${c.base}/console/logout`, { method: 'POST', redirect: 'manual', headers: await c.freshHeaders(role) }),
  },
  {
    route: 'GET /console',
    what: 'the queue page',
    expect: consoleOnly(200, 'login'),
    request: get(() => '/console'),
    check: (c, role, body) =>
      role === 'dongB'
        ? expect(body).not.to.contain(c.receiptNo)
        : role !== 'partner' && expect(body).to.contain(c.receiptNo),
  },
  {
    route: 'POST /console/filters',
    what: 'queue filters',
    expect: consoleOnly('elsewhere', 'login'),
    request: post(() => '/console/filters', { reset: '1' }),
  },
  {
    route: 'GET /console/reports/:receiptNo',
    what: 'the report page',
    expect: { admin: 200, staff: 200, dongA: 200, dongB: 404, partner: 'login' },
    request: get((c) => `/console/reports/${c.receiptNo}`),
    check: (_c, role, body) =>
      ['dongB', 'partner'].includes(role) ? expect(body).not.to.contain('홍길동') : expect(body).to.contain('홍길동'),
  },
  {
    route: 'POST /console/reports/:receiptNo/actions',
    what: 'an action from the page',
    expect: { admin: 'elsewhere', staff: 'elsewhere', dongA: 403, dongB: 404, partner: 'login' },
    request: post((c) => `/console/reports/${c.receiptNo}/actions`, { type: 'consult', result: '페이지 상담' }),
  },
  {
    route: 'GET /console/reports/:receiptNo/photos/:photoId',
    what: "a report's photo: whoever may open the report (dong A, not dong B)",
    expect: { admin: 200, staff: 200, dongA: 200, dongB: 404, partner: 'login' },
    request: get((c) => `/console/reports/${c.receiptNo}/photos/${c.photoId}`),
  },
  {
    route: 'POST /console/reports/:receiptNo/correct',
    what: 'a correction of the person (call center only)',
    expect: { admin: 'elsewhere', staff: 'elsewhere', dongA: 403, dongB: 404, partner: 'login' },
    request: post((c) => `/console/reports/${c.receiptNo}/correct`, { age: '80', was_age: '' }),
  },
  {
    route: 'POST /console/reports/:receiptNo/handle',
    what: 'the one-step consult (+ assign + visit request) form',
    expect: { admin: 'elsewhere', staff: 'elsewhere', dongA: 403, dongB: 404, partner: 'login' },
    request: post((c) => `/console/reports/${c.receiptNo}/handle`, { result: '페이지 상담' }),
  },
  {
    route: 'GET /console/reports/:receiptNo/visit-sheet',
    what: 'the printable 방문 의뢰서 (its dong center too)',
    expect: { admin: 200, staff: 200, dongA: 200, dongB: 404, partner: 'login' },
    request: get((c) => `/console/reports/${c.receiptNo}/visit-sheet`),
    check: (_c, role, body) =>
      ['dongB', 'partner'].includes(role)
        ? expect(body).not.to.contain('홍길동')
        : expect(body).to.contain('홍길동').and.contain('방문 의뢰서'),
  },
  {
    route: 'GET /console/export.xlsx',
    what: 'the queue as XLSX (a dong center: its own dong, masked)',
    expect: consoleOnly(200, 'login'),
    request: get(() => '/console/export.xlsx'),
  },
  {
    route: 'GET /console/summary',
    what: 'old link to the downloads',
    expect: consoleOnly('elsewhere', 'login'),
    request: get(() => '/console/summary'),
  },
  {
    route: 'GET /console/today',
    what: "the call center's day; a dong center's day (its own dong only)",
    expect: consoleOnly(200, 'login'),
    request: get(() => '/console/today'),
    check: (c, role, body) =>
      role === 'dongB' && expect(body).to.contain('오늘 할 일').and.not.contain(c.receiptNo).and.not.contain('홍길동'),
  },
  {
    route: 'GET /console/alerts',
    what: 'the alert delivery log (call center only; receipt numbers, no names)',
    expect: { admin: 200, staff: 200, dongA: 403, dongB: 403, partner: 'login' },
    request: get(() => '/console/alerts'),
    check: (_c, _r, body) => expect(body).to.not.contain('홍길동'),
  },
  {
    route: 'GET /console/today.json',
    what: 'the day page refresh (a dong center: its own dong only)',
    expect: consoleOnly(200, 'login'),
    request: get(() => '/console/today.json'),
    check: (c, role, body) => role === 'dongB' && expect(body).to.not.contain(c.receiptNo).and.not.contain('홍길동'),
  },
  {
    route: 'GET /console/weekly',
    what: 'the download form',
    expect: consoleOnly(200, 'login'),
    request: get(() => '/console/weekly'),
  },
  {
    route: 'GET /console/weekly/download',
    what: "dong A's weekly list",
    expect: { admin: 200, staff: 200, dongA: 200, dongB: 404, partner: 'login' },
    request: get((c) => `/console/weekly/download?week=${c.week}&dong=1141064000&format=csv`),
    check: (c, role, body) =>
      ['dongB', 'partner'].includes(role)
        ? expect(body).not.to.contain(c.receiptNo)
        : expect(body).to.contain(c.receiptNo),
  },
  {
    route: 'GET /console/weekly/download',
    what: "no dong given: the district summary for the call center, one's own list for a dong center",
    expect: consoleOnly(200, 'login'),
    request: get((c) => `/console/weekly/download?week=${c.week}&dong=&format=csv`),
    check: (c, role, body) => {
      if (role === 'admin' || role === 'staff') expect(body).not.to.contain('홍길동'); // counts only
      if (role === 'dongA') expect(body).to.contain(c.receiptNo);
      if (role === 'dongB') expect(body).not.to.contain(c.receiptNo);
    },
  },
  {
    route: 'GET /console/imports',
    what: "the list imports (every dong's households)",
    expect: { admin: 200, staff: 200, dongA: 403, dongB: 403, partner: 'login' },
    request: get(() => '/console/imports'),
  },
  {
    route: 'POST /console/imports',
    what: 'a list upload (an empty form here)',
    expect: { admin: 400, staff: 400, dongA: 403, dongB: 403, partner: 'login' },
    request: (c, role) =>
      fetch(`${c.base}/console/imports`, {
        method: 'POST',
        redirect: 'manual',
        headers: c.headers(role),
        body: new FormData(),
      }),
  },
  {
    route: 'GET /console/imports/:id',
    what: 'one list import',
    expect: { admin: 200, staff: 200, dongA: 403, dongB: 403, partner: 'login' },
    request: get((c) => `/console/imports/${c.importId}`),
    check: (_c, role, body) => role === 'dongA' && expect(body).not.to.contain('김'),
  },
  {
    route: 'POST /console/imports/:id/mapping',
    what: 'map its columns (no signs chosen here)',
    expect: { admin: 400, staff: 400, dongA: 403, dongB: 403, partner: 'login' },
    request: post((c) => `/console/imports/${c.importId}/mapping`, { col_name: '고객명', col_address: '주소' }),
  },
  {
    route: 'POST /console/imports/:id/dongs',
    what: 'choose dongs before a preview',
    expect: { admin: 409, staff: 409, dongA: 403, dongB: 403, partner: 'login' },
    request: post((c) => `/console/imports/${c.importId}/dongs`, {}),
  },
  {
    route: 'POST /console/imports/:id/commit',
    what: 'file the list before a preview',
    expect: { admin: 409, staff: 409, dongA: 403, dongB: 403, partner: 'login' },
    request: post((c) => `/console/imports/${c.importId}/commit`, {}),
  },
  {
    route: 'GET /console/imports/:id/rejected.xlsx',
    what: 'the rejected rows',
    expect: { admin: 200, staff: 200, dongA: 403, dongB: 403, partner: 'login' },
    request: get((c) => `/console/imports/${c.importId}/rejected.xlsx`),
  },
  {
    route: 'GET /console/account/password',
    what: 'the password form',
    expect: consoleOnly(200, 'login'),
    request: get(() => '/console/account/password'),
  },
  {
    route: 'POST /console/account/password',
    what: "change one's password (wrong current one here)",
    expect: consoleOnly(400, 'login'),
    request: post(() => '/console/account/password', {
      current: 'nope nope nope',
      next: '아무도 모를 긴 비밀번호 99',
      confirm: '아무도 모를 긴 비밀번호 99',
    }),
  },
  {
    route: 'GET /console/admin/lockouts',
    what: 'sign-in lockouts',
    expect: { admin: 200, staff: 403, dongA: 403, dongB: 403, partner: 'login' },
    request: get(() => '/console/admin/lockouts'),
  },
  {
    route: 'POST /console/admin/lockouts/clear',
    what: 'lift a lockout',
    expect: { admin: 'elsewhere', staff: 403, dongA: 403, dongB: 403, partner: 'login' },
    request: post(() => '/console/admin/lockouts/clear', { ip: '192.0.2.1' }),
  },
  {
    route: 'GET /console/admin/access',
    what: 'the access records',
    expect: { admin: 200, staff: 403, dongA: 403, dongB: 403, partner: 'login' },
    request: get(() => '/console/admin/access'),
  },
  {
    route: 'GET /console/admin/access/monthly',
    what: 'the monthly review',
    expect: { admin: 200, staff: 403, dongA: 403, dongB: 403, partner: 'login' },
    request: get(() => '/console/admin/access/monthly'),
  },
  {
    route: 'GET /console/admin/access/export.xlsx',
    what: 'the access records as XLSX',
    expect: ADMIN(200),
    request: get(() => '/console/admin/access/export.xlsx'),
  },
  {
    route: 'GET /console/admin/access/monthly.xlsx',
    what: 'the monthly review as XLSX',
    expect: ADMIN(200),
    request: get(() => '/console/admin/access/monthly.xlsx'),
  },
  {
    route: 'POST /console/admin/access/monthly/review',
    what: "keep the monthly review's result (a refused empty one here)",
    expect: ADMIN(400),
    request: post(() => '/console/admin/access/monthly/review', {
      month: '2026-11',
      reviewer: '',
      reviewedOn: '',
      findings: '',
      actions: '',
    }),
  },
  {
    route: 'GET /console/dashboard',
    what: "the district's numbers: counts only, not for a dong center",
    expect: { admin: 200, staff: 200, dongA: 403, dongB: 403, partner: 'login' },
    request: get(() => '/console/dashboard'),
    check: (_c, role, body) => role === 'admin' && expect(body).to.contain('<svg').and.not.to.contain('홍길동'),
  },
  {
    route: 'GET /console/dashboard/export.xlsx',
    what: 'the numbers as XLSX',
    expect: { admin: 200, staff: 200, dongA: 403, dongB: 403, partner: 'login' },
    request: get(() => '/console/dashboard/export.xlsx?from=2026-01-01&to=2026-12-31'),
  },
  {
    route: 'GET /console/admin',
    what: "the management pages' entry",
    expect: ADMIN('elsewhere'),
    request: get(() => '/console/admin'),
  },
  {
    route: 'GET /console/admin/users',
    what: 'console users',
    expect: ADMIN(200),
    request: get(() => '/console/admin/users'),
  },
  {
    route: 'POST /console/admin/users',
    what: 'add a console user (a one-time link)',
    expect: ADMIN(201),
    request: post(() => '/console/admin/users', { username: 'mx-added', role: 'staff', dong: '' }),
    check: (_c, role, body) => role === 'admin' && expect(body).to.contain('일회용 링크'),
  },
  {
    route: 'POST /console/admin/users/:username/:op',
    what: 'a password link for a user',
    expect: ADMIN(200),
    request: post(() => `/console/admin/users/${USERS.staff}/reset`, {}),
  },
  {
    route: 'GET /console/admin/partners',
    what: 'partners and their invite codes',
    expect: ADMIN(200),
    request: get(() => '/console/admin/partners'),
  },
  {
    route: 'POST /console/admin/partners',
    what: 'add a partner',
    expect: ADMIN(201),
    request: post(() => '/console/admin/partners', { name: '매트릭스 복지관', kind: 'volunteer' }),
  },
  {
    route: 'POST /console/admin/partners/:id/news',
    what: "turn a partner's news pushes off",
    expect: ADMIN(200),
    request: (c, role) => post(() => `/console/admin/partners/${spare.id}/news`, { on: '0' })(c, role),
  },
  {
    route: 'POST /console/admin/partners/:id/edit',
    what: 'rename a partner, set its contact person',
    expect: ADMIN(200),
    request: (c, role) =>
      post(() => `/console/admin/partners/${spare.id}/edit`, {
        name: '회수될 기관',
        contactName: '김담당',
        contactPhone: '02-330-1234',
      })(c, role),
  },
  {
    route: 'POST /console/admin/partners/:id/code',
    what: 'a new invite code for a partner',
    expect: ADMIN(200),
    request: (c, role) => post(() => `/console/admin/partners/${spare.id}/code`, {})(c, role),
  },
  {
    route: 'POST /console/admin/partners/:id/revoke',
    what: 'revoke an invite code',
    expect: ADMIN('elsewhere'),
    request: (c, role) => post(() => `/console/admin/partners/${spare.id}/revoke`, {})(c, role),
  },
  {
    route: 'GET /console/admin/dongs',
    what: "dong centers' delivery targets",
    expect: ADMIN(200),
    request: get(() => '/console/admin/dongs'),
  },
  {
    route: 'POST /console/admin/dongs/:code',
    what: "set a dong center's targets",
    expect: ADMIN('elsewhere'),
    request: post(() => '/console/admin/dongs/1141064000', { slack: '', telegram: '', email: 'hongje3@example.org' }),
  },
  {
    route: 'GET /console/admin/alerts',
    what: 'where alerts go (call center, dongs)',
    expect: ADMIN(200),
    request: get(() => '/console/admin/alerts'),
  },
  {
    route: 'POST /console/admin/alerts',
    what: "set the call center's alert targets",
    expect: ADMIN('elsewhere'),
    request: post(() => '/console/admin/alerts', { slack: '', telegram: '', email: 'callcenter@example.org' }),
  },
  {
    route: 'POST /console/admin/alerts/on-call',
    what: 'set the on-call (당직) route (hours not understood here, so nothing is saved)',
    expect: ADMIN(400),
    request: post(() => '/console/admin/alerts/on-call', { hours: '스물다섯 시', offDays: 'yes', chain: '' }),
  },
  {
    route: 'POST /console/urgent/:receiptNo/ack',
    what: "확인 of an urgent alert: the call center's (a dong center cannot)",
    expect: { admin: 'elsewhere', staff: 'elsewhere', dongA: 404, dongB: 404, partner: 'login' },
    request: post((c) => `/console/urgent/${c.receiptNo}/ack`, {}),
  },
  {
    route: 'GET /console/urgent-ack/:token',
    what: "an alert's 확인 link without a login: a forged token finds nothing",
    expect: all(404),
    request: get(() => '/console/urgent-ack/forged.token'),
  },
  {
    route: 'POST /console/urgent-ack/:token',
    what: 'its button: a forged token acknowledges nothing',
    expect: all(404),
    request: post(() => '/console/urgent-ack/forged.token', {}),
  },
  {
    route: 'POST /console/admin/alerts/test/:owner',
    what: "send a test alert to an owner's targets",
    expect: ADMIN(200),
    request: post(() => '/console/admin/alerts/test/callcenter', {}),
  },
  {
    route: 'GET /console/admin/lists',
    what: "the district's lists (signs, services, follow-up cadence)",
    expect: ADMIN(200),
    request: get(() => '/console/admin/lists'),
  },
  {
    route: 'GET /console/admin/backups',
    what: 'the scheduled backups and their results',
    expect: ADMIN(200),
    request: get(() => '/console/admin/backups'),
  },
  {
    route: 'POST /console/admin/lists/:list',
    what: 'add to a list or set the cadence (a refused cadence here)',
    expect: ADMIN(400),
    request: post(() => '/console/admin/lists/cadence', { high: '0', medium: '1', low: '1', none: '1' }),
  },
  {
    route: 'POST /console/admin/lists/:list/:code',
    what: 'edit a list item (an unknown one here)',
    expect: ADMIN(404),
    request: post(() => '/console/admin/lists/signs/no_such_sign', { label: '없음', active: '1' }),
  },
  {
    route: 'GET /console/password/:token',
    what: 'a one-time password link (no session needed; an unknown one is gone)',
    expect: all(404),
    request: get(() => `/console/password/${'x'.repeat(32)}`),
  },
  {
    route: 'POST /console/password/:token',
    what: 'using an unknown link',
    expect: all(410),
    request: post(() => `/console/password/${'x'.repeat(32)}`, {
      password: '아무도 모를 긴 비밀번호 99',
      repeat: '아무도 모를 긴 비밀번호 99',
    }),
  },
];

const USERS: Record<Role, string> = {
  admin: 'mx-admin',
  staff: 'mx-staff',
  dongA: 'mx-hongje3',
  dongB: 'mx-yeonhui',
  partner: 'mx-partner-has-no-account',
};

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every route the app serves, as "METHOD path", read from Express's own router (routers nested). */
function routesOf(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route)
        for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...new Set(out)];
}

function outcomeOf(res: Response): Outcome {
  if (res.status !== 303) return res.status;
  return res.headers.get('location') === '/console/login' ? 'login' : 'elsewhere';
}

describe('role matrix: every route, every role', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let ctx: Ctx;
  const tokens = {} as Record<Role, string>;

  before(async () => {
    db = await testDatabase('role_matrix');
    const config = testConfig({
      SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN: TEST_SLACK_BOT_TOKEN,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      TELEGRAM_BOT_TOKEN: TEST_TELEGRAM_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TEST_TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
      WEBCHAT_COOKIE_SECRET: 'm'.repeat(40),
    });
    app = await startTestApp(db.connection, { config });
    await addUser({ config, repos: app.repos }, USERS.admin, 'admin');
    await addUser({ config, repos: app.repos }, USERS.staff, 'staff');
    await addUser({ config, repos: app.repos }, USERS.dongA, 'dong', '홍제3동');
    await addUser({ config, repos: app.repos }, USERS.dongB, 'dong', '연희동');
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    // the report, filed by the partner's chat user through KakaoTalk, lands in 홍제3동
    const receiptNo = await fileKakaoTwin(app.baseUrl, formatInviteCode(partner.inviteCode), 'matrix-twin');
    await file(app.repos, partner.id, new Date()); // and one in 연희동, so dong B's lists are not empty
    // the report carries a photo (as sent in the chat)
    const twin = (await app.repos.reports.byReceiptNo('seodaemun', receiptNo))!;
    const kept = await keepPhoto(
      app.repos.photos,
      { maxBytes: 1_000_000, maxPixels: 1_000_000, keepLocation: false },
      twin.submissionId,
      photoPng(1),
      new Date(),
    );
    if (!kept.ok) throw new Error('photo not kept');
    const current = (await app.repos.reports.current(twin.id))!;
    await app.repos.reports.change(current, { ...current, photoIds: [kept.id] });
    spare.id = (await app.repos.partners.create({ name: '회수될 기관', kind: 'post', now: new Date() })).id;
    for (const role of ROLES) if (role !== 'partner') tokens[role] = await tokenOf(app.baseUrl, USERS[role]);
    const upload = new FormData();
    upload.set('partnerId', partner.id);
    upload.set('listName', '매트릭스 명단');
    upload.set('file', new Blob([toCsv([LIST_HEADERS, ...arrearsRows(3)])]), 'list.csv');
    const uploaded = await fetch(`${app.baseUrl}/console/imports`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${tokens.staff}` },
      body: upload,
    });
    const importId = /\/console\/imports\/([a-f0-9]+)/.exec(uploaded.headers.get('location') ?? '')?.[1];
    if (!importId) throw new Error(`upload failed: ${uploaded.status}`);
    ctx = {
      base: app.baseUrl,
      receiptNo,
      week: weekOf(new Date()).id,
      importId,
      photoId: kept.id,
      headers: (role): Record<string, string> =>
        role === 'partner' ? {} : { authorization: `Bearer ${tokens[role]}` },
      freshHeaders: async (role): Promise<Record<string, string>> =>
        role === 'partner' ? {} : { authorization: `Bearer ${await tokenOf(app.baseUrl, USERS[role])}` },
    };
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  it('has a line for every route the app serves, and no line for a route that is gone', () => {
    const served = routesOf(app.app);
    const inMatrix = new Set(PROBES.map((p) => p.route));
    expect(
      served.filter((r) => !inMatrix.has(r)),
      'routes missing from the role matrix (add a probe in test/security/role-matrix.test.ts)',
    ).to.deep.equal([]);
    expect(
      [...inMatrix].filter((r) => !served.includes(r)),
      'matrix lines for routes that no longer exist',
    ).to.deep.equal([]);
  });

  for (const probe of PROBES) {
    it(`${probe.route} — ${probe.what}`, async () => {
      const got = {} as Record<Role, Outcome>;
      for (const role of ROLES) {
        const res = await probe.request(ctx, role);
        got[role] = outcomeOf(res);
        const body = await res.text();
        if (probe.check && got[role] === probe.expect[role]) probe.check(ctx, role, body);
      }
      expect(got).to.deep.equal(probe.expect);
    });
  }

  it("serves the console's static files to anyone (no personal data in them)", async () => {
    for (const f of ['console.css', 'console.js'])
      expect((await fetch(`${app.baseUrl}/console/static/${f}`)).status).to.equal(200);
  });
});
