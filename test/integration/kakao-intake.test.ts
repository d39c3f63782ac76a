import { expect } from 'chai';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { msg } from '../../flows/report/messages';
import { fillReport, KakaoUser, giveContact } from '../support/kakao-client';
import { storedCount } from '../../src/store/report/inspect';

describe('KakaoTalk intake, end to end over HTTP and FerretDB', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let inviteCode: string;
  let userSeq = 0;

  before(async () => {
    db = await testDatabase('kakao_intake');
    app = await startTestApp(db.connection);
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  async function linkedUser(): Promise<KakaoUser> {
    const user = new KakaoUser(app.baseUrl, `kakao-user-${++userSeq}`);
    await user.say('신고');
    await user.say(inviteCode);
    // on a busy machine the first try may miss Kakao's budget and be resent: the resend then
    // learns the code was taken meanwhile; either way the account is linked
    if (!user.text().startsWith(msg.movedOnUnseen))
      expect(user.text()).to.contain('서대문우체국 소속으로 등록되었습니다');
    expect(await app.repos.identities.find('kakao', user.id)).to.not.equal(undefined);
    await giveContact(user);
    await user.say('취소');
    return user;
  }

  it('files a complete report and answers with a receipt number stored with the resolved dong', async () => {
    const user = await linkedUser();
    await fillReport(user);
    expect(user.text()).to.contain('신고 내용을 확인해 주세요');
    expect(user.text()).to.contain('홍제3동');
    expect(user.text()).to.contain('010-1234-5678');
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    expect(receipt, user.text()).to.match(/^\d{4}-\d{6}$/);

    const stored = await app.repos.reports.byReceiptNo('seodaemun', receipt!);
    expect(stored).to.include({
      situation: '두 달째 전기요금이 밀렸고 우편물이 문 앞에 쌓여 있습니다.',
      urgency: 'prompt',
      status: 'received',
    });
    expect(stored!.address).to.deep.include({ dongCode: '1141064000', dongName: '홍제3동', resolvedBy: 'dong-name' });
    expect(stored!.signs).to.deep.equal(['utility_arrears', 'mail_piled']);
    expect(stored!.person).to.deep.equal({
      name: '홍길동',
      age: { kind: 'decade', value: 70 },
      phone: '010-1234-5678',
      sex: null,
    });
    expect(stored!.partner.name).to.equal('서대문우체국');
    expect(stored!.history).to.have.length(1);
    expect(await app.repos.conversations.current({ channel: 'kakao', userId: user.id })).to.equal(undefined);

    await user.say('조회');
    expect(user.text()).to.contain(receipt!);
    expect(user.text()).to.contain('홍제3동');
    expect(user.text()).to.contain('접수 (1차 상담 대기)');
  });

  it('cancels at any step and stores nothing', async () => {
    const user = await linkedUser();
    const before = await storedCount(app.connection, 'working');
    await fillReport(user);
    await user.say('취소');
    expect(user.text()).to.contain('신고를 취소했습니다');
    expect(await storedCount(app.connection, 'working')).to.equal(before);
    await user.say('접수');
    expect(user.text()).to.contain('"신고"를');
    expect(await storedCount(app.connection, 'working')).to.equal(before);
  });

  it('restarts from the address question on 처음으로 and forgets earlier answers', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('연희동 123-4');
    await user.press('맞음');
    await user.press('기타');
    await user.say('처음으로');
    expect(user.text()).to.contain('1/8 얼마나 급한가요');
    await user.press('일반');
    await user.say('남가좌2동 주민센터 앞');
    await user.press('맞음');
    expect(user.text()).to.contain('현재 선택: 없음');
  });

  it('answers 도움말 with the commands and the current question', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('도움말');
    expect(user.text()).to.contain('처음으로');
    expect(user.text()).to.contain('2/8 위기 의심 가구의 주소');
  });

  it('tells an unregistered user how to register and where to call, and lets nothing be filed', async () => {
    const user = new KakaoUser(app.baseUrl, 'stranger-1');
    await user.say('안녕하세요');
    expect(user.text()).to.contain('"신고"를');
    await user.say('신고');
    expect(user.text()).to.contain('초대 코드를 입력해 주세요');
    expect(user.text()).to.contain('129');
    expect(user.text()).to.contain('112·119');
    await user.say('조회');
    expect(user.text()).to.contain('등록된 기관 사용자만');
  });

  it('refuses a wrong invite code and a revoked partner code, linking nobody', async () => {
    const user = new KakaoUser(app.baseUrl, 'stranger-2');
    await user.say('신고');
    await user.say('ZZZZ-9999');
    expect(user.text()).to.contain('초대 코드를 확인할 수 없습니다');
    await user.say("'; db.dropDatabase(); //");
    expect(user.text()).to.contain('초대 코드를 확인할 수 없습니다');

    const revoked = await app.repos.partners.create({ name: '폐지된 기관', kind: 'other', now: new Date() });
    await app.repos.partners.revoke(revoked.id, new Date());
    await user.say(revoked.inviteCode);
    // the code is real, so the person is told why it does not work rather than to retype it
    expect(user.text()).to.contain('폐지된 기관의 신고 권한이 해제되어 신고할 수 없습니다');
    expect(await app.repos.identities.find('kakao', 'stranger-2')).to.equal(undefined);
  });

  it('stops a linked user from filing once their partner is revoked', async () => {
    const partner = await app.repos.partners.create({ name: '임시 자원봉사단', kind: 'volunteer', now: new Date() });
    const user = new KakaoUser(app.baseUrl, 'soon-revoked');
    await user.say('신고');
    await user.say(partner.inviteCode);
    await giveContact(user);
    await user.say('취소');
    await fillReport(user);
    await app.repos.partners.revoke(partner.id, new Date());
    const count = await storedCount(app.connection, 'working');
    await user.press('접수');
    expect(user.text()).to.contain('신고 권한이 해제되어');
    expect(await storedCount(app.connection, 'working')).to.equal(count);
    await user.say('신고');
    expect(user.text()).to.contain('신고 권한이 해제되어');
  });

  it('asks which dong when the legal dong is split, and offers only its dongs', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('북가좌동 123-4');
    expect(user.text()).to.contain('담당 주민센터가 여러 곳');
    expect(user.labels()).to.deep.equal(['북가좌1동', '북가좌2동', '모름', '주소 다시 입력']);
    await user.say('홍제1동');
    expect(user.text()).to.contain('아래 주민센터 중에서 골라');
    await user.press('북가좌2동');
    expect(user.text()).to.contain('북가좌2동 주민센터로 연결합니다');
    expect(user.text()).to.contain('3/8');
  });

  it('lets the reporter leave the dong to the call center with 모름', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('연희로 32길 골목 끝집');
    expect(user.text()).to.contain('담당 주민센터를 찾지 못했습니다');
    await user.say('모름');
    expect(user.text()).to.contain('콜센터에서 확인해 배정합니다');
  });

  it('refuses an address outside the district politely and accepts a corrected one', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('서울 마포구 합정동 123');
    expect(user.text()).to.contain('서대문구 밖입니다');
    expect(user.text()).to.contain('2/8 위기 의심 가구의 주소');
    await user.say('충정로2가 185');
    expect(user.text()).to.contain('충현동 주민센터 관할');
  });

  it('re-prompts on bad answers without losing earlier ones', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('홍은2동 산 1');
    await user.press('맞음');
    await user.press('선택 완료');
    expect(user.text()).to.contain('하나 이상');
    await user.say('1, 3');
    expect(user.text()).to.contain('아래 버튼에서 위기 징후를 눌러'); // numbers pick nothing where none were shown
    await user.press('공과금 체납·단전·단수');
    await user.say('쓰레기 적치·악취'); // a typed label counts like a press
    expect(user.text()).to.contain('현재 선택: 공과금 체납·단전·단수, 쓰레기 적치·악취');
    await user.press('선택 완료');
    await user.say('<script>alert(1)</script>');
    expect(user.text()).to.contain('이름으로 읽을 수 없습니다');
    await user.say('모름');
    await user.say('이백살');
    expect(user.text()).to.contain('출생연도');
    await user.say('1948년생');
    await user.say('12345');
    expect(user.text()).to.contain('전화번호로 읽을 수 없습니다');
    await user.say('건너뛰기');
    await user.say('짧음');
    expect(user.text()).to.contain('5자 이상');
    await user.say('가'.repeat(1001));
    expect(user.text()).to.contain('1,000자까지');
    await user.say('현관 앞에 쓰레기가 쌓여 있고 악취가 납니다.');
    expect(user.text()).to.contain('· 이름: 모름');
    expect(user.text()).to.contain('· 나이: 1948년생');
    expect(user.text()).to.contain('· 위기 징후: 공과금 체납·단전·단수, 쓰레기 적치·악취');
  });

  it('edits one field from the summary and returns to the summary', async () => {
    const user = await linkedUser();
    await fillReport(user);
    await user.press('수정');
    await user.press('연락처');
    expect(user.text()).to.contain('연락처를 알려 주세요');
    await user.say('02-330-1234');
    expect(user.text()).to.contain('신고 내용을 확인해 주세요');
    expect(user.text()).to.contain('· 연락처: 02-330-1234');
    expect(user.text()).to.contain('· 이름: 홍길동');
    await user.press('수정');
    await user.press('주소');
    await user.say('북아현동 1-2');
    await user.press('충현동');
    expect(user.text(), user.text()).to.contain('· 관할 동: 충현동');
    await user.press('접수');
    expect(user.text()).to.contain('접수번호');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())![1]!;
    const stored = await app.repos.reports.byReceiptNo('seodaemun', receipt);
    expect(stored!.person.phone).to.equal('02-330-1234');
    expect(stored!.address).to.deep.include({ text: '북아현동 1-2', dongName: '충현동', resolvedBy: 'reporter' });
  });

  it('tells the reporter to call 112/119 for 즉시 위험, and still files', async () => {
    const user = await linkedUser();
    await fillReport(user, { urgency: '즉시 위험' });
    expect(user.calls()).to.deep.equal(['112 경찰 전화:112', '119 소방 전화:119']);
    await user.press('접수'); // filed right after the address; 접수 adds the details to it
    expect(user.text()).to.match(/접수번호: \d{4}-\d{6}/);
    expect(user.text()).to.contain('긴급 신고에 추가 내용을 더했습니다');
    expect(user.calls()).to.deep.equal(['112 경찰 전화:112', '119 소방 전화:119']);
  });

  it('keeps 20 simultaneous reporters apart and gives each a unique receipt number', async function () {
    this.timeout(240_000); // 20 people × 17 turns on a shared two-core machine
    const users = await Promise.all(Array.from({ length: 20 }, () => linkedUser()));
    await Promise.all(
      users.map(async (u, i) => {
        u.patient = true; // on a busy machine a turn may miss Kakao's budget; a person sends again
        await fillReport(u, { name: `대상자${String.fromCharCode(0xac00 + i)}` });
        await u.press('접수');
      }),
    );
    const receipts = users.map((u) => /접수번호: (\d{4}-\d{6})/.exec(u.text())?.[1]);
    expect(receipts).to.not.include(undefined);
    expect(new Set(receipts).size).to.equal(20);
    for (const [i, u] of users.entries()) {
      const stored = await app.repos.reports.byReceiptNo('seodaemun', receipts[i]!);
      expect(stored!.person.name).to.equal(`대상자${String.fromCharCode(0xac00 + i)}`);
      expect(stored!.reporter.userId).to.equal(u.id);
    }
  });
});
