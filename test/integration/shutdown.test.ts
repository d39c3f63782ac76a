import { expect } from 'chai';
import { dueWeeks } from '../../src/jobs/weekly-scheduler';
import { loadDistrict } from '../../src/domain/district';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { freePort, testDatabase } from '../support/database';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture';
import { startService } from '../support/service-process';

const HONGJE3 = '1141064000';
const CHUNGHYEON = '1141056500';
const EVERY_MINUTE = '* * * * *';
/** The week whose list is due now with a cron of every minute: the week just finished. */
const week = () => dueWeeks(EVERY_MINUTE, new Date(), 1)[0]!;

describe('shutdown on SIGTERM during a weekly send', () => {
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let smtp: SmtpCapture;
  let service: ReturnType<typeof startService> | undefined;

  before(async () => {
    db = await testDatabase('shutdown');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
    await repos.dongCenters.seed(district.id, district.dongs, new Date());
    await repos.dongCenters.setTargets(district.id, HONGJE3, { emails: ['hongje3@sdm.example'] }, new Date());
    await repos.dongCenters.setTargets(district.id, CHUNGHYEON, { emails: ['chunghyeon@sdm.example'] }, new Date());
    smtp = await startSmtpCapture({ hold: true }); // a slow mail server: it answers only when released
  });
  after(async () => {
    if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    smtp?.release();
    await smtp?.stop();
    await db?.drop();
  });

  const serviceEnv = (port: number) => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    MONGODB_URI: db.uri,
    WEEKLY_DELIVERY_ENABLED: 'true',
    WEEKLY_DELIVERY_CRON: EVERY_MINUTE, // last week's list is due whatever day the test runs
    WEEKLY_DELIVERY_CATCHUP_WEEKS: '1',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    SMTP_FROM: '서대문구 복지정책과 <welfare@sdm.example>',
  });

  it('stops accepting at once, finishes the send in progress (and starts no other), then exits cleanly', async () => {
    const port = await freePort();
    service = startService(serviceEnv(port));
    await service.waitFor('Sagak is listening');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);

    await smtp.holding; // the list is on the wire; the server has not answered yet
    service.child.kill('SIGTERM');
    await service.waitFor('shutting down');

    // No new requests, while the send is still waiting for the mail server.
    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => false,
      () => true,
    );
    expect(refused, 'a request after SIGTERM was accepted').to.equal(true);
    expect(service.child.exitCode, 'the service exited in the middle of a send').to.equal(null);
    expect(smtp.mails).to.have.length(0);

    smtp.release();
    expect(await service.exited).to.equal(0);

    // The list in progress went out once and is recorded; the other dong's was not started.
    expect(smtp.mails).to.have.length(1);
    const records = await repos.weeklyDeliveries.ofWeek(district.id, week().id);
    expect(records.map((r) => [r.target, r.status, r.attempts, r.address])).to.deep.equal([
      ['email', 'sent', 1, smtp.mails[0]!.to.join(', ')],
    ]);
    const attempt = await repos.weeklyDeliveries.latestAttempt(records[0]!.id);
    expect(attempt?.attemptNo).to.equal(1);
    expect(attempt?.ok).to.equal(true);
    const messages = service.lines.map((l) => l.msg);
    expect(messages).to.include('weekly list delivered');
    expect(messages.at(-1)).to.equal('stopped');
  });

  it('after a restart sends the list that was not started, and not the one already sent', async () => {
    const port = await freePort();
    service = startService(serviceEnv(port));
    await service.waitFor('weekly list delivered');
    service.child.kill('SIGTERM');
    expect(await service.exited).to.equal(0);

    expect(smtp.mails.map((m) => m.to.join(', ')).sort()).to.deep.equal([
      'chunghyeon@sdm.example',
      'hongje3@sdm.example',
    ]);
    const records = await repos.weeklyDeliveries.ofWeek(district.id, week().id);
    expect(records.map((r) => [r.dongCode, r.status, r.attempts]).sort()).to.deep.equal([
      [CHUNGHYEON, 'sent', 1],
      [HONGJE3, 'sent', 1],
    ]);
  });
});
