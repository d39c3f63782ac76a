import { expect } from 'chai';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { loadDistrict } from '../../src/domain/district';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { fillReport, giveContact, KakaoUser, postSkill, skillBody } from '../support/kakao-client';
import { kst } from '../support/report-fixtures';
import { storedCount } from '../../src/store/report/inspect';

/**
 * The field worker's chat, through the real Kakao skill endpoint on a real FerretDB: urgency
 * first with call buttons, answers as people give them, the reporter's call-back contact,
 * honest receipt promises, what comes after the receipt, and messages that are too long or odd.
 */
describe("The field worker's chat (KakaoTalk, end to end)", () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let inviteCode: string;
  let clock = kst('2026-11-23 10:00'); // a Monday, within working hours
  let seq = 0;

  before(async () => {
    db = await testDatabase('chat_ux');
    app = await startTestApp(db.connection, { now: () => clock });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
    await addUser({ config: testConfig(), repos: app.repos }, 'ux-staff', 'staff');
    await addUser({ config: testConfig(), repos: app.repos }, 'ux-hongje3', 'dong', '홍제3동');
  });
  after(async () => {
    await app.close();
    await db.drop();
  });
  beforeEach(() => {
    clock = kst('2026-11-23 10:00');
  });

  async function linkedUser(): Promise<KakaoUser> {
    const user = new KakaoUser(app.baseUrl, `ux-user-${++seq}`);
    await user.say('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.say('취소');
    return user;
  }
  const receiptOf = (user: KakaoUser) => /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];

  it('asks urgency first; 즉시 위험 answers at once with tap-to-call 112 and 119', async () => {
    const user = await linkedUser();
    await user.say('신고');
    expect(user.text()).to.contain('1/8 얼마나 급한가요');
    expect(user.labels()).to.deep.equal(['즉시 위험', '빠른 확인 필요', '일반']);
    await user.press('즉시 위험');
    expect(user.calls()).to.deep.equal(['112 경찰 전화:112', '119 소방 전화:119']);
    const outputs = user.last!.template.outputs;
    expect(outputs[0]).to.have.nested.property('simpleText.text').that.contains('112(경찰) 또는 119(소방)');
    expect(outputs[1]).to.have.nested.property('textCard.buttons[0].action', 'phone');
    expect(user.text()).to.contain('2/8 주소를 알려 주시면 바로 콜센터에 긴급 신고로');
  });

  it('reads ages, names and phones as people give them, and refuses with an example', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('홍은2동 산 1');
    await user.press('맞음');
    await user.say('1');
    expect(user.text(), 'a typed 1 is not a sign: the buttons were not numbered').to.contain(
      '아래 버튼에서 위기 징후를 눌러',
    );
    expect(user.text()).to.contain('현재 선택: 없음');
    await user.say('쓰레기 적치·악취');
    expect(user.text()).to.contain('현재 선택: 쓰레기 적치·악취');
    await user.press('선택 완료');
    await user.say('<script>');
    expect(user.text()).to.contain('(예: 홍길동, 김씨, 김○○)');
    await user.say('김○○ (성은 김씨, 이름 모름)');
    expect(user.text()).to.contain('5/8 대상자의 나이');
    await user.say('이백살');
    expect(user.text()).to.contain('(예: 70대 할머니, 칠십대)');
    await user.say('칠십대 할머니');
    expect(user.text()).to.contain('6/8 대상자 연락처');
    await user.say('12345');
    expect(user.text()).to.contain('일반전화(예: 02-330-1234)');
    await user.say('02 330 1234');
    await user.say('문 앞에 쓰레기가 쌓여 있고 악취가 납니다.');
    expect(user.text()).to.contain('· 이름: 김○○ (성은 김씨, 이름 모름)');
    expect(user.text(), '"칠십대 할머니": the age and the sex').to.contain('· 나이: 70대 여성');
    expect(user.text()).to.contain('· 연락처: 02-330-1234');

    // the same person again: "75" at the age question is 75, never "the first choice"
    await user.press('수정');
    await user.press('나이');
    await user.say('75');
    expect(user.text(), 'a new age alone keeps the sex said before').to.contain('· 나이: 75세 여성');
    await user.press('수정');
    await user.press('나이');
    await user.say('1950년생');
    expect(user.text()).to.contain('· 나이: 1950년생 여성');
    await user.press('수정');
    await user.press('이름');
    await user.say('이름 모름');
    expect(user.text()).to.contain('· 이름: 모름');
    await user.press('수정');
    await user.press('연락처');
    await user.say('모름');
    expect(user.text()).to.contain('· 연락처: 모름');
    await user.press('접수');
    const stored = await app.repos.reports.byReceiptNo('seodaemun', receiptOf(user)!);
    expect(stored!.person).to.deep.equal({
      name: null,
      age: { kind: 'birthYear', value: 1950 },
      phone: null,
      sex: 'female',
    });
  });

  it("asks the reporter's own contact once, confirms it per report, stores it for staff only, and lets it change", async () => {
    const user = new KakaoUser(app.baseUrl, `ux-contact-${++seq}`);
    await user.say('신고');
    await user.say(inviteCode);
    expect(user.text()).to.contain('신고하시는 분(본인)의 연락처를 한 번만');
    await user.say('김집배');
    await user.say('010 9876 5432');
    expect(user.text()).to.contain('연락처를 저장했습니다');
    expect(user.text()).to.contain('1/8 얼마나 급한가요'); // straight on to the report
    await user.say('취소');
    await fillReport(user);
    expect(user.text()).to.contain('· 내 연락처(콜센터만 봄): 김집배 010-9876-5432');
    await user.press('접수');
    const first = receiptOf(user)!;
    expect((await app.repos.reports.byReceiptNo('seodaemun', first))!.reporterContact).to.deep.equal({
      name: '김집배',
      phone: '010-9876-5432',
    });

    // changed from the summary: this report and the next carry the new number
    await fillReport(user);
    await user.press('수정');
    await user.press('내 연락처');
    await user.say('김집배');
    await user.say('02-330-7777');
    expect(user.text()).to.contain('· 내 연락처(콜센터만 봄): 김집배 02-330-7777');
    await user.press('접수');
    const second = receiptOf(user)!;
    expect((await app.repos.reports.byReceiptNo('seodaemun', second))!.reporterContact).to.deep.equal({
      name: '김집배',
      phone: '02-330-7777',
    });
    await fillReport(user);
    expect(user.text()).to.contain('· 내 연락처(콜센터만 봄): 김집배 02-330-7777');
    await user.say('취소');

    // staff see it; the dong center the report is assigned to does not
    const staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'ux-staff'));
    const dong = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'ux-hongje3'));
    const asStaff = await staff.get(`/api/reports/${first}`);
    expect(asStaff.json.reporterContact).to.deep.equal({ name: '김집배', phone: '010-9876-5432' });
    const asDong = await dong.get(`/api/reports/${first}`);
    expect(asDong.status).to.equal(200);
    expect(asDong.text).to.not.contain('010-9876-5432').and.not.contain('김집배');
  });

  it('promises the first call honestly: today in working hours, else the next business day', async () => {
    const user = await linkedUser();
    await fillReport(user);
    await user.press('접수');
    expect(user.text()).to.contain('오늘 근무시간 안에 콜센터가 1차 상담을 시작');

    clock = kst('2026-11-28 11:00'); // a Saturday
    await fillReport(user);
    await user.press('접수');
    expect(user.text()).to.contain('11월 30일(월) 근무시간에 1차 상담을 시작');
    expect(user.text()).to.not.contain('오늘');

    clock = kst('2026-12-24 19:30'); // Thursday evening before Christmas (a public holiday)
    await user.say('신고');
    await user.press('즉시 위험');
    await user.say('연희로 11');
    expect(user.text()).to.contain('긴급 신고로 바로 접수했습니다');
    expect(user.text()).to.contain('확인은 12월 28일(월) 아침'); // 25th Christmas, then the weekend
    expect(user.text()).to.contain('112·119에 전화해 주세요');
    expect(user.calls()).to.deep.equal(['112 경찰 전화:112', '119 소방 전화:119']);
    await user.say('취소');
  });

  it('files 즉시 위험 at once with what is known, then adds the later answers to the same report', async () => {
    const user = await linkedUser();
    const before = await storedCount(app.connection, 'working');
    await user.say('신고');
    await user.press('즉시 위험');
    await user.say('홍제3동 문화촌아파트 105동');
    // filed now: the call center sees it before any other question is answered
    const receipt = receiptOf(user)!;
    expect(user.text()).to.contain('즉시 위험 신고로 콜센터 목록 맨 위에 바로 표시됩니다');
    expect(user.text()).to.contain('3/8 발견하신 위기 징후');
    let stored = await app.repos.reports.byReceiptNo('seodaemun', receipt);
    expect(stored).to.deep.include({ urgency: 'immediate', status: 'received', assignedDongCode: '1141064000' });
    expect(stored!.address.text).to.equal('홍제3동 문화촌아파트 105동');
    expect(stored!.reporterContact).to.deep.equal({ name: '김집배', phone: '010-9876-5432' });
    expect(stored!.situation).to.contain('세부 내용을 이어서 입력');
    const queue = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'ux-staff'));
    const top = (await queue.get('/api/reports')).json.items as { receiptNo: string; urgency: string }[];
    expect(top[0]!.urgency, 'urgent first in the queue').to.equal('immediate');
    expect(top.filter((i) => i.urgency === 'immediate').map((i) => i.receiptNo)).to.include(receipt);

    await user.press('질병·거동 불편');
    await user.press('선택 완료');
    await user.say('이름 모름');
    await user.say('80세쯤');
    await user.say('모름');
    await user.say('문을 두드려도 대답이 없고 안에서 신음 소리가 들립니다.');
    expect(user.text()).to.contain(`접수번호 ${receipt} 신고에 더할 내용`);
    expect(user.labels()).to.deep.equal(['접수', '수정']);
    await user.press('수정');
    expect(user.labels()).to.not.include('주소').and.not.include('긴급도');
    await user.press('나이');
    await user.say('칠십대');
    await user.press('접수');
    expect(user.text()).to.contain('긴급 신고에 추가 내용을 더했습니다');
    expect(receiptOf(user)).to.equal(receipt);
    expect(user.labels()).to.deep.equal(['새 신고', '조회']);

    expect(await storedCount(app.connection, 'working')).to.equal(before + 1);
    stored = await app.repos.reports.byReceiptNo('seodaemun', receipt);
    expect(stored!.signs).to.deep.equal(['ill_immobile']);
    expect(stored!.person).to.deep.equal({ name: null, age: { kind: 'decade', value: 70 }, phone: null, sex: null });
    expect(stored!.situation).to.equal('문을 두드려도 대답이 없고 안에서 신음 소리가 들립니다.');
    expect(stored!.history.map((h) => h.action)).to.deep.equal(['received', 'add_details']);
  });

  it('keeps an urgent report filed when the reporter stops before the details', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('즉시 위험');
    await user.say('어딘가 골목 끝집');
    const receipt = receiptOf(user)!;
    await user.say('취소');
    expect(user.text()).to.contain('접수하지 않은 내용은 저장되지 않았습니다');
    const stored = await app.repos.reports.byReceiptNo('seodaemun', receipt);
    expect(stored).to.deep.include({ urgency: 'immediate', assignedDongCode: null });
    await user.press('조회');
    expect(user.text()).to.contain(receipt);
  });

  it('offers 새 신고 and 조회 after the receipt, keeps the receipt number on its own line, and 조회 shows the latest change', async () => {
    const user = await linkedUser();
    await fillReport(user);
    await user.press('접수');
    const receipt = receiptOf(user)!;
    expect(user.labels()).to.deep.equal(['새 신고', '조회']);
    expect(user.text().split('\n')).to.include(`접수번호: ${receipt}`);

    const district = loadDistrict('seodaemun');
    const stored = await app.repos.reports.byReceiptNo('seodaemun', receipt);
    // a visit that met nobody is not "방문 완료": the worker reads that someone went and will go again
    const missed = await applyReportAction(
      { reports: app.repos.reports, district },
      { id: 'dong:hongje3', role: 'dong', dongCode: stored!.assignedDongCode! },
      receipt,
      {
        type: 'visit_result',
        reached: false,
        investigationResult: '부재, 문 앞 메모',
        enteredInSystem: false,
        crisisLevel: 'medium',
        followUpNeeded: false,
      },
      kst('2026-11-24 10:00'),
    );
    expect(missed.ok).to.equal(true);
    await user.press('조회');
    expect(user.text()).to.contain('최근 처리: 11월 24일 동 주민센터 방문(만나지 못해 다시 방문 예정)');

    const visited = await applyReportAction(
      { reports: app.repos.reports, district },
      { id: 'dong:hongje3', role: 'dong', dongCode: stored!.assignedDongCode! },
      receipt,
      {
        type: 'visit_result',
        reached: true,
        investigationResult: '기초수급 대상 확인',
        enteredInSystem: true,
        crisisLevel: 'low',
        followUpNeeded: false,
      },
      kst('2026-11-25 15:00'),
    );
    expect(visited.ok).to.equal(true);

    await user.press('조회');
    const text = user.text();
    expect(text).to.contain(`· ${receipt}\n`);
    expect(text).to.contain('11월 23일 · 홍제3동 · 서울 서대문구 홍제3동 문화촌아…');
    expect(text).to.contain('상태: 방문 완료');
    expect(text).to.contain('최근 처리: 11월 25일 동 주민센터 방문 완료');

    await user.say('새 신고'); // what the button after the receipt sends
    expect(user.text()).to.contain('1/8 얼마나 급한가요');
  });

  it('answers a 5,000-character, an empty or a symbols-only message with a polite re-prompt in a 200 reply', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    const before = await app.repos.conversations.current({ channel: 'kakao', userId: user.id });

    const long = await postSkill(app.baseUrl, skillBody(user.id, '가'.repeat(5000)));
    expect(long.status).to.equal(200);
    user.last = await long.json();
    expect(user.text()).to.contain('메시지가 너무 깁니다. (5,000자)');
    expect(user.text()).to.contain('2/8 위기 의심 가구의 주소');

    await user.say('   ');
    expect(user.text()).to.contain('내용이 비어 있습니다');
    expect(user.text()).to.contain('2/8 위기 의심 가구의 주소');
    await user.say('?!…');
    expect(user.text()).to.contain('기호나 이모티콘만으로는');
    await user.say('👍👍');
    expect(user.text()).to.contain('기호나 이모티콘만으로는');
    const after = await app.repos.conversations.current({ channel: 'kakao', userId: user.id });
    expect(after).to.deep.equal(before);

    // the body limit still refuses real abuse
    const huge = await postSkill(app.baseUrl, skillBody(user.id, '가'.repeat(40_000)));
    expect(huge.status).to.equal(413);
  });

  it('never takes a button of an earlier question as the answer to this one (an old message, or a press sent twice)', async () => {
    const user = await linkedUser();
    await user.say('신고');
    const urgencyButtons = user.last!.template.quickReplies!;
    await user.press('빠른 확인 필요');
    expect(user.text()).to.contain('2/8 위기 의심 가구의 주소');
    // the same press again (its first try seemed lost): not an address
    const again = urgencyButtons.find((q) => q.label === '빠른 확인 필요')!;
    await user.say(again.messageText, again.extra);
    expect(user.text()).to.contain('앞선 질문의 버튼이라');
    expect(user.text()).to.contain('2/8 위기 의심 가구의 주소');
    const draft = (await app.repos.conversations.current({ channel: 'kakao', userId: user.id }))!.data as {
      address?: string;
    };
    expect(draft.address).to.equal(undefined);
    await user.say('서울 서대문구 홍제3동 문화촌아파트 101동');
    expect(user.labels()).to.include('맞음');
  });

  it('offers first the dongs whose names appear in an address it cannot place', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('연희로 32길 골목 끝집');
    expect(user.text()).to.contain('담당 주민센터를 찾지 못했습니다');
    expect(user.labels()[0]).to.equal('연희동');
    expect(user.text()).to.contain('1. 연희동');
    await user.say('1');
    expect(user.text()).to.contain('연희동 주민센터로 연결합니다');
  });
});
