import { expect } from 'chai';
import type mongoose from 'mongoose';
import { connectDatabase } from '../../src/store/connect';
import { createServer, type Server } from 'node:http';
import { alertCommands } from '../../src/cli/alert-commands';
import { parseChain, parseHours } from '../../src/delivery/on-call-input';
import { sendersFromConfig, configuredKinds } from '../../src/delivery/senders';
import {
  acknowledgeUrgent,
  ackToken,
  routeUrgent,
  sweepUrgent,
  verifyAckToken,
  type UrgentDeps,
} from '../../src/delivery/urgent-route';
import { loadDistrict } from '../../src/domain/district';
import { DEFAULT_ON_CALL_HOURS, onCallAt, targetsAtStep } from '../../src/domain/urgent/on-call';
import { log } from '../../src/log';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { testConfig } from '../support/app';
import { testDatabase } from '../support/database';
import { insertReports, kst, reportDoc } from '../support/report-fixtures';

const SECRET = 'webhook-secret-0123456789abcdefghijklmnop';
const ACK_SECRET = 'ack-secret-0123456789abcdefghijklmnopqrstu';
const MIN = 60_000;

/** A district's endpoint on loopback: records each POST by path; can hold answers until released. */
async function startReceiver() {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  let hold: Promise<void> | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
      void (hold ?? Promise.resolve()).then(() => res.writeHead(200).end('ok'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: (path: string) => `http://127.0.0.1:${port}/${path}`,
    received,
    to: (path: string) => received.filter((r) => r.path === `/${path}`),
    holdAnswers(): () => void {
      let release!: () => void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = undefined;
        release();
      };
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('the urgent route out of hours: on-call alert, 확인, escalation', () => {
  const district = loadDistrict('seodaemun');
  const config = testConfig({ ALERT_WEBHOOK_SECRET: SECRET });
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let repos2: Repositories;
  let second: mongoose.Connection;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let clock = kst('2026-12-05 02:00'); // Saturday, 02:00

  // instance "b" has its own connection, as a second instance of the service would
  const deps = (owner = 'instance-a'): UrgentDeps => ({
    repos: owner === 'b' ? repos2 : repos,
    district,
    senders: sendersFromConfig(config),
    owner,
    now: () => clock,
    consoleUrl: 'https://sagak.example.kr',
    ackMinutes: 15,
    ackSecret: ACK_SECRET,
  });
  const routeDeps = () => ({ repos, district, configured: configuredKinds(config), now: () => clock, ackMinutes: 15 });
  const urgentReport = async () =>
    (
      await insertReports(repos.reports, [
        reportDoc({
          receivedAt: clock,
          urgency: 'immediate',
          person: { name: '김철수', age: null, phone: '010-1111-2222' },
        }),
      ])
    )[0]!;
  const ackEntries = async (id: string) =>
    ((await repos.reports.current(id))?.history ?? []).filter((h) => h.action === 'acknowledge_urgent');

  before(async () => {
    log.level = 'silent';
    db = await testDatabase('urgent_route');
    repos = openRepositories(db.connection);
    second = await connectDatabase(db.uri);
    repos2 = openRepositories(second);
    await ensureIndexes(repos);
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver?.stop();
    await second?.close();
    await db?.drop();
  });
  beforeEach(async () => {
    clock = new Date(clock.getTime() + 24 * 3_600_000); // each case on its own night, far from the last one's waits
    while (![0, 6].includes(new Date(clock.getTime() + 9 * 3_600_000).getUTCDay()))
      clock = new Date(clock.getTime() + 24 * 3_600_000);
    for (const p of await repos.onCall.pending(district.id)) await repos.onCall.closePending(p.id);
    await repos.onCall.saveSetup(
      district.id,
      {
        hours: DEFAULT_ON_CALL_HOURS,
        chain: [
          { kind: 'webhook', address: receiver.url('duty') },
          { kind: 'webhook', address: receiver.url('chief') },
          { kind: 'webhook', address: receiver.url('director') },
        ],
        privacy: 'minimal',
      },
      clock,
    );
  });

  it('knows the on-call hours: nights after business days, weekends and holidays all day, not working hours', () => {
    const h = DEFAULT_ON_CALL_HOURS;
    expect(onCallAt(h, kst('2026-12-05 02:00')), 'Saturday night').to.equal(true);
    expect(onCallAt(h, kst('2026-12-07 10:00')), 'Monday morning, working hours').to.equal(false);
    expect(onCallAt(h, kst('2026-12-07 18:30')), 'Monday evening').to.equal(true);
    expect(onCallAt(h, kst('2026-12-08 08:59')), 'Tuesday before opening').to.equal(true);
    expect(onCallAt(h, kst('2026-12-25 13:00')), 'Christmas (a holiday)').to.equal(true);
    const weekdaysOnly = { from: '18:00', to: '09:00', offDays: false };
    expect(onCallAt(weekdaysOnly, kst('2026-12-05 02:00')), "Friday's night runs into Saturday").to.equal(true);
    expect(onCallAt(weekdaysOnly, kst('2026-12-05 13:00')), 'Saturday afternoon without off days').to.equal(false);
    expect(
      targetsAtStep([{ kind: 'email', address: 'a@b.kr' }], 1),
      'a chain of one is alerted once more',
    ).to.have.length(1);
    expect(targetsAtStep([{ kind: 'email', address: 'a@b.kr' }], 2)).to.equal(undefined);
  });

  it('refuses a bad on-call setup with a Korean reason and accepts a good one', () => {
    const bad = parseChain(['webhook http://sms.example.go.kr/hook']);
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.error.messageKo).to.contain('1번째 줄');
    const good = parseChain([
      '웹훅 https://sms.example.go.kr/hook',
      '',
      'telegram -1001234567890',
      'email a@b.kr, c@d.kr',
    ]);
    expect(good.ok && good.chain).to.deep.equal([
      { kind: 'webhook', address: 'https://sms.example.go.kr/hook' },
      { kind: 'telegram', address: '-1001234567890' },
      { kind: 'email', address: 'a@b.kr, c@d.kr' },
    ]);
    const hours = parseHours('25:00-09:00', true);
    expect(hours.ok).to.equal(false);
    if (!hours.ok) expect(hours.error.messageKo).to.contain('18:00-09:00');
  });

  it('alerts the on-call target at once out of hours; not in working hours, not without a target that can deliver', async () => {
    const r = await urgentReport();
    expect(await routeUrgent(routeDeps(), r)).to.equal(true);
    expect(await routeUrgent(routeDeps(), r), 'a repeated turn queues nothing new').to.equal(true);
    await sweepUrgent(deps());
    const sent = receiver.to('duty').filter((x) => x.body.receiptNo === r.receiptNo);
    expect(sent).to.have.length(1);
    expect(sent[0]!.body).to.include({ kind: 'urgent_on_call', step: 0, receiptNo: r.receiptNo });
    expect(JSON.stringify(sent[0]!.body), 'minimal: no name or phone')
      .to.not.contain('김철수')
      .and.not.contain('010-1111-2222');
    expect(String(sent[0]!.body.ackUrl)).to.match(
      new RegExp(`^https://sagak\\.example\\.kr/console/urgent-ack/${r.receiptNo}\\.0\\.`),
    );
    expect(
      receiver.to('chief').filter((x) => x.body.receiptNo === r.receiptNo),
      'the escalation list waits',
    ).to.have.length(0);

    const monday = kst('2026-12-07 10:00');
    const inHours = await urgentReport();
    expect(
      await routeUrgent({ ...routeDeps(), now: () => monday }, inHours),
      'working hours: the call center',
    ).to.equal(false);
    const noSecret = { ...routeDeps(), configured: configuredKinds(testConfig()) };
    expect(
      await routeUrgent(noSecret, await urgentReport()),
      'a webhook without its signing secret cannot deliver',
    ).to.equal(false);
    await repos.onCall.saveSetup(district.id, { chain: [] }, clock);
    expect(await routeUrgent(routeDeps(), await urgentReport()), 'no on-call target').to.equal(false);
  });

  it('unacknowledged after the set minutes: sent again and escalated, one step at a time, once with two instances', async () => {
    const r = await urgentReport();
    await routeUrgent(routeDeps(), r);
    await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b'))]);
    const mine = (path: string) => receiver.to(path).filter((x) => x.body.receiptNo === r.receiptNo);
    expect(mine('duty')).to.have.length(1);
    clock = new Date(clock.getTime() + 14 * MIN);
    await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b'))]);
    expect(mine('chief'), 'not before the 15 minutes').to.have.length(0);
    clock = new Date(clock.getTime() + 1 * MIN);
    await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b')), sweepUrgent(deps('a'))]);
    expect(
      mine('duty').map((x) => x.body.step),
      'the on-call target again',
    ).to.deep.equal([0, 1]);
    expect(
      mine('chief').map((x) => x.body.step),
      'and the next in the list',
    ).to.deep.equal([1]);
    expect(mine('director')).to.have.length(0);
    clock = new Date(clock.getTime() + 15 * MIN);
    await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b'))]);
    expect(mine('director').map((x) => x.body.step)).to.deep.equal([2]);
    expect(mine('duty')).to.have.length(3);
    // the list is exhausted: nothing more is sent, the alert waits on the today page for its 확인
    clock = new Date(clock.getTime() + 60 * MIN);
    await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b'))]);
    expect(mine('duty').length + mine('chief').length + mine('director').length).to.equal(6);
    const wait = await repos.onCall.pendingOf(district.id, r.receiptNo);
    expect(wait?.step).to.equal(2);
    expect(wait?.dueAt).to.equal(null);
    const ack = await acknowledgeUrgent(deps(), r.receiptNo, 'user:staff1');
    expect(ack.ok).to.equal(true);
    expect(await repos.onCall.pendingOf(district.id, r.receiptNo)).to.equal(undefined);
  });

  it('two staff acknowledging at once: one 확인 recorded (who and when), the other told who did', async () => {
    const r = await urgentReport();
    await routeUrgent(routeDeps(), r);
    await sweepUrgent(deps());
    clock = new Date(clock.getTime() + 3 * MIN);
    const [a, b] = await Promise.all([
      acknowledgeUrgent(deps(), r.receiptNo, 'user:staff1'),
      acknowledgeUrgent(deps(), r.receiptNo, 'user:staff2'),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).to.have.length(1);
    const loser = a.ok ? b : a;
    expect(loser.ok === false && loser.code).to.equal('already');
    const entries = await ackEntries(r.id);
    expect(entries).to.have.length(1);
    expect(entries[0]!.by).to.equal(a.ok ? 'user:staff1' : 'user:staff2');
    expect(new Date(entries[0]!.at).getTime()).to.equal(clock.getTime());
    // acknowledged: no escalation afterwards, whatever the clock
    clock = new Date(clock.getTime() + 60 * MIN);
    await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b'))]);
    expect(receiver.to('chief').filter((x) => x.body.receiptNo === r.receiptNo)).to.have.length(0);
    const later = await acknowledgeUrgent(deps(), r.receiptNo, 'user:staff3');
    expect(later.ok === false && later.code, 'a late 확인 learns it was done').to.equal('already');
  });

  it('a 확인 racing the escalation sweep: either the escalation went first or not at all; one 확인, nothing sent twice', async () => {
    for (let round = 0; round < 4; round++) {
      const r = await urgentReport();
      await routeUrgent(routeDeps(), r);
      await sweepUrgent(deps());
      clock = new Date(clock.getTime() + 15 * MIN);
      const [ack] = await Promise.all([
        acknowledgeUrgent(deps(), r.receiptNo, 'user:staff1'),
        sweepUrgent(deps('a')),
        sweepUrgent(deps('b')),
      ]);
      expect(ack.ok, `round ${round}: the 확인 is never lost`).to.equal(true);
      await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b'))]);
      clock = new Date(clock.getTime() + 60 * MIN);
      await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b'))]);
      const chief = receiver.to('chief').filter((x) => x.body.receiptNo === r.receiptNo);
      const duty = receiver.to('duty').filter((x) => x.body.receiptNo === r.receiptNo);
      expect(chief.length, `round ${round}`).to.be.at.most(1);
      expect(duty.length, `round ${round}: the first alert, and the repeat only with the escalation`).to.equal(
        1 + chief.length,
      );
      expect(receiver.to('director').filter((x) => x.body.receiptNo === r.receiptNo)).to.have.length(0);
      expect(await ackEntries(r.id)).to.have.length(1);
      expect(await repos.onCall.pendingOf(district.id, r.receiptNo)).to.equal(undefined);
    }
  });

  it('a target edited while a send is in flight: the step is sent once, to the address it was claimed with', async () => {
    const r = await urgentReport();
    await routeUrgent(routeDeps(), r);
    const release = receiver.holdAnswers();
    const inFlight = sweepUrgent(deps('a'));
    // the admin replaces the on-call target while the POST waits for its answer; another instance sweeps
    while (!receiver.to('duty').some((x) => x.body.receiptNo === r.receiptNo))
      await new Promise((res) => setTimeout(res, 20));
    await repos.onCall.saveSetup(
      district.id,
      {
        chain: [
          { kind: 'webhook', address: receiver.url('new-duty') },
          { kind: 'webhook', address: receiver.url('chief') },
        ],
      },
      clock,
    );
    await sweepUrgent(deps('b'));
    release();
    await inFlight;
    await Promise.all([sweepUrgent(deps('a')), sweepUrgent(deps('b'))]);
    expect(receiver.to('duty').filter((x) => x.body.receiptNo === r.receiptNo)).to.have.length(1);
    expect(
      receiver.to('new-duty').filter((x) => x.body.receiptNo === r.receiptNo),
      'the step is not sent again to the new address',
    ).to.have.length(0);
    // the next step uses the list as it is now
    clock = new Date(clock.getTime() + 15 * MIN);
    await sweepUrgent(deps('a'));
    expect(
      receiver
        .to('new-duty')
        .filter((x) => x.body.receiptNo === r.receiptNo)
        .map((x) => x.body.step),
    ).to.deep.equal([1]);
    expect(
      receiver
        .to('chief')
        .filter((x) => x.body.receiptNo === r.receiptNo)
        .map((x) => x.body.step),
    ).to.deep.equal([1]);
  });

  it('is set at the CLI (alerts oncall), validated like the console; a bad value changes nothing', async () => {
    const run = (args: string[]) => alertCommands.run(args, { config, repos, now: () => clock });
    const set = await run([
      'oncall',
      '--hours',
      '19:00-08:30',
      '--off-days',
      'no',
      '--chain',
      `webhook ${receiver.url('duty')}; telegram -1001234567890; email a@b.kr, c@d.kr`,
      '--privacy',
      'full',
    ]);
    expect(set.text).to.contain('Updated').and.contain('weekdays 19:00-08:30').and.not.contain('weekends');
    const saved = await repos.onCall.setup(district.id);
    expect(saved.hours).to.deep.equal({ from: '19:00', to: '08:30', offDays: false });
    expect(saved.chain.map((t) => t.kind)).to.deep.equal(['webhook', 'telegram', 'email']);
    expect(saved.privacy).to.equal('full');
    for (const bad of [
      ['--hours', '7pm-8am'],
      ['--chain', 'fax 02-123-4567'],
      ['--off-days', 'maybe'],
      ['--privacy', 'everything'],
    ]) {
      let error = '';
      await run(['oncall', ...bad]).catch((err: Error) => (error = err.message));
      expect(error, bad.join(' ')).to.not.equal('');
    }
    expect(await repos.onCall.setup(district.id)).to.deep.equal(saved);
    expect((await run(['oncall'])).text)
      .to.contain('on call  webhook')
      .and.contain('step 2   email a@b.kr, c@d.kr');
  });

  it('signs the 확인 link: a changed receipt number or step is refused', () => {
    const token = ackToken(ACK_SECRET, district.id, 'SDM-2026-000123', 1);
    expect(verifyAckToken(ACK_SECRET, district.id, token)).to.deep.equal({ receiptNo: 'SDM-2026-000123', step: 1 });
    expect(verifyAckToken(ACK_SECRET, district.id, token.replace('000123', '000124'))).to.equal(undefined);
    expect(verifyAckToken(ACK_SECRET, district.id, token.replace('.1.', '.2.'))).to.equal(undefined);
    expect(verifyAckToken('another-secret-0123456789abcdefghijklmnop', district.id, token)).to.equal(undefined);
  });
});
