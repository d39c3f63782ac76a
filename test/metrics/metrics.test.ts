import { expect } from 'chai';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, login } from '../support/console';
import { testDatabase } from '../support/database';
import { fillReport, giveContact, KakaoUser } from '../support/kakao-client';

/** Every series docs/metrics.md describes. */
const SERIES = [
  'sagak_build_info',
  'sagak_turn_duration_seconds_bucket',
  'sagak_turns_total',
  'sagak_turn_deadline_misses_total',
  'sagak_deliveries_total',
  'sagak_open_cases',
  'sagak_overdue_cases',
  'sagak_import_runs_total',
  'sagak_sign_in_failures_total',
  'sagak_sign_in_lockouts_total',
  'sagak_database_round_trip_seconds_bucket',
  'sagak_backup_last_success_timestamp_seconds',
  'sagak_backup_last_size_bytes',
  'sagak_backup_last_failed',
  'sagak_process_resident_memory_bytes',
];

/** The value of one sample line, e.g. `sagak_turns_total{channel="kakao",outcome="reply"}`. */
function sample(body: string, series: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no sample ${series}`);
  return Number(line.slice(series.length + 1));
}

describe('/metrics (Prometheus, prom-client)', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let guarded: RunningApp;
  const TOKEN = 'metrics-token-0123456789abcdef';

  before(async () => {
    db = await testDatabase('metrics');
    const config = testConfig();
    app = await startTestApp(db.connection, { config });
    guarded = await startTestApp(db.connection, { config: testConfig({ METRICS_TOKEN: TOKEN }) });
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
  });
  after(async () => {
    await app.close();
    await guarded.close();
    await db.drop();
  });

  it('is scraped from loopback with every listed series, counts turns, sign-in failures and open cases, and names no person', async () => {
    const scrape = async () => {
      const res = await fetch(`${app.baseUrl}/metrics`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.contain('text/plain');
      return res.text();
    };
    const before = await scrape();
    for (const series of SERIES) expect(before, series).to.match(new RegExp(`^${series}[{ ]`, 'm'));

    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    const user = new KakaoUser(app.baseUrl, 'metrics-reporter-7731');
    await user.say('신고');
    await user.say(partner.inviteCode);
    await giveContact(user);
    await user.say('취소');
    await fillReport(user, { name: '김메트릭', address: '서울 서대문구 홍제3동 문화촌아파트 101동' });
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())![1]!;
    expect((await login(app.baseUrl, 'staff1', 'wrong password 1')).status).to.equal(401);

    const after = await scrape();
    const replies = 'sagak_turns_total{channel="kakao",outcome="reply"}';
    expect(sample(after, replies) - sample(before, replies)).to.be.at.least(14);
    expect(sample(after, 'sagak_turn_duration_seconds_count{channel="kakao"}')).to.be.greaterThan(
      sample(before, 'sagak_turn_duration_seconds_count{channel="kakao"}'),
    );
    expect(sample(after, 'sagak_sign_in_failures_total') - sample(before, 'sagak_sign_in_failures_total')).to.equal(1);
    expect(sample(after, 'sagak_open_cases{owner="1141064000"}')).to.equal(1); // 홍제3동
    expect(sample(after, 'sagak_database_round_trip_seconds_count')).to.be.greaterThan(0);
    // the phones as typed and as stored (a bare '010' also matches sample values such as 0.0105)
    for (const personal of [
      '김메트릭',
      '010 1234 5678',
      '010-1234-5678',
      '01012345678',
      '010-9876-5432',
      '01098765432',
      '문화촌',
      receipt,
      'metrics-reporter-7731',
      'staff1',
      partner.id,
    ])
      expect(after, personal).not.to.contain(personal);
  });

  it('answers only a direct loopback client without a token, and only the token with one', async () => {
    // a proxy on the same host connects from loopback on behalf of anyone: a forwarded request is refused
    expect((await fetch(`${app.baseUrl}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).to.equal(
      403,
    );
    expect((await fetch(`${guarded.baseUrl}/metrics`)).status).to.equal(401);
    expect(
      (await fetch(`${guarded.baseUrl}/metrics`, { headers: { authorization: 'Bearer not-the-token-0123456789' } }))
        .status,
    ).to.equal(401);
    const ok = await fetch(`${guarded.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.contain('sagak_turns_total');
  });
});
