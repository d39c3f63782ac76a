import { expect } from 'chai';
import type mongoose from 'mongoose';
import type { CompletedDraft } from '../../flows/report/draft';
import type { Channel } from '../../flows/types';
import { alertCommands } from '../../src/cli/alert-commands';
import {
  newSweepState,
  REPORTER_WEEK,
  sweepNews,
  type NewsDeps,
  type NewsSweepState,
} from '../../src/delivery/reporter-news';
import { BACKOFF_MS } from '../../src/delivery/weekly-delivery';
import { sendersFromConfig } from '../../src/delivery/senders';
import { loadDistrict } from '../../src/domain/district';
import { fileReport } from '../../src/domain/report-filing';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import type { ReportAction } from '../../src/domain/workflow/report-actions';
import { log } from '../../src/log';
import { openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { connectDatabase } from '../../src/store/connect';
import { formatInviteCode, type Partner } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, consoleCookie } from '../support/console';
import { testDatabase } from '../support/database';
import { DeliveryCapture } from '../support/delivery-capture';
import { fileKakaoTwin, giveContact, KakaoUser } from '../support/kakao-client';
import { kst } from '../support/report-fixtures';
import { cookieValue, WebUser } from '../support/web-client';
import { storedDocuments } from '../../src/store/inspect';
import { wholeReadsOneAtATime } from '../../src/whole-reads';

const WEB_SECRET = 'reporter-news-web-cookie-secret-0123456789';
const SLACK_USER = 'U0WORKER1';
const TELEGRAM_USER = '424242';
const KAKAO_USER = 'kakao-worker-1';
const YEONHUI = '1141061500';
const HONGEUN = '1141069000';

/** What the household's report says: none of it may ever reach a reporter's chat. */
const PRIVATE = {
  name: '김순자',
  phone: '010-3141-5926',
  address: '서울 서대문구 연희로 11-3',
  situation: '가스가 끊긴 지 두 주째이고 문 앞에 약봉지가 쌓여 있습니다',
};

const idOf = (cookie: string) => /^s:([^.]+)\./.exec(cookieValue(cookie))![1]!;

describe('the reporter hears back: milestone news pushed once to the chat they reported from', () => {
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let second: mongoose.Connection;
  let app: RunningApp;
  let repos: Repositories;
  let repos2: Repositories;
  let capture: DeliveryCapture;
  let partner: Partner;
  let webUser: WebUser;
  let clock = kst('2026-12-07 09:00');
  const receipts: Record<'slack' | 'telegram' | 'kakao' | 'web' | 'slack2', string> = {
    slack: '',
    telegram: '',
    kakao: '',
    web: '',
    slack2: '',
  };
  // two instances, each with its own memory between sweeps
  const states: [NewsSweepState, NewsSweepState] = [newSweepState(), newSweepState()];

  const config = () =>
    testConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-0000',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-0123',
      SLACK_API_URL: capture.slackApiUrl,
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_SECRET: 'telegram-webhook-secret-01',
      TELEGRAM_API_ROOT: capture.baseUrl,
      KAKAO_EVENT_API_KEY: 'test-kakao-rest-key',
      KAKAO_EVENT_BOT_ID: 'bot-sagak',
      KAKAO_EVENT_API_URL: capture.baseUrl,
    });
  const deps = (r: Repositories, owner: string, over: Partial<NewsDeps> = {}): NewsDeps => ({
    repos: r,
    district,
    senders: sendersFromConfig(config()),
    owner,
    now: () => clock,
    windowMs: 3 * 86_400_000,
    kakaoEventCap: 100,
    ...over,
  });
  /** Two instances sweep at once, then one again (a retry after a kick). */
  const sweepBoth = async (over: Partial<NewsDeps> = {}) => {
    const results = await Promise.all([
      sweepNews(deps(repos, 'a', over), states[0]),
      sweepNews(deps(repos2, 'b', over), states[1]),
    ]);
    results.push(await sweepNews(deps(repos, 'a', over), states[0]));
    return results.flat();
  };
  const staff = { id: 'user:staff1', role: 'staff' as const };
  const dongUser = (code: string) => ({ id: 'user:dong', role: 'dong' as const, dongCode: code });
  const act = async (
    receiptNo: string,
    action: ReportAction,
    actor: Parameters<typeof applyReportAction>[1] = staff,
  ) => {
    const done = await applyReportAction({ reports: repos.reports, district }, actor, receiptNo, action, clock);
    expect(done.ok, JSON.stringify(done)).to.equal(true);
  };
  let seq = 0;
  const file = async (channel: Channel, userId: string) => {
    const draft: CompletedDraft = {
      submissionId: `news-test-${++seq}`,
      partnerId: partner.id,
      address: PRIVATE.address,
      dong: { code: YEONHUI, name: '연희동' },
      signs: ['utility_arrears'],
      name: PRIVATE.name,
      phone: PRIVATE.phone,
      situation: PRIVATE.situation,
      urgency: 'normal',
    };
    const filed = await fileReport({ districtId: district.id, ...repos }, draft, { channel, userId }, clock);
    if (!filed.ok) throw new Error('filing refused');
    return filed.report.receiptNo;
  };
  const slackTexts = (to = SLACK_USER) => capture.messages('slack', to).map((c) => c.fields.text!);
  const telegramTexts = () => capture.messages('telegram', TELEGRAM_USER).map((c) => c.fields.text!);
  const kakaoTexts = () => capture.kakaoEvents(KAKAO_USER).map((c) => c.fields.text!);
  /** How many pushes to a channel named this receipt and this phrase. */
  const count = (texts: string[], receiptNo: string, phrase: string) =>
    texts.filter((t) => t.split('\n').some((l) => l.includes(receiptNo) && l.includes(phrase))).length;

  before(async () => {
    log.level = 'silent';
    db = await testDatabase('reporter_news');
    second = await connectDatabase(db.uri);
    capture = await new DeliveryCapture().start();
    app = await startTestApp(db.connection, {
      config: testConfig({ WEBCHAT_COOKIE_SECRET: WEB_SECRET }),
      now: () => clock,
    });
    repos = app.repos;
    repos2 = openRepositories(second);
    partner = await repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock });
    await repos.identities.link('slack', SLACK_USER, partner.id, clock);
    await repos.identities.link('telegram', TELEGRAM_USER, partner.id, clock);
    // the web chat's worker links in the chat itself (the id is the signed cookie's)
    webUser = new WebUser(app.baseUrl);
    await webUser.hello();
    await webUser.press('신고');
    await webUser.say(formatInviteCode(partner.inviteCode));
    await giveContact(webUser);
    await webUser.say('취소');
  });
  after(async () => {
    await app?.close();
    await capture?.stop();
    await second?.close();
    await db?.drop();
  });

  it('walks reports from filing to closure: one push per milestone per channel, two instances racing, corrections not re-told', async () => {
    // the Kakao worker links and files through the skill server, as in the field
    receipts.kakao = await fileKakaoTwin(app.baseUrl, formatInviteCode(partner.inviteCode), KAKAO_USER);
    receipts.slack = await file('slack', SLACK_USER);
    receipts.telegram = await file('telegram', TELEGRAM_USER);
    receipts.web = await file('web', idOf(webUser.cookie!));
    const all = [receipts.slack, receipts.telegram, receipts.kakao, receipts.web];
    await sweepBoth();
    expect(capture.calls).to.have.length(0); // filing is not news: the worker has the receipt already

    clock = kst('2026-12-07 09:30');
    for (const no of all)
      await act(no, {
        type: 'consult',
        result: '통화함, 전기요금 체납 확인',
        callOutcome: 'talked',
        crisisLevel: 'high',
        services: [],
      });
    await sweepBoth();
    clock = kst('2026-12-07 10:00');
    for (const no of all) await act(no, { type: 'assign', dongCode: YEONHUI });
    await sweepBoth();
    // a correction and a re-assignment are not news again
    clock = kst('2026-12-07 10:10');
    for (const no of all) {
      await act(no, { type: 'consult', result: '통화 내용 정정', callOutcome: 'talked' });
      await act(no, { type: 'assign', dongCode: HONGEUN });
    }
    await sweepBoth();
    clock = kst('2026-12-07 14:00');
    for (const no of all)
      await act(
        no,
        {
          type: 'visit_result',
          reached: false,
          investigationResult: '부재',
          enteredInSystem: false,
          crisisLevel: 'high',
          followUpNeeded: false,
        },
        dongUser(HONGEUN),
      );
    await sweepBoth();
    clock = kst('2026-12-08 15:00');
    for (const no of all)
      await act(
        no,
        {
          type: 'visit_result',
          reached: true,
          investigationResult: '만남, 긴급복지 연계',
          supportProvided: '쌀 10kg',
          enteredInSystem: true,
          crisisLevel: 'high',
          followUpNeeded: true,
        },
        dongUser(HONGEUN),
      );
    await sweepBoth();
    clock = kst('2026-12-09 11:00');
    for (const no of all) await act(no, { type: 'end_follow_up', reason: '안정됨' });
    await sweepBoth();
    // a reopen and a second closing: 종결 was told already
    clock = kst('2026-12-09 11:30');
    for (const no of all) {
      await act(no, { type: 'reopen', reason: '재확인' });
      await act(no, { type: 'close', reason: '재확인 끝' });
    }
    await sweepBoth();

    const phrases = [
      '1차 상담을 마쳤습니다',
      '동 주민센터에 배정되었습니다',
      '다시 방문할 예정입니다',
      '동 주민센터에서 방문했습니다',
      '사후관리를 시작했습니다',
      '처리가 종결되었습니다',
    ];
    for (const [texts, no] of [
      [slackTexts(), receipts.slack],
      [telegramTexts(), receipts.telegram],
      [kakaoTexts(), receipts.kakao],
    ] as const) {
      for (const p of phrases) expect(count(texts, no, p), `${no}: ${p}`).to.equal(1);
      // the visit that started follow-up is one message with both; the rest one each
      expect(texts).to.have.length(5);
    }
    expect(slackTexts()[0]).to.contain(`접수번호 ${receipts.slack}: 12월 7일 콜센터에서 1차 상담을 마쳤습니다.`);
    expect(slackTexts()[2]).to.contain('12월 7일 동 주민센터에서 방문했으나 만나지 못해 다시 방문할 예정입니다');
    expect(slackTexts()[3])
      .to.contain('12월 8일 동 주민센터에서 방문했습니다')
      .and.contain('12월 8일 사후관리를 시작했습니다');
    // Kakao's Event API: the district's key, bot and event, the worker by botUserKey
    const event = capture.kakaoEvents(KAKAO_USER)[0]!.fields;
    expect(event).to.include({
      authorization: 'KakaoAK test-kakao-rest-key',
      botId: 'bot-sagak',
      event: 'reporter_news',
      userType: 'botUserKey',
    });
    // the web chat has no push: its worker sees everything at the next visit, once
    expect(capture.calls.some((c) => JSON.stringify(c.fields).includes(receipts.web))).to.equal(false);
    await webUser.hello();
    const shown = webUser.text();
    expect(shown.startsWith('지난번 신고 소식')).to.equal(true);
    for (const p of phrases) expect(count([shown], receipts.web, p), p).to.equal(1);
    await webUser.say('도움말');
    expect(webUser.text()).to.not.contain('지난번 신고 소식');
    // what each reporter was told, per milestone, once
    for (const no of all)
      expect((await repos.reporterNews.ofReport(district.id, no)).map((o) => o.outcome)).to.deep.equal(
        ['told', 'told', 'told', 'told', 'told', 'told'].map((t) => (no === receipts.web ? 'shown' : t)),
      );
  });

  it('says nothing private in any push or shown news: no name, phone, address, situation, crisis level or service', async () => {
    const everything = `${capture.everything()}\n${(
      await Promise.all(
        Object.values(receipts)
          .filter(Boolean)
          .map((no) => repos.reporterNews.ofReport(district.id, no)),
      )
    )
      .flat()
      .map((o) => o.text)
      .join('\n')}`;
    for (const secret of [
      PRIVATE.name,
      PRIVATE.phone,
      PRIVATE.phone.replace(/-/g, ''),
      '연희로',
      '가스가 끊긴',
      '약봉지',
      '높음',
      '긴급복지',
      '쌀 10kg',
      '서대문우체국',
    ]) {
      expect(everything, secret).to.not.contain(secret);
    }
  });

  it('holds news between 21:00 and 08:00 and sends them at 08:00 as one message per reporter', async () => {
    clock = kst('2026-12-09 20:00');
    receipts.slack2 = await file('slack', SLACK_USER);
    const third = await file('slack', SLACK_USER);
    const before = slackTexts().length;
    clock = kst('2026-12-09 21:30');
    await act(receipts.slack2, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    expect((await sweepBoth()).some((r) => r.outcome === 'held')).to.equal(true);
    clock = kst('2026-12-10 02:00');
    await act(receipts.slack2, { type: 'assign', dongCode: YEONHUI });
    await act(third, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    await sweepBoth();
    clock = kst('2026-12-10 07:59');
    await sweepBoth();
    expect(slackTexts()).to.have.length(before);
    clock = kst('2026-12-10 08:00');
    await sweepBoth();
    expect(slackTexts()).to.have.length(before + 1);
    const morning = slackTexts().at(-1)!;
    expect(morning).to.contain(`접수번호 ${receipts.slack2}: 12월 9일 콜센터에서 1차 상담을 마쳤습니다.`);
    expect(morning).to.contain(`접수번호 ${receipts.slack2}: 12월 10일 동 주민센터에 배정되었습니다.`);
    expect(morning).to.contain(`접수번호 ${third}: 12월 10일 콜센터에서 1차 상담을 마쳤습니다.`);
    await sweepBoth();
    expect(slackTexts()).to.have.length(before + 1);
  });

  it('honours 알림 끄기 typed in the chat, and 알림 켜기 turns the news back on', async () => {
    const kakao = new KakaoUser(app.baseUrl, KAKAO_USER);
    await kakao.say('알림 끄기');
    expect(kakao.text()).to.contain('알림을 껐습니다');
    clock = kst('2026-12-10 10:00');
    const no = await file('kakao', KAKAO_USER);
    const before = kakaoTexts().length;
    await act(no, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    await sweepBoth();
    expect(kakaoTexts()).to.have.length(before);
    expect((await repos.reporterNews.ofReport(district.id, no))[0]).to.include({
      outcome: 'skipped',
      reason: 'reporter_off',
    });
    await kakao.say('알림 켜기');
    expect(kakao.text()).to.contain('알림을 켰습니다');
    clock = kst('2026-12-10 10:30');
    await act(no, { type: 'assign', dongCode: YEONHUI });
    await sweepBoth();
    expect(kakaoTexts()).to.have.length(before + 1);
    expect(kakaoTexts().at(-1))
      .to.contain(`접수번호 ${no}: 12월 10일 동 주민센터에 배정되었습니다.`)
      .and.not.contain('1차 상담');
  });

  it('without the Kakao Event API, or past its daily cap, a Kakao worker gets the news before the reply to their next message', async () => {
    clock = kst('2026-12-10 11:00');
    const no = await file('kakao', KAKAO_USER);
    await act(no, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    const before = kakaoTexts().length;
    await sweepBoth({ kakaoEventCap: null });
    expect(kakaoTexts()).to.have.length(before);
    const kakao = new KakaoUser(app.baseUrl, KAKAO_USER);
    await kakao.say('조회');
    const outputs = kakao.last!.template.outputs.map((o) => ('simpleText' in o ? o.simpleText.text : ''));
    expect(outputs[0])
      .to.contain('지난번 신고 소식')
      .and.contain(`접수번호 ${no}: 12월 10일 콜센터에서 1차 상담을 마쳤습니다.`);
    expect(kakao.text()).to.contain('최근 신고 내역');
    await kakao.say('조회');
    expect(kakao.text()).to.not.contain('지난번 신고 소식');

    // a cap of one message a day: the first goes by the Event API, the next waits for the chat
    clock = kst('2026-12-11 09:00');
    const a = await file('kakao', KAKAO_USER);
    await act(a, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    const fresh: NewsDeps = deps(repos, 'c', { kakaoEventCap: 1 });
    await sweepNews(fresh, newSweepState());
    clock = kst('2026-12-11 09:30');
    await act(a, { type: 'assign', dongCode: YEONHUI });
    await sweepNews(fresh, newSweepState());
    expect(kakaoTexts().filter((t) => t.includes(a))).to.have.length(1);
    await kakao.say('조회');
    expect(kakao.text())
      .to.contain('지난번 신고 소식')
      .and.contain(`접수번호 ${a}: 12월 11일 동 주민센터에 배정되었습니다.`);
  });

  it('reads the whole window once per half hour among instances; the other goes on from that pass and still tells a change made after it', async () => {
    clock = kst('2026-12-12 10:05'); // a half hour no instance has swept yet
    const reads: string[] = [];
    // each instance's reads of the whole window (the working set: ≈2.5 s of FerretDB at 100,000 reports)
    const counted = (r: Repositories, who: string): Repositories => ({
      ...r,
      reports: {
        ...r.reports,
        changedSince: (d: string, since: Date) => {
          reads.push(who);
          return r.reports.changedSince(d, since);
        },
      },
    });
    const fresh = { a: newSweepState(), b: newSweepState() }; // two instances just started
    const sweep = (who: 'a' | 'b') => sweepNews(deps(counted(who === 'a' ? repos : repos2, who), who), fresh[who]);
    await Promise.all([sweep('a'), sweep('b')]);
    expect(reads, 'one of the two read the window').to.have.length(1);

    const no = await file('slack', SLACK_USER);
    clock = kst('2026-12-12 10:06');
    await act(no, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    const other = reads[0] === 'a' ? 'b' : 'a';
    await sweep(other);
    expect(reads, 'the other went on from that pass').to.have.length(1);
    expect(count(slackTexts(), no, '1차 상담을 마쳤습니다')).to.equal(1);

    clock = kst('2026-12-12 10:36'); // half an hour on: one full pass again
    await Promise.all([sweep('a'), sweep('b')]);
    expect(reads).to.have.length(2);
    expect(count(slackTexts(), no, '1차 상담을 마쳤습니다'), 'told once').to.equal(1);
  });

  it("puts the window's read off for the first minute after a start, then reads it and tells the news once", async () => {
    clock = kst('2026-12-13 10:05'); // a half hour no instance has swept yet
    const no = await file('slack', SLACK_USER);
    await act(no, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    let reads = 0;
    const counted: Repositories = {
      ...repos,
      reports: {
        ...repos.reports,
        changedSince: (d: string, since: Date) => {
          reads++;
          return repos.reports.changedSince(d, since);
        },
      },
    };
    // an instance started just now: its whole reads wait a minute (by the test's clock, no timer)
    const wholeReads = wholeReadsOneAtATime(60_000, () => clock.getTime());
    const state = newSweepState();
    await sweepNews(deps(counted, 'fresh', { wholeReads }), state);
    expect(reads, 'no read of the window in the first minute').to.equal(0);
    expect(count(slackTexts(), no, '1차 상담을 마쳤습니다')).to.equal(0);
    clock = new Date(clock.getTime() + 61_000);
    await sweepNews(deps(counted, 'fresh', { wholeReads }), state);
    expect(reads).to.equal(1);
    expect(count(slackTexts(), no, '1차 상담을 마쳤습니다'), 'told once the minute is over').to.equal(1);
  });

  it('ends a push that cannot be delivered as failed with its reason, retries a passing failure with back-off, and lists both in the alert log', async () => {
    // a Slack user who left the workspace; a Telegram user who blocked the bot
    capture.slackErrors.set(SLACK_USER, 'user_not_found');
    capture.blockedChats.add(TELEGRAM_USER);
    clock = kst('2026-12-11 10:00');
    const s = await file('slack', SLACK_USER);
    const t = await file('telegram', TELEGRAM_USER);
    await act(s, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    await act(t, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    await sweepBoth();
    expect((await repos.reporterNews.ofReport(district.id, s))[0]).to.include({ outcome: 'failed', via: 'slack' });
    expect((await repos.reporterNews.ofReport(district.id, s))[0]!.reason).to.contain('user_not_found');
    expect((await repos.reporterNews.ofReport(district.id, t))[0]).to.include({ outcome: 'failed', via: 'telegram' });
    expect((await repos.reporterNews.ofReport(district.id, t))[0]!.reason).to.contain('403');
    const tries = capture.calls.length;
    clock = new Date(clock.getTime() + BACKOFF_MS.at(-1)! * 2);
    await sweepBoth();
    expect(capture.calls.length, 'never retried').to.equal(tries);
    capture.slackErrors.clear();
    capture.blockedChats.clear();

    // a passing failure: retried after the back-off, once delivered never again
    clock = kst('2026-12-11 13:00');
    capture.failFor.add(TELEGRAM_USER);
    const u = await file('telegram', TELEGRAM_USER);
    await act(u, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    expect((await sweepBoth()).some((r) => r.outcome === 'failed')).to.equal(true);
    expect(telegramTexts().filter((x) => x.includes(u))).to.have.length(0);
    capture.failFor.delete(TELEGRAM_USER);
    clock = new Date(clock.getTime() + BACKOFF_MS[0]! + 1000);
    await sweepBoth();
    expect(telegramTexts().filter((x) => x.includes(u))).to.have.length(1);

    const log = await repos.weeklyDeliveries.recentOfWeek(district.id, REPORTER_WEEK, kst('2026-12-11 00:00'));
    const failed = log.filter((d) => d.status === 'failed');
    // each with its channel and reason, none to be retried (the Kakao one is the day's cap, shown in the chat instead)
    expect(failed.map((d) => `${d.target}: ${d.lastError}`).sort()).to.deep.equal([
      'kakao: kakao: daily_cap (shown at the next message instead)',
      'slack: slack: user_not_found',
      'telegram: telegram: 403 Forbidden: bot was blocked by the user',
    ]);
    expect(failed.every((d) => d.nextAttemptAt === null)).to.equal(true);
    expect(log.find((d) => d.status === 'sent' && d.attempts === 2)?.target).to.equal('telegram');
    // the CLI's alert log lists them too, by channel, never by the worker's platform id
    const cli = await alertCommands.run(['log', '--hours', '720'], { config: testConfig(), repos, now: () => clock });
    const line = cli.text.split('\n').find((l) => l.includes('user_not_found'))!;
    expect(line).to.contain('신고자').and.contain('slack').and.contain('failed');
    expect(cli.text).to.not.contain(SLACK_USER).and.not.contain(TELEGRAM_USER);
  });

  it('catches up a push whose sender stopped before recording what it told: recorded as told, not sent again', async () => {
    clock = kst('2026-12-11 14:00');
    const no = await file('telegram', TELEGRAM_USER);
    await act(no, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    await sweepBoth();
    expect(telegramTexts().filter((x) => x.includes(no))).to.have.length(1);
    const told = (await repos.reporterNews.ofReport(district.id, no))[0]!;
    const sent = (await repos.weeklyDeliveries.recentOfWeek(district.id, REPORTER_WEEK, clock)).find(
      (d) => d.target === 'telegram' && d.status === 'sent',
    )!;
    // as if its instance stopped after the platform took the message and the record said so, before the outcome
    await storedDocuments(db.connection, 'reporterNewsOutcomes').deleteOne({ _id: told.id });
    const { id, text: _t, outcome: _o, via: _v, reason: _r, decidedAt: _d, ...rest } = told;
    await storedDocuments(db.connection, 'reporterNewsQueue').insertOne({
      _id: id,
      ...rest,
      userId: TELEGRAM_USER,
      run: sent.run,
      route: 'push',
      createdAt: clock,
    });
    clock = kst('2026-12-11 14:05');
    await sweepBoth();
    expect(telegramTexts().filter((x) => x.includes(no))).to.have.length(1);
    expect((await repos.reporterNews.ofReport(district.id, no))[0]).to.include({ outcome: 'told', via: 'telegram' });
    expect(await repos.reporterNews.queuedOf('telegram', TELEGRAM_USER)).to.deep.equal([]);
  });

  it('ends the news of a removed chat identity as failed and of a revoked partner as skipped, without blocking the others', async () => {
    clock = kst('2026-12-11 15:00');
    const gone = 'U0GONE';
    await repos.identities.link('slack', gone, partner.id, clock);
    const g = await file('slack', gone);
    const other = await repos.partners.create({ name: '연희파출소', kind: 'police', now: clock });
    await repos.identities.link('telegram', '777', other.id, clock);
    const draftPartner = partner;
    partner = other;
    const r = await file('telegram', '777');
    partner = draftPartner;
    const ok = await file('slack', SLACK_USER);
    await storedDocuments(db.connection, 'chatIdentities').deleteOne({ _id: `slack:${gone}` });
    await repos.partners.revoke(other.id, clock);
    for (const no of [g, r, ok]) await act(no, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    await sweepBoth();
    expect((await repos.reporterNews.ofReport(district.id, g))[0]).to.include({
      outcome: 'failed',
      reason: 'no_identity',
    });
    expect((await repos.reporterNews.ofReport(district.id, r))[0]).to.include({
      outcome: 'skipped',
      reason: 'partner_revoked',
    });
    expect(slackTexts().filter((x) => x.includes(ok))).to.have.length(1);
  });

  it("a partner admin who turns pushes off keeps the news for the worker's next message instead", async () => {
    await repos.partners.setNewsPushes(partner.id, false);
    clock = kst('2026-12-11 16:00');
    const no = await file('slack', SLACK_USER);
    await act(no, { type: 'consult', result: '통화함', callOutcome: 'talked' });
    await sweepBoth();
    expect(slackTexts().filter((x) => x.includes(no))).to.have.length(0);
    expect((await repos.reporterNews.queuedOf('slack', SLACK_USER)).map((q) => q.route)).to.deep.equal(['chat']);
    await repos.partners.setNewsPushes(partner.id, true);
  });

  it('shows staff what each reporter was told and when, how many heard back within 1 and 7 days, and every push in the alert log', async () => {
    await addUser({ config: testConfig(), repos }, 'newsadmin', 'admin');
    const cookie = await consoleCookie(app.baseUrl, 'newsadmin');
    const get = async (path: string) => {
      const res = await fetch(`${app.baseUrl}${path}`, { headers: { cookie } });
      expect(res.status, path).to.equal(200);
      return res.text();
    };
    const page = await get(`/console/reports/${receipts.slack}`);
    expect(page).to.contain('신고자에게 알린 소식');
    expect(page)
      .to.contain('1차 상담 완료')
      .and.contain('Slack 알림 보냄')
      .and.contain(`접수번호 ${receipts.slack}: 12월 7일 콜센터에서 1차 상담을 마쳤습니다.`);
    expect(await get(`/console/reports/${receipts.web}`)).to.contain('다음 대화에서 보여 줌');

    const dashboard = await get('/console/dashboard?from=2026-12-07&to=2026-12-11');
    // the four walked reports heard within a day (consulted 30 minutes after filing); the later ones too
    expect(dashboard).to.match(/<strong>(\d+)<\/strong>1일 안에 신고자가 소식 받음/);
    const within = (label: string) => Number(new RegExp(`<strong>(\\d+)</strong>${label}`).exec(dashboard)![1]);
    expect(within('1일 안에 신고자가 소식 받음')).to.be.at.least(4);
    expect(within('7일 안에 신고자가 소식 받음')).to.be.at.least(within('1일 안에 신고자가 소식 받음'));

    const alerts = await get('/console/alerts?hours=720');
    expect(alerts)
      .to.contain('신고자 소식')
      .and.contain('카카오톡 (Event API)')
      .and.contain('user_not_found')
      .and.contain('403');
    expect(alerts).to.not.contain(SLACK_USER);

    // the partner admin's switch on the partners page
    const partners = await get('/console/admin/partners');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(partners)![1]!;
    const res = await fetch(`${app.baseUrl}/console/admin/partners/${partner.id}/news`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, on: '0' }),
    });
    expect(res.status).to.equal(200);
    expect(await res.text()).to.contain('신고자 소식 알림을 껐습니다');
    expect((await repos.partners.byId(partner.id))!.newsPushes).to.equal(false);
    await repos.partners.setNewsPushes(partner.id, true);
  });
});
