import { expect } from 'chai';
import { loadDistrict } from '../../src/domain/district';
import { DEFAULT_ON_CALL_HOURS } from '../../src/domain/urgent/on-call';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, consoleCookie, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { giveContact, KakaoUser } from '../support/kakao-client';
import { kst } from '../support/report-fixtures';

const ON_CALL_SAID = '당직 담당자에게 바로 알렸습니다';

/**
 * The reporter's reply says what really happened to an urgent report out of hours: the on-call
 * route only when an alert to a working on-call target was queued; otherwise the next business
 * day and 112·119, as before. Through the real Kakao skill endpoint on a real FerretDB.
 */
describe('the urgent reply out of hours names the on-call route only when it was taken (KakaoTalk)', () => {
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let inviteCode: string;
  let clock = kst('2026-12-05 02:00'); // Saturday, 02:00
  let seq = 0;

  before(async () => {
    db = await testDatabase('urgent_reply');
    app = await startTestApp(db.connection, {
      now: () => clock,
      config: testConfig({ ALERT_WEBHOOK_SECRET: 'webhook-secret-0123456789abcdefghijklmnop' }),
    });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
    await addUser({ config: testConfig(), repos: app.repos }, 'reply-staff', 'staff');
  });
  after(async () => {
    await app.close();
    await db.drop();
  });
  beforeEach(() => {
    clock = kst('2026-12-05 02:00');
  });

  async function urgentByChat(address: string): Promise<{ user: KakaoUser; receiptNo: string }> {
    const user = new KakaoUser(app.baseUrl, `urgent-user-${++seq}`);
    await user.say('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.say('취소');
    await user.say('신고');
    await user.press('즉시 위험');
    await user.say(address);
    expect(user.text()).to.contain('긴급 신고로 바로 접수했습니다');
    const receiptNo = /접수번호: (\d{4}-\d{6})/.exec(user.text())![1]!;
    return { user, receiptNo };
  }
  // on call, or the call center's alert waits for its 확인 (every urgent report has one wait)
  const waiting = async (receiptNo: string) =>
    (await app.repos.onCall.pendingOf(district.id, receiptNo))?.route === 'on_call';
  const callCenterWait = async (receiptNo: string) =>
    (await app.repos.onCall.pendingOf(district.id, receiptNo))?.route === 'call_center';

  it('without an on-call target: the next business day and 112·119, no word of an on-call person', async () => {
    const { user, receiptNo } = await urgentByChat('연희로 11');
    expect(user.text())
      .to.contain('확인은 12월 7일(월) 아침')
      .and.contain('112·119에 전화해 주세요')
      .and.not.contain('당직');
    expect(await waiting(receiptNo)).to.equal(false);
    expect(await callCenterWait(receiptNo), "the call center's alert waits for its 확인").to.equal(true);
  });

  it('with an on-call target whose channel is not configured on the server: the same honest promise', async () => {
    await app.repos.onCall.saveSetup(
      district.id,
      { hours: DEFAULT_ON_CALL_HOURS, chain: [{ kind: 'telegram', address: '-1001234567890' }] },
      clock,
    );
    const { user, receiptNo } = await urgentByChat('연희로 12');
    expect(user.text()).to.contain('확인은 12월 7일(월) 아침').and.not.contain(ON_CALL_SAID);
    expect(await waiting(receiptNo)).to.equal(false);
    expect(await callCenterWait(receiptNo), "the call center's alert waits for its 확인").to.equal(true);
    // and every staff page says so, with a link to fix it
    const page = await (
      await fetch(`${app.baseUrl}/console/today`, {
        headers: { cookie: await consoleCookie(app.baseUrl, 'reply-staff') },
      })
    ).text();
    expect(page).to.contain('당직 알림이 작동하지 않습니다').and.contain('/console/admin/alerts#on-call');
  });

  it('with a working on-call target at 02:00: "당직 담당자에게 바로 알렸습니다", still 112·119, and the alert waits for its 확인', async () => {
    await app.repos.onCall.saveSetup(
      district.id,
      { hours: DEFAULT_ON_CALL_HOURS, chain: [{ kind: 'webhook', address: 'http://127.0.0.1:9/duty' }] },
      clock,
    );
    const { user, receiptNo } = await urgentByChat('연희로 13');
    expect(user.text())
      .to.contain(ON_CALL_SAID)
      .and.contain('112·119에 전화해 주세요')
      .and.not.contain('12월 7일(월) 아침');
    expect(user.calls()).to.deep.equal(['112 경찰 전화:112', '119 소방 전화:119']);
    expect(await waiting(receiptNo)).to.equal(true);
    // the 확인 is only the 확인 (its claim stops the escalation): the generic action API refuses it
    const api = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'reply-staff'));
    const refused = await api.act(receiptNo, { type: 'acknowledge_urgent' });
    expect(refused.status).to.equal(400);
    expect(refused.json.messageKo).to.contain('확인 버튼');
    expect(await waiting(receiptNo)).to.equal(true);
  });

  it('in working hours the call center answers, not the on-call route', async () => {
    clock = kst('2026-12-07 10:00'); // Monday
    const { user, receiptNo } = await urgentByChat('연희로 14');
    expect(user.text()).to.contain('근무시간이라 지금 바로 확인해 연락드립니다').and.not.contain('당직');
    expect(await waiting(receiptNo)).to.equal(false);
    expect(await callCenterWait(receiptNo), "the call center's alert waits for its 확인").to.equal(true);
  });

  it('outside the hours an admin set (weekday nights only, 22:00–07:00), a Saturday afternoon report is not routed on call', async () => {
    await app.repos.onCall.saveSetup(district.id, { hours: { from: '22:00', to: '07:00', offDays: false } }, clock);
    clock = kst('2026-12-05 14:00');
    const { user, receiptNo } = await urgentByChat('연희로 15');
    expect(user.text()).to.contain('확인은 12월 7일(월) 아침').and.not.contain(ON_CALL_SAID);
    expect(await waiting(receiptNo)).to.equal(false);
    expect(await callCenterWait(receiptNo), "the call center's alert waits for its 확인").to.equal(true);
  });
});
