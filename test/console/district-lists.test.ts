import { expect } from 'chai';
import { buildApp } from '../../src/app';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { districtWithLists } from '../../src/district-with-lists';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { signsOffered } from '../support/kakao-client';

/**
 * The district lists editor (/console/admin/lists): what an admin saves is what the chat offers,
 * retired items keep naming old reports, bad input gets a Korean reason, two admins saving at once
 * both keep their edit, and another instance over the same database picks the lists up.
 */
describe('district lists editor', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let admin: string;
  let admin2: string;
  let staff: string;
  let invite: string;
  let partnerId: string;
  const config = testConfig();

  before(async () => {
    db = await testDatabase('district_lists');
    app = await startTestApp(db.connection, { config });
    await addUser({ config, repos: app.repos }, 'lists-admin', 'admin');
    await addUser({ config, repos: app.repos }, 'lists-admin2', 'admin');
    await addUser({ config, repos: app.repos }, 'lists-staff', 'staff');
    [admin, admin2, staff] = await Promise.all(
      ['lists-admin', 'lists-admin2', 'lists-staff'].map((u) => tokenOf(app.baseUrl, u)),
    );
    const partner = await app.repos.partners.create({ name: '한국전력 서대문지사', kind: 'utility', now: new Date() });
    partnerId = partner.id;
    invite = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const post = (token: string, path: string, body: Record<string, string>) =>
    fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
  const page = async (token = admin) =>
    (await fetch(`${app.baseUrl}/console/admin/lists`, { headers: { authorization: `Bearer ${token}` } })).text();

  const chatSigns = (userId: string) => signsOffered(app.baseUrl, invite, userId);

  it("shows the district's file lists until an admin edits them, and refuses everyone else", async () => {
    const html = await page();
    expect(html)
      .to.contain('공과금 체납·단전·단수')
      .and.to.contain('긴급복지 지원')
      .and.to.contain('아직 고친 적이 없어');
    expect(
      (await fetch(`${app.baseUrl}/console/admin/lists`, { headers: { authorization: `Bearer ${staff}` } })).status,
    ).to.equal(403);
    expect((await post(staff, '/console/admin/lists/signs', { label: '몰래 추가' })).status).to.equal(403);
    expect(await page()).not.to.contain('몰래 추가');
  });

  it("adds a sign and retires one: the chat offers the new list, an old report keeps its sign's name", async () => {
    const old = await file(app.repos, partnerId, new Date(), { signs: ['mail_piled'] });
    const added = await post(admin, '/console/admin/lists/signs', {
      label: '  고독사 우려  ',
      labelEn: 'Risk of lonely death',
    });
    expect(added.status).to.equal(303);
    expect(added.headers.get('location')).to.equal('/console/admin/lists?done=signs');
    const retired = await post(admin, '/console/admin/lists/signs/mail_piled', {
      label: '우편물·전단지 적체',
      labelEn: 'Mail or flyers piled up',
    });
    expect(retired.status).to.equal(303);

    const labels = await chatSigns('lists-chat-1');
    expect(labels).to.include('고독사 우려').and.to.include('공과금 체납·단전·단수');
    expect(labels).not.to.include('우편물·전단지 적체');

    const report = await (
      await fetch(`${app.baseUrl}/console/reports/${old.receiptNo}`, { headers: { authorization: `Bearer ${admin}` } })
    ).text();
    expect(report).to.contain('우편물·전단지 적체');
    const html = await page();
    expect(html).to.contain('사용 중지 1개').and.to.contain('lists-admin, 2번째 판');
  });

  it('refuses bad edits with a Korean reason and keeps the lists as they were', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['/console/admin/lists/signs', { label: '' }, 400, '이름을 입력해 주세요'],
      ['/console/admin/lists/signs', { label: '열네 글자를 훌쩍 넘는 아주 긴 징후 이름' }, 400, '이름을 입력해 주세요'],
      ['/console/admin/lists/signs', { label: '공과금 체납·단전·단수' }, 400, '같은 이름의 항목이 이미 있습니다.'],
      ['/console/admin/lists/services/no_such', { label: '없는 것', active: '1' }, 404, '목록에 없는 항목입니다.'],
      [
        '/console/admin/lists/cadence',
        { high: '0', medium: '14', low: '30', none: '30' },
        400,
        '안부확인 주기는 1–365일',
      ],
      [
        '/console/admin/lists/cadence',
        { high: '일주일', medium: '14', low: '30', none: '30' },
        400,
        '안부확인 주기는 1–365일',
      ],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await post(admin, path, body);
      expect(res.status, path).to.equal(status);
      expect(await res.text(), path).to.contain(message);
    }
    // retiring every service would leave the consultation form with nothing to tick
    const services = app.district.services.map((s) => s.code);
    for (const code of services.slice(0, -1))
      expect(
        (
          await post(admin, `/console/admin/lists/services/${code}`, {
            label: app.district.services.find((s) => s.code === code)!.label,
          })
        ).status,
      ).to.equal(303);
    const last = await post(admin, `/console/admin/lists/services/${services.at(-1)}`, { label: '기타' });
    expect(last.status).to.equal(400);
    expect(await last.text()).to.contain('사용 중인 항목이 하나는 있어야 합니다.');
    expect(app.district.services.map((s) => s.code)).to.deep.equal([services.at(-1)]);
    // ten signs in use would not fit KakaoTalk's buttons
    for (const label of ['징후 하나', '징후 둘', '징후 셋']) await post(admin, '/console/admin/lists/signs', { label });
    const tenth = await post(admin, '/console/admin/lists/signs', { label: '징후 넷' });
    expect(tenth.status).to.equal(400);
    expect(await tenth.text()).to.contain('사용 중인 징후는 9개');
    expect(app.district.signs).to.have.length(9);
  });

  it('a retired service stays on a case that had it, and cannot be linked anew', async () => {
    const staffActor = { id: 'user:lists-staff', role: 'staff' as const };
    const deps = { reports: app.repos.reports, district: app.district };
    const had = await file(app.repos, partnerId, new Date());
    const fresh = await file(app.repos, partnerId, new Date());
    expect(
      (await post(admin, '/console/admin/lists/services/housing', { label: '주거 지원', active: '1' })).status,
    ).to.equal(303); // in use again
    expect(
      (
        await applyReportAction(
          deps,
          staffActor,
          had.receiptNo,
          { type: 'consult', result: '주거 지원 연계', services: ['housing'] },
          new Date(),
        )
      ).ok,
    ).to.equal(true);
    expect((await post(admin, '/console/admin/lists/services/housing', { label: '주거 지원' })).status).to.equal(303);
    const page = await (
      await fetch(`${app.baseUrl}/console/reports/${had.receiptNo}`, { headers: { authorization: `Bearer ${admin}` } })
    ).text();
    expect(page).to.match(/value="housing" checked> 주거 지원/);
    expect(
      (
        await applyReportAction(
          deps,
          staffActor,
          had.receiptNo,
          { type: 'consult', result: '다시 상담', services: ['housing'] },
          new Date(),
        )
      ).ok,
    ).to.equal(true);
    const refused = await applyReportAction(
      deps,
      staffActor,
      fresh.receiptNo,
      { type: 'consult', result: '상담', services: ['housing'] },
      new Date(),
    );
    expect(refused).to.include({ ok: false, code: 'unknown_service' });
  });

  it('two admins saving at once both keep their edit (the version is taken by a unique insert)', async () => {
    const before = (await app.repos.districtLists.latest('seodaemun'))!.version;
    const [a, b, c] = await Promise.all([
      post(admin, '/console/admin/lists/signs/garbage_smell', {
        label: '쓰레기·악취',
        labelEn: 'Garbage or smell',
        active: '1',
      }),
      post(admin2, '/console/admin/lists/cadence', { high: '5', medium: '10', low: '20', none: '40' }),
      post(admin2, '/console/admin/lists/services/food', { label: '푸드뱅크·식품', active: '1' }),
    ]);
    expect([a.status, b.status, c.status]).to.deep.equal([303, 303, 303]);
    const latest = (await app.repos.districtLists.latest('seodaemun'))!;
    expect(latest.version).to.equal(before + 3);
    expect(latest.lists.signs.find((s) => s.code === 'garbage_smell')!.label).to.equal('쓰레기·악취');
    expect(latest.lists.followUpCadenceDays).to.deep.equal({ high: 5, medium: 10, low: 20, none: 40 });
    expect(latest.lists.services.find((s) => s.code === 'food')).to.include({ label: '푸드뱅크·식품', active: true });
    const html = await page();
    expect(html)
      .to.contain('value="쓰레기·악취"')
      .and.to.contain('value="푸드뱅크·식품"')
      .and.to.match(/id="cad-high"[^>]*value="5"/);
  });

  it('another instance over the same database serves the saved lists once it refreshes', async () => {
    const other = buildApp({ config, connection: db.connection });
    expect(other.district.signs.map((s) => s.label)).to.include('우편물·전단지 적체'); // the file's lists at build
    await districtWithLists(config, other.repos, other.district);
    expect(other.district.signs.map((s) => s.label))
      .to.include('고독사 우려')
      .and.not.to.include('우편물·전단지 적체');
    expect(other.district.followUpCadenceDays.high).to.equal(5);
    // the file data other apps in the process load is untouched
    const fresh = buildApp({ config, connection: db.connection });
    expect(fresh.district.signs.map((s) => s.label)).not.to.include('고독사 우려');
  });
});
