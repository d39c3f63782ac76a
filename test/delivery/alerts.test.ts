import { expect } from 'chai';
import type mongoose from 'mongoose';
import { alertCommands } from '../../src/cli/alert-commands';
import { sweepAlerts, type AlertDeps } from '../../src/delivery/alerts';
import { sendersFromConfig } from '../../src/delivery/senders';
import { BACKOFF_MS } from '../../src/delivery/weekly-delivery';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { log } from '../../src/log';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { CALL_CENTER } from '../../src/domain/alert-target/alert-targets';
import { connectDatabase } from '../../src/store/connect';
import { testConfig } from '../support/app';
import { DeliveryCapture } from '../support/delivery-capture';
import { testDatabase } from '../support/database';
import { insertReports, kst, reportDoc } from '../support/report-fixtures';
import { startSmtpCapture } from '../support/smtp-capture';

const YEONHUI = '1141061500';
const CALL_SLACK = 'C0CALLCTR';
const CALL_TELEGRAM = '-100999';
const YEONHUI_SLACK = 'C0YEONHUI';

describe('alerts beyond the console: once per target, retried, as private as the target allows', () => {
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let second: mongoose.Connection;
  let repos: Repositories;
  let repos2: Repositories;
  let capture: DeliveryCapture;
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let clock = kst('2026-11-23 10:00');

  const deps = (r: Repositories, owner: string): AlertDeps => {
    const config = testConfig({
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
    return {
      repos: r,
      district,
      senders: sendersFromConfig(config),
      owner,
      now: () => clock,
      consoleUrl: 'https://sagak.example.kr',
      windowMs: 24 * 3_600_000,
    };
  };
  const staff = { id: 'user:staff1', role: 'staff' as const };
  const dongUser = { id: 'user:yeonhui1', role: 'dong' as const, dongCode: YEONHUI };

  before(async () => {
    log.level = 'silent';
    db = await testDatabase('alerts');
    second = await connectDatabase(db.uri);
    repos = openRepositories(db.connection);
    repos2 = openRepositories(second);
    await ensureIndexes(repos);
    capture = await new DeliveryCapture().start();
    smtp = await startSmtpCapture();
    await repos.dongCenters.seed(district.id, district.dongs, clock);
    await repos.dongCenters.setTargets(district.id, YEONHUI, { slackChannel: YEONHUI_SLACK }, clock);
    const run = (args: string[]) => alertCommands.run(args, { config: testConfig(), repos, now: () => clock });
    // the call center: Slack with everything, Telegram and e-mail with the receipt number and link only
    await run([
      'target',
      '--slack',
      CALL_SLACK,
      '--telegram',
      CALL_TELEGRAM,
      '--email',
      'callcenter@sdm.example',
      '--privacy',
      'slack=full',
    ]);
    await run(['target', '--dong', '연희동', '--privacy', 'slack=full']);
  });
  after(async () => {
    await capture?.stop();
    await smtp?.stop();
    await second?.close();
    await db?.drop();
  });

  it('sends a new 즉시 위험 report to each call-center target once, even with two instances sweeping at once', async () => {
    await insertReports(repos.reports, [
      reportDoc({
        receiptNo: '2026-000501',
        receivedAt: kst('2026-11-23 09:58'),
        urgency: 'immediate',
        urgencyRank: 0,
        status: 'received',
        assignedDongCode: YEONHUI,
        person: { name: '박영자', age: null, phone: '010-5555-6666' },
        address: { text: '서울 서대문구 연희로 5-5', dongCode: YEONHUI, dongName: '연희동', resolvedBy: 'dong-name' },
      }),
      reportDoc({
        receiptNo: '2026-000502',
        receivedAt: kst('2026-11-23 09:59'),
        urgency: 'normal',
        status: 'received',
      }),
    ]);
    await Promise.all([sweepAlerts(deps(repos, 'a')), sweepAlerts(deps(repos2, 'b')), sweepAlerts(deps(repos, 'c'))]);
    const slack = capture.messages('slack', CALL_SLACK);
    expect(slack).to.have.length(1);
    expect(slack[0]!.fields.text)
      .to.contain('즉시 위험 신고 2026-000501')
      .and.contain('서울 서대문구 연희로 5-5')
      .and.contain('박영자')
      .and.contain('https://sagak.example.kr/console/reports/2026-000501');
    const telegram = capture.messages('telegram', CALL_TELEGRAM);
    expect(telegram).to.have.length(1);
    expect(telegram[0]!.fields.text)
      .to.contain('2026-000501')
      .and.contain('https://sagak.example.kr/console/reports/2026-000501');
    expect(telegram[0]!.fields.text).to.not.contain('박영자').and.not.contain('연희로').and.not.contain('010');
    expect(smtp.mails.filter((m) => m.raw.includes('2026-000501'))).to.have.length(1);
    expect(smtp.mails[0]!.raw).to.not.contain('010-5555');
    // the normal report alerts no one
    expect(capture.calls.some((c) => JSON.stringify(c.fields).includes('2026-000502'))).to.equal(false);
    await sweepAlerts(deps(repos, 'a'));
    expect(capture.messages('slack', CALL_SLACK)).to.have.length(1);
  });

  it('sends a visit request to the dong center with why, where, who and how urgent, and the visit result back', async () => {
    const act = (actor: typeof staff | typeof dongUser, action: Parameters<typeof applyReportAction>[3]) =>
      applyReportAction({ reports: repos.reports, district }, actor, '2026-000501', action, clock);
    clock = kst('2026-11-23 10:20');
    expect((await act(staff, { type: 'consult', result: '전화 안 받음', callOutcome: 'no_answer' })).ok).to.equal(true);
    expect((await act(staff, { type: 'request_visit', reason: '전화 연결 안 됨, 거동 불편 의심' })).ok).to.equal(true);
    await sweepAlerts(deps(repos, 'a'));
    const dong = capture.messages('slack', YEONHUI_SLACK);
    expect(dong).to.have.length(1);
    expect(dong[0]!.fields.text)
      .to.contain('방문 요청 2026-000501')
      .and.contain('요청 사유: 전화 연결 안 됨, 거동 불편 의심')
      .and.contain('주소: 서울 서대문구 연희로 5-5')
      .and.contain('긴급도: 즉시 위험')
      .and.contain('/console/reports/2026-000501');

    clock = kst('2026-11-23 15:00');
    expect(
      (
        await act(dongUser, {
          type: 'visit_result',
          reached: false,
          investigationResult: '부재, 이웃 말로는 입원',
          enteredInSystem: false,
          crisisLevel: 'high',
          followUpNeeded: true,
        })
      ).ok,
    ).to.equal(true);
    await sweepAlerts(deps(repos, 'a'));
    const back = capture.messages('slack', CALL_SLACK).filter((m) => m.fields.text!.includes('방문 결과'));
    expect(back).to.have.length(1);
    expect(back[0]!.fields.text).to.contain('부재 (재방문 필요)').and.not.contain('위기도'); // nobody met: no level was judged
    // the 부재 result asked for a second visit: the dong center hears of it again
    expect(capture.messages('slack', YEONHUI_SLACK)).to.have.length(2);
  });

  it('retries a failing target after its back-off without resending to the others, and lists it all in the log', async () => {
    capture.failFor.add(CALL_TELEGRAM);
    clock = kst('2026-11-23 16:00');
    await insertReports(repos.reports, [
      reportDoc({
        receiptNo: '2026-000503',
        receivedAt: kst('2026-11-23 15:59'),
        urgency: 'immediate',
        urgencyRank: 0,
        status: 'received',
      }),
    ]);
    const first = await sweepAlerts(deps(repos, 'a'));
    expect(first.find((r) => r.receiptNo === '2026-000503' && r.target === 'telegram')!.outcome).to.equal('failed');
    expect(first.find((r) => r.receiptNo === '2026-000503' && r.target === 'slack')!.outcome).to.equal('sent');
    capture.failFor.delete(CALL_TELEGRAM);
    const waiting = await sweepAlerts(deps(repos, 'a'));
    expect(waiting.find((r) => r.receiptNo === '2026-000503' && r.target === 'telegram')!.outcome).to.equal('waiting');
    clock = new Date(clock.getTime() + BACKOFF_MS[0]! + 1000);
    const retried = await sweepAlerts(deps(repos, 'a'));
    expect(retried.find((r) => r.receiptNo === '2026-000503' && r.target === 'telegram')!.outcome).to.equal('sent');
    expect(
      capture.messages('telegram', CALL_TELEGRAM).filter((m) => m.fields.text!.includes('2026-000503')),
    ).to.have.length(1);
    expect(capture.messages('slack', CALL_SLACK).filter((m) => m.fields.text!.includes('2026-000503'))).to.have.length(
      1,
    );

    const logOut = await alertCommands.run(['log', '--hours', '24'], { config: testConfig(), repos, now: () => clock });
    const line = logOut.text.split('\n').find((l) => l.includes('immediate:2026-000503') && l.includes('telegram'))!;
    expect(line).to.contain('콜센터').and.contain('sent').and.contain('attempts 2');
    expect(logOut.text).to.contain('visit_request:2026-000501').and.contain('연희동');
    const stored = await repos.alertTargets.of(district.id, CALL_CENTER);
    expect(stored.privacy).to.deep.equal({ slack: 'full', telegram: 'minimal', email: 'minimal', webhook: 'minimal' });
  });

  it('refuses a privacy level it does not know, naming the pairs it takes', async () => {
    let message = '';
    try {
      await alertCommands.run(['target', '--privacy', 'slack=everything'], {
        config: testConfig(),
        repos,
        now: () => clock,
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.contain('--privacy takes target=level pairs');
  });
});
