import { expect } from 'chai';
import type mongoose from 'mongoose';
import { createServer, type Server } from 'node:http';
import { sweepAlerts, type AlertDeps } from '../../src/delivery/alerts';
import { sendersFromConfig, configuredKinds } from '../../src/delivery/senders';
import { urgentOpener } from '../../src/delivery/urgent-open';
import { acknowledgeUrgent, routeUrgent, sweepUrgent, type UrgentDeps } from '../../src/delivery/urgent-route';
import { loadDistrict } from '../../src/domain/district';
import { DEFAULT_ON_CALL_HOURS } from '../../src/domain/urgent/on-call';
import {
  commitImport,
  contentHashOf,
  previewImport,
  startImport,
  type ImportDeps,
} from '../../src/import/list-import-service';
import { reportsOfImport } from '../../src/import/import-reports';
import { diskSource } from '../../src/import/read/file-source';
import { log } from '../../src/log';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { CALL_CENTER } from '../../src/domain/alert-target/alert-targets';
import { connectDatabase } from '../../src/store/connect';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, consoleCookie, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { arrearsRows, LIST_HEADERS, tempFile, toCsv } from '../support/list-files';
import { insertReports, kst, reportDoc } from '../support/report-fixtures';

const SECRET = 'webhook-secret-0123456789abcdefghijklmnop';
const MIN = 60_000;

/** A district's endpoint on loopback: records each signed POST by path. */
async function startReceiver() {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: (path: string) => `http://127.0.0.1:${port}/${path}`,
    /** What one receipt number's alerts brought to one path: kind and step of each. */
    of: (path: string, receiptNo: string) =>
      received
        .filter((r) => r.path === `/${path}` && r.body.receiptNo === receiptNo)
        .map((r) => `${String(r.body.kind)}:${String(r.body.step ?? '-')}`),
    to: (path: string) => received.filter((r) => r.path === `/${path}`),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Every urgent case enters the urgent route, in working hours too: a report becoming 즉시 위험 —
 * filed by chat, filed by a list import, or raised by staff — opens exactly one wait for a 확인.
 * In working hours the call center's own alert is its first step; unacknowledged it is re-sent and
 * escalated along the admin's list. Real FerretDB, real HTTP (the console, the webhook targets).
 */
describe('every urgent case waits for a 확인, in working hours too, whatever filed or raised it', function () {
  this.timeout(60_000);
  const district = loadDistrict('seodaemun');
  const config = testConfig({ ALERT_WEBHOOK_SECRET: SECRET });
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let second: mongoose.Connection;
  let repos: Repositories;
  let repos2: Repositories;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let clock = kst('2026-12-07 10:00'); // Monday, working hours

  const urgentDeps = (owner: 'a' | 'b'): UrgentDeps => ({
    repos: owner === 'b' ? repos2 : repos,
    district,
    senders: sendersFromConfig(config),
    owner,
    now: () => clock,
    consoleUrl: 'https://sagak.example.kr',
    ackMinutes: 15,
  });
  const alertDeps = (): AlertDeps => ({
    repos,
    district,
    senders: sendersFromConfig(config),
    owner: 'a',
    now: () => clock,
    consoleUrl: 'https://sagak.example.kr',
    windowMs: 24 * 3_600_000,
  });
  const routeDeps = () => ({ repos, district, configured: configuredKinds(config), now: () => clock, ackMinutes: 15 });
  const sweepBoth = () =>
    Promise.all([sweepUrgent(urgentDeps('a')), sweepUrgent(urgentDeps('b')), sweepAlerts(alertDeps())]);
  const waitsOf = async (receiptNos: string[]) =>
    (await repos.onCall.pending(district.id)).filter((p) => receiptNos.includes(p.receiptNo));

  before(async () => {
    log.level = 'silent';
    db = await testDatabase('urgent_every_source');
    repos = openRepositories(db.connection);
    second = await connectDatabase(db.uri);
    repos2 = openRepositories(second);
    await ensureIndexes(repos);
    receiver = await startReceiver();
    await repos.alertTargets.set(district.id, CALL_CENTER, { webhookUrl: receiver.url('callcenter') }, clock);
    await repos.onCall.saveSetup(
      district.id,
      {
        hours: DEFAULT_ON_CALL_HOURS,
        chain: [
          { kind: 'webhook', address: receiver.url('duty') },
          { kind: 'webhook', address: receiver.url('chief') },
        ],
        privacy: 'minimal',
      },
      clock,
    );
  });
  after(async () => {
    await receiver?.stop();
    await second?.close();
    await db?.drop();
  });
  beforeEach(async () => {
    // each case on its own Monday morning, far from the last one's waits
    clock = new Date(clock.getTime() + 7 * 24 * 3_600_000);
    for (const p of await repos.onCall.pending(district.id)) await repos.onCall.closePending(p.id);
  });

  it('in working hours: the call center is alerted once, then re-alerted and escalated along the list after the set minutes', async () => {
    const [r] = await insertReports(repos.reports, [reportDoc({ receivedAt: clock, urgency: 'immediate' })]);
    expect(await routeUrgent(routeDeps(), r!), 'not on call in working hours').to.equal(false);
    const [wait] = await waitsOf([r!.receiptNo]);
    expect(wait, 'a wait for the 확인 is open').to.include({ route: 'call_center', step: 0 });
    expect(wait!.dueAt?.getTime()).to.equal(clock.getTime() + 15 * MIN);
    await sweepBoth();
    await sweepBoth();
    expect(
      receiver.of('callcenter', r!.receiptNo),
      "the call center's urgent alert, once (not again by the wait)",
    ).to.deep.equal(['immediate:-']);
    expect(receiver.of('duty', r!.receiptNo)).to.deep.equal([]);

    clock = new Date(clock.getTime() + 14 * MIN);
    await sweepBoth();
    expect(receiver.of('duty', r!.receiptNo), 'not before the 15 minutes').to.deep.equal([]);
    clock = new Date(clock.getTime() + 1 * MIN);
    await sweepBoth();
    await sweepBoth();
    expect(receiver.of('callcenter', r!.receiptNo), 'the call center again').to.deep.equal([
      'immediate:-',
      'urgent_unacknowledged:1',
    ]);
    expect(receiver.of('duty', r!.receiptNo), 'and the first of the list').to.deep.equal(['urgent_unacknowledged:1']);
    expect(receiver.of('chief', r!.receiptNo)).to.deep.equal([]);
    clock = new Date(clock.getTime() + 15 * MIN);
    await sweepBoth();
    expect(receiver.of('chief', r!.receiptNo)).to.deep.equal(['urgent_unacknowledged:2']);
    expect(receiver.of('duty', r!.receiptNo)).to.deep.equal(['urgent_unacknowledged:1', 'urgent_unacknowledged:2']);
    // the list is exhausted: nothing more, the wait stays on the today page until someone acknowledges
    clock = new Date(clock.getTime() + 60 * MIN);
    await sweepBoth();
    expect(receiver.of('callcenter', r!.receiptNo)).to.have.length(3);
    expect((await repos.onCall.pendingOf(district.id, r!.receiptNo))?.dueAt).to.equal(null);
    const ack = await acknowledgeUrgent({ repos, district, now: () => clock }, r!.receiptNo, 'user:staff1');
    expect(ack.ok).to.equal(true);
    expect(await repos.onCall.pendingOf(district.id, r!.receiptNo)).to.equal(undefined);
  });

  it('확인 within the minutes stops it: nothing re-sent, nobody else woken', async () => {
    const [r] = await insertReports(repos.reports, [reportDoc({ receivedAt: clock, urgency: 'immediate' })]);
    await routeUrgent(routeDeps(), r!);
    await sweepBoth();
    clock = new Date(clock.getTime() + 5 * MIN);
    expect(
      (await acknowledgeUrgent({ repos: repos2, district, now: () => clock }, r!.receiptNo, 'user:staff2')).ok,
    ).to.equal(true);
    clock = new Date(clock.getTime() + 60 * MIN);
    await sweepBoth();
    expect(receiver.of('callcenter', r!.receiptNo)).to.deep.equal(['immediate:-']);
    expect(receiver.of('duty', r!.receiptNo)).to.deep.equal([]);
    const history = (await repos.reports.current(r!.id))!.history.filter((h) => h.action === 'acknowledge_urgent');
    expect(history.map((h) => h.by)).to.deep.equal(['user:staff2']);
  });

  it('a process that stopped after storing the wait and before step 0: the retry keeps the one wait, and it escalates', async () => {
    const [r] = await insertReports(repos.reports, [reportDoc({ receivedAt: clock, urgency: 'immediate' })]);
    // what the stopped process left: the wait, no step 0
    await repos.onCall.openPending({
      district: district.id,
      receiptNo: r!.receiptNo,
      reportId: r!.id,
      openedAt: clock,
      route: 'call_center',
      step: 0,
      stepAt: clock,
      dueAt: new Date(clock.getTime() + 15 * MIN),
      sent: [],
    });
    await Promise.all([routeUrgent(routeDeps(), r!), routeUrgent({ ...routeDeps(), repos: repos2 }, r!)]);
    expect(await waitsOf([r!.receiptNo])).to.have.length(1);
    clock = new Date(clock.getTime() + 15 * MIN);
    await sweepBoth();
    expect(receiver.of('duty', r!.receiptNo)).to.deep.equal(['urgent_unacknowledged:1']);
  });

  describe('staff raising a case to 즉시 위험 in the console (two instances, a double submit)', () => {
    let a: RunningApp;
    let b: RunningApp;
    before(async () => {
      a = await startTestApp(db.connection, { now: () => clock, config });
      b = await startTestApp(second, { now: () => clock, config });
      await addUser({ config, repos }, 'raise-staff', 'staff');
      await addUser({ config, repos }, 'raise-admin', 'admin');
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });
    const raise = { type: 'consult', result: '통화해 보니 가스 냄새가 나고 대답이 없다고 함', urgency: 'immediate' };

    it('in working hours: one wait, on the call center today page, and 확인 there ends it', async () => {
      const [r] = await insertReports(repos.reports, [reportDoc({ receivedAt: clock, urgency: 'normal' })]);
      const [apiA, apiB] = [
        apiClient(a.baseUrl, await tokenOf(a.baseUrl, 'raise-staff')),
        apiClient(b.baseUrl, await tokenOf(b.baseUrl, 'raise-staff')),
      ];
      const answers = await Promise.all([
        apiA.act(r!.receiptNo, raise),
        apiA.act(r!.receiptNo, raise),
        apiB.act(r!.receiptNo, raise),
      ]);
      expect(
        answers.some((x) => x.status === 200),
        answers.map((x) => x.text).join('\n'),
      ).to.equal(true);
      expect((await repos.reports.current(r!.id))!.urgency).to.equal('immediate');
      const waits = await waitsOf([r!.receiptNo]);
      expect(waits, 'exactly one wait').to.have.length(1);
      expect(waits[0]!.route).to.equal('call_center');

      const cookie = await consoleCookie(a.baseUrl, 'raise-staff');
      const today = await (await fetch(`${a.baseUrl}/console/today`, { headers: { cookie } })).text();
      const section = /<section[^>]*id="s-urgent-ack"[\s\S]*?<\/section>/.exec(today)?.[0] ?? '';
      expect(section).to.contain('확인 대기 긴급 알림').and.contain(r!.receiptNo).and.contain('콜센터 알림 보냄');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(today)![1]!;
      const post = () =>
        fetch(`${b.baseUrl}/console/urgent/${r!.receiptNo}/ack`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, _from: 'today' }),
        });
      const [first, again] = await Promise.all([post(), post()]);
      const codes = [first, again]
        .map((x) => new URL(x.headers.get('location')!, a.baseUrl).searchParams.get('ack'))
        .sort();
      expect(codes, 'a double 확인: one recorded, the other told it was done').to.deep.equal(['already', 'ok']);
      const after = await (
        await fetch(`${a.baseUrl}/console/today?ack=ok&no=${r!.receiptNo}`, { headers: { cookie } })
      ).text();
      expect(after)
        .to.contain('긴급 알림을 확인했습니다')
        .and.not.match(
          new RegExp(
            `data-receipt="${r!.receiptNo}"[^<]*<a[^>]*>[^<]*<span class="no">${r!.receiptNo}</span></a> <span>접수`,
          ),
        );
      expect(await repos.onCall.pendingOf(district.id, r!.receiptNo)).to.equal(undefined);
      // raising it again later opens no second wait
      await apiA.act(r!.receiptNo, { ...raise, urgency: 'prompt' });
      await apiA.act(r!.receiptNo, raise);
      expect(await waitsOf([r!.receiptNo])).to.have.length(0);
    });

    it("a case received days ago (past the alert sweep's window) raised now: its wait sends the call center's alert itself, once", async () => {
      const [r] = await insertReports(repos.reports, [
        reportDoc({ receivedAt: new Date(clock.getTime() - 3 * 24 * 3_600_000), urgency: 'normal' }),
      ]);
      const api = apiClient(a.baseUrl, await tokenOf(a.baseUrl, 'raise-staff'));
      expect((await api.act(r!.receiptNo, raise)).status).to.equal(200);
      await sweepBoth();
      await sweepBoth();
      expect(receiver.of('callcenter', r!.receiptNo)).to.deep.equal(['immediate:0']);
      const body = receiver.to('callcenter').find((x) => x.body.receiptNo === r!.receiptNo)!.body;
      expect(body, 'the call center target is minimal: no household').to.not.have.any.keys(
        'address',
        'person',
        'situation',
      );
      clock = new Date(clock.getTime() + 15 * MIN);
      await sweepBoth();
      expect(receiver.of('callcenter', r!.receiptNo)).to.deep.equal(['immediate:0', 'urgent_unacknowledged:1']);
    });

    it('closing the case ends its wait: it leaves the today page and nobody is woken', async () => {
      const [r] = await insertReports(repos.reports, [reportDoc({ receivedAt: clock, urgency: 'normal' })]);
      const api = apiClient(a.baseUrl, await tokenOf(a.baseUrl, 'raise-staff'));
      expect((await api.act(r!.receiptNo, raise)).status).to.equal(200);
      expect(await waitsOf([r!.receiptNo])).to.have.length(1);
      const closed = await api.act(r!.receiptNo, { type: 'close', reason: '가족이 방문해 병원으로 모심' });
      expect(closed.status, closed.text).to.equal(200);
      expect(await waitsOf([r!.receiptNo])).to.have.length(0);
      clock = new Date(clock.getTime() + 30 * MIN);
      await sweepBoth();
      expect(receiver.of('duty', r!.receiptNo)).to.deep.equal([]);
    });

    it('out of hours: the on-call target is alerted at once', async () => {
      clock = kst('2026-12-12 02:00'); // Saturday night
      const [r] = await insertReports(repos.reports, [
        reportDoc({ receivedAt: new Date(clock.getTime() - 3_600_000), urgency: 'prompt' }),
      ]);
      const api = apiClient(b.baseUrl, await tokenOf(b.baseUrl, 'raise-staff'));
      expect((await api.act(r!.receiptNo, raise)).status).to.equal(200);
      const [wait] = await waitsOf([r!.receiptNo]);
      expect(wait?.route).to.equal('on_call');
      await sweepBoth();
      expect(receiver.of('duty', r!.receiptNo)).to.deep.equal(['urgent_on_call:0']);
      clock = kst('2026-12-14 10:00');
    });

    it('시험 발송 for the on-call list: every target of the list gets a test message and the page shows each result', async () => {
      await repos.onCall.saveSetup(
        district.id,
        {
          chain: [
            { kind: 'webhook', address: receiver.url('duty') },
            { kind: 'telegram', address: '-1001234567890' },
          ],
        },
        clock,
      );
      const cookie = await consoleCookie(a.baseUrl, 'raise-admin');
      const page = await (await fetch(`${a.baseUrl}/console/admin/alerts`, { headers: { cookie } })).text();
      const onCall = /<section class="card" id="on-call"[\s\S]*?<\/section>/.exec(page)![0];
      expect(onCall).to.contain('action="/console/admin/alerts/test/oncall"').and.contain('당직 시험 발송');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
      const before = receiver.to('duty').length;
      const res = await fetch(`${a.baseUrl}/console/admin/alerts/test/oncall`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }),
      });
      expect(res.status).to.equal(200);
      const result = /<section class="card" id="test-results"[\s\S]*?<\/section>/.exec(await res.text())![0];
      expect(result).to.contain('당직 시험 발송 결과');
      expect(result).to.match(/웹훅 http:\/\/127\.0\.0\.1:\d+\/duty: <strong>보냄<\/strong>/);
      expect(result, 'a kind without its server setting fails with the reason').to.match(
        /Telegram -1001234567890: <strong class="late">실패<\/strong> — .*TELEGRAM_BOT_TOKEN/,
      );
      const got = receiver.to('duty').slice(before);
      expect(got).to.have.length(1);
      expect(got[0]!.body).to.include({ kind: 'test', owner: 'oncall' });
      await repos.onCall.saveSetup(
        district.id,
        {
          chain: [
            { kind: 'webhook', address: receiver.url('duty') },
            { kind: 'webhook', address: receiver.url('chief') },
          ],
        },
        clock,
      );
    });
  });

  describe('a list import row filed as 즉시 위험', () => {
    const partnerName = '한전 서대문지사';
    const listFile = async () => {
      const rows = arrearsRows(6, 9000).map((row, i) => [...row, i % 3 === 0 ? '즉시' : '일반']);
      return diskSource(await tempFile('urgent.csv', toCsv([[...LIST_HEADERS, '긴급도'], ...rows])));
    };
    const importDeps = (r: Repositories): ImportDeps => ({
      repos: r,
      district,
      openUrgent: urgentOpener({ config, repos: r, district, now: () => clock }),
    });

    it('opens exactly one wait per urgent row, with two instances committing at once and a repeated commit', async () => {
      const partner = await repos.partners.create({ name: partnerName, kind: 'utility', now: clock });
      const source = await listFile();
      const started = await startImport(importDeps(repos), {
        source,
        contentHash: await contentHashOf(source),
        fileName: 'urgent.csv',
        file: null,
        partnerId: partner.id,
        listName: '한전 긴급 명단',
        by: 'user:kim',
        now: clock,
      });
      if ('error' in started) throw new Error(started.error);
      const item = started.item;
      expect(item.mapping!.columns).to.include({ urgency: '긴급도' });
      const preview = await previewImport(importDeps(repos), item, item.mapping!, clock, source);
      expect(preview.ok).to.equal(true);
      const fresh = async (r: Repositories) => (await r.imports.byId(item.id))!;
      const results = await Promise.all([
        commitImport(importDeps(repos), await fresh(repos), 'user:kim', () => clock, source),
        commitImport(importDeps(repos2), await fresh(repos2), 'user:lee', () => clock, source),
      ]);
      expect(
        results.filter((x) => x.ok),
        'one commit ran; the other was told it is busy',
      ).to.have.length.at.least(1);
      const again = await commitImport(importDeps(repos2), await fresh(repos2), 'user:lee', () => clock, source);
      expect(again.ok || again.code === 'busy').to.equal(true);

      const filed = await reportsOfImport(repos.reports, district.id, item.id);
      expect(filed, 'every row filed once').to.have.length(6);
      const urgent = filed.filter((r) => r.urgency === 'immediate').map((r) => r.receiptNo);
      expect(urgent, 'rows 1 and 4 are 즉시 위험').to.have.length(2);
      const waits = await waitsOf(filed.map((r) => r.receiptNo));
      expect(waits.map((w) => w.receiptNo).sort(), 'one wait per urgent row, none for the others').to.deep.equal(
        [...urgent].sort(),
      );
      expect(waits.every((w) => w.route === 'call_center')).to.equal(true);
      // unacknowledged, they escalate like any other
      clock = new Date(clock.getTime() + 15 * MIN);
      await sweepBoth();
      for (const no of urgent) expect(receiver.of('duty', no)).to.deep.equal(['urgent_unacknowledged:1']);
    });
  });
});
