import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type mongoose from 'mongoose';
import { WeeklyDeliveryScheduler } from '../../src/jobs/weekly-scheduler';
import { LEASE_MS, MAX_ATTEMPTS } from '../../src/delivery/weekly-delivery';
import { loadDistrict } from '../../src/domain/district';
import { log } from '../../src/log';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { connectDatabase } from '../../src/store/connect';
import { testConfig } from '../support/app';
import { DeliveryCapture } from '../support/delivery-capture';
import { testDatabase } from '../support/database';
import { insertReports, kst, reportDoc } from '../support/report-fixtures';
import { mimePart, startSmtpCapture } from '../support/smtp-capture';

const HONGJE3 = '1141064000';
const CHUNGHYEON = '1141056500';
const YEONHUI = '1141061500';
const MINUTE = 60_000;

describe('weekly lists delivered on schedule, exactly once', () => {
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let second: mongoose.Connection;
  let repos: Repositories;
  let repos2: Repositories;
  let capture: DeliveryCapture;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let clock: Date;
  const schedulers: WeeklyDeliveryScheduler[] = [];

  const config = () =>
    testConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-0000',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-0123',
      SLACK_API_URL: capture.slackApiUrl,
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_SECRET: 'telegram-webhook-secret-01',
      TELEGRAM_API_ROOT: capture.baseUrl,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: '서대문구 복지정책과 <welfare@sdm.example>',
    });
  // one week of catch-up unless a test says otherwise, so "before 09:00" means nothing at all is due
  const scheduler = (r: Repositories, owner: string, catchupWeeks = 1) => {
    const s = new WeeklyDeliveryScheduler({
      config: { ...config(), WEEKLY_DELIVERY_CATCHUP_WEEKS: catchupWeeks },
      repos: r,
      district,
      now: () => clock,
      owner,
    });
    schedulers.push(s);
    return s;
  };

  before(async () => {
    log.level = 'silent'; // failed attempts are expected here; their warnings would only be noise
    db = await testDatabase('weekly_delivery');
    second = await connectDatabase(db.uri);
    repos = openRepositories(db.connection);
    repos2 = openRepositories(second);
    await ensureIndexes(repos);
    capture = await new DeliveryCapture().start();
    smtp = await startSmtpCapture();
    await repos.dongCenters.seed(district.id, district.dongs, new Date());
    await repos.dongCenters.setTargets(
      district.id,
      HONGJE3,
      { slackChannel: 'C0HONGJE3', telegramChatId: '-100111', emails: ['hongje3@sdm.example', 'team@sdm.example'] },
      new Date(),
    );
    await repos.dongCenters.setTargets(district.id, CHUNGHYEON, { telegramChatId: '-100222' }, new Date());
    await insertReports(repos.reports, [
      reportDoc({
        receiptNo: '2026-000201',
        receivedAt: kst('2026-11-17 10:00'),
        person: { name: '김민수', age: { kind: 'age', value: 82 }, phone: '010-2222-3333' },
      }),
      reportDoc({ receiptNo: '2026-000202', receivedAt: kst('2026-11-20 10:00'), assignedDongCode: CHUNGHYEON }),
      reportDoc({ receiptNo: '2026-000203', receivedAt: kst('2026-11-25 10:00') }),
    ]);
  });
  after(async () => {
    for (const s of schedulers) await s.stop();
    await capture.stop();
    await smtp.stop();
    await second.close();
    await db.drop();
  });

  it('sends nothing before Monday 09:00 KST', async () => {
    clock = kst('2026-11-23 08:59');
    await scheduler(repos, 'early').tick();
    expect(capture.calls).to.have.length(0);
    expect(smtp.mails).to.have.length(0);
  });

  it('sends each list once when two instances on two connections tick at the same time', async () => {
    clock = kst('2026-11-23 09:00');
    const a = scheduler(repos, 'instance-a');
    const b = scheduler(repos2, 'instance-b');
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    await Promise.all([a.tick(), b.tick()]);
    expect(capture.tried('slack', 'C0HONGJE3')).to.have.length(1);
    expect(capture.tried('telegram', '-100111')).to.have.length(1);
    expect(capture.tried('telegram', '-100222')).to.have.length(1);
    expect(capture.tried('telegram')).to.have.length(2);
    expect(smtp.mails).to.have.length(1);

    const records = await repos.weeklyDeliveries.ofWeek(district.id, '2026-W47');
    expect(records.map((d) => [d.dongCode, d.target, d.status, d.attempts])).to.have.deep.members([
      [HONGJE3, 'slack', 'sent', 1],
      [HONGJE3, 'telegram', 'sent', 1],
      [HONGJE3, 'email', 'sent', 1],
      [CHUNGHYEON, 'telegram', 'sent', 1],
    ]);
  });

  it("puts the text and the right dong's XLSX in the Slack message and the Telegram document", async () => {
    const slack = capture.delivered('slack', 'C0HONGJE3')[0]!;
    expect(slack.fields.initial_comment).to.contain('홍제3동');
    expect(slack.fields.initial_comment).to.contain('2026-000201');
    expect(slack.fields.initial_comment).to.not.contain('김민수');
    const tg = capture.delivered('telegram', '-100222')[0]!;
    expect(tg.fields.caption).to.contain('충현동');
    expect(tg.fileName).to.equal('충현동_2026-W47_주간신고목록.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tg.file! as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('주간 접수')!;
    expect(ws.rowCount).to.equal(4); // title, period, header, one report
    expect(ws.getRow(4).getCell(2).value).to.equal('충현동');
    expect(ws.getRow(4).getCell(12).value).to.equal('2026-000202');
  });

  it('e-mails the dong center with the XLSX attached', async () => {
    const mail = smtp.mails[0]!;
    expect(mail.to).to.have.members(['hongje3@sdm.example', 'team@sdm.example']);
    expect(mail.from).to.equal('welfare@sdm.example');
    const xlsx = mimePart(mail.raw, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx, 'an XLSX attachment').to.not.equal(undefined);
    expect(xlsx!.headers).to.match(/attachment/i);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx!.body as unknown as ArrayBuffer);
    const row = wb.getWorksheet('주간 접수')!.getRow(4);
    expect(row.getCell(3).value).to.equal('김민수');
    expect(row.getCell(4).value).to.equal(null); // 생년월일: a date or nothing
    expect(row.getCell(5).value).to.equal('82세'); // 나이, its own column
    expect(row.getCell(12).value).to.equal('2026-000201');
  });

  it('sends the list an instance missed while down at 09:00 when it is back at 10:00, and nothing twice', async () => {
    const before = capture.calls.length;
    const mailsBefore = smtp.mails.length;
    clock = kst('2026-11-30 10:00'); // every instance was down at 09:00 on Monday 30 November
    const back = scheduler(repos2, 'back-at-ten', 2); // W47 is in reach too, and already sent
    back.start();
    await back.tick(); // joins the start-up pass
    await back.stop();
    expect(capture.delivered('slack', 'C0HONGJE3')).to.have.length(2);
    expect(capture.delivered('telegram')).to.have.length(4);
    expect(smtp.mails).to.have.length(mailsBefore + 1);
    const w48 = capture.delivered('slack', 'C0HONGJE3')[1]!;
    expect(w48.fields.initial_comment).to.contain('2026-W48');
    expect(w48.fields.initial_comment).to.contain('2026-000203');
    expect(capture.calls.length).to.be.greaterThan(before);
    // the W47 lists were not sent again by the catch-up
    expect(capture.delivered('slack').filter((c) => c.fields.initial_comment!.includes('2026-W47'))).to.have.length(1);
  });

  it('retries a failing target with back-off, records it as failed, and never resends a target that succeeded', async () => {
    await repos.dongCenters.setTargets(
      district.id,
      YEONHUI,
      { slackChannel: 'C0YEONHUI', telegramChatId: '-100999' },
      new Date(),
    );
    capture.failFor.add('-100999');
    const s = scheduler(repos, 'retrier');
    const t0 = kst('2026-11-30 11:00');

    clock = t0;
    await s.tick();
    expect(capture.delivered('slack', 'C0YEONHUI')).to.have.length(1);
    let tg = (await repos.weeklyDeliveries.ofWeek(district.id, '2026-W48')).find(
      (d) => d.dongCode === YEONHUI && d.target === 'telegram',
    )!;
    expect(tg).to.include({ status: 'failed', attempts: 1 });
    expect(tg.lastError).to.contain('500');
    expect(tg.nextAttemptAt!.getTime()).to.equal(t0.getTime() + MINUTE);

    clock = new Date(t0.getTime() + 30_000); // within the back-off: no call
    expect(capture.tried('telegram', '-100999')).to.have.length(1);
    await s.tick();
    expect(capture.tried('telegram', '-100999')).to.have.length(1);

    clock = new Date(t0.getTime() + 61_000);
    await s.tick();
    tg = (await repos.weeklyDeliveries.byId(tg.id))!;
    expect(tg).to.include({ status: 'failed', attempts: 2 });
    expect(tg.nextAttemptAt!.getTime()).to.equal(clock.getTime() + 5 * MINUTE);

    capture.failFor.delete('-100999'); // the chat works again
    clock = new Date(clock.getTime() + 5 * MINUTE);
    await s.tick();
    tg = (await repos.weeklyDeliveries.byId(tg.id))!;
    expect(tg).to.include({ status: 'sent', attempts: 3, lastError: null });
    expect(capture.delivered('telegram', '-100999')).to.have.length(1);
    expect(capture.tried('telegram', '-100999')).to.have.length(3);
    expect(capture.tried('slack', 'C0YEONHUI')).to.have.length(1);
    const attempts = await repos.weeklyDeliveries.attempts(tg.id);
    expect(attempts.map((a) => a.ok)).to.deep.equal([false, false, true]);
  });

  it('gives up after the last attempt and keeps the delivery visible as failed', async () => {
    const NAMGAJWA1 = '1141069000';
    await repos.dongCenters.setTargets(district.id, NAMGAJWA1, { telegramChatId: '-100404' }, new Date());
    capture.failFor.add('-100404');
    const s = scheduler(repos, 'stubborn');
    clock = kst('2026-11-30 12:00');
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await s.tick();
      clock = new Date(clock.getTime() + 7 * 60 * MINUTE); // past the longest back-off (6 h)
    }
    const d = (await repos.weeklyDeliveries.ofWeek(district.id, '2026-W48')).find((x) => x.dongCode === NAMGAJWA1)!;
    expect(d).to.include({ status: 'failed', attempts: MAX_ATTEMPTS, nextAttemptAt: null });
    expect(capture.tried('telegram', '-100404')).to.have.length(MAX_ATTEMPTS);
    expect(capture.delivered('telegram', '-100404')).to.have.length(0);
  });

  it('takes over a delivery whose instance died mid-attempt once its lease expires, and sends it once', async () => {
    const HONGEUN1 = '1141066000';
    await repos.dongCenters.setTargets(district.id, HONGEUN1, { slackChannel: 'C0HONGEUN1' }, new Date());
    clock = kst('2026-12-01 09:00');
    // an instance created the record and claimed attempt 1, then crashed before sending
    const d = await repos.weeklyDeliveries.ensure(
      { district: district.id, week: '2026-W48', dongCode: HONGEUN1, target: 'slack', run: 'scheduled' },
      'C0HONGEUN1',
      clock,
    );
    await repos.weeklyDeliveries.claim(d.id, 1, 'crashed-instance', clock, LEASE_MS);

    const a = scheduler(repos, 'survivor-a');
    const b = scheduler(repos2, 'survivor-b');
    clock = new Date(clock.getTime() + 5 * MINUTE); // lease still running: nobody touches it
    await Promise.all([a.tick(), b.tick()]);
    expect(capture.delivered('slack', 'C0HONGEUN1')).to.have.length(0);

    clock = new Date(clock.getTime() + LEASE_MS);
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.tick(), b.tick()]);
    expect(capture.tried('slack', 'C0HONGEUN1')).to.have.length(1);
    const attempts = await repos.weeklyDeliveries.attempts(d.id);
    expect(attempts.map((x) => [x.attemptNo, x.ok])).to.deep.equal([
      [1, false],
      [2, true],
    ]);
    expect(attempts[0]!.error).to.contain('lease expired');
    expect((await repos.weeklyDeliveries.byId(d.id))!.status).to.equal('sent');
  });
});
