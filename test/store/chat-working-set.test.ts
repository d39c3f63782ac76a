import { expect } from 'chai';
import mongoose from 'mongoose';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { fillReport, giveContact, KakaoUser } from '../support/kakao-client';
import { insertReports, reportDoc } from '../support/report-fixtures';

/**
 * On FerretDB every query scans its collection, so a chat turn that read the reports would slow
 * down with every report the district ever received. The driver's command log shows what a whole
 * filing and a "조회" send to the database: the one insert, and `_id` reads of the reporter's own.
 */
describe('a chat turn reads only small working sets', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let monitored: mongoose.Connection;
  let app: RunningApp;
  const commands: { name: string; collection: string; filterKeys: string[] }[] = [];
  /** The filter of a find, count or delete, or of each statement of an update or a delete. */
  const filtersOf = (command: Record<string, unknown>): object[] => {
    if (command.filter || command.query) return [(command.filter ?? command.query) as object];
    const statements = (command.updates ?? command.deletes) as { q: object }[] | undefined;
    return statements ? statements.map((u) => u.q) : [{}];
  };

  before(async () => {
    db = await testDatabase('working_set');
    monitored = await mongoose
      .createConnection(db.uri, { monitorCommands: true, autoIndex: false, ignoreUndefined: true })
      .asPromise();
    monitored.getClient().on('commandStarted', (e) => {
      const collection = e.command[e.commandName];
      if (typeof collection !== 'string') return;
      for (const filter of filtersOf(e.command))
        commands.push({ name: e.commandName, collection, filterKeys: Object.keys(filter) });
    });
    app = await startTestApp(monitored);
    // a district with history: these must never be read by a turn
    await insertReports(
      app.repos.reports,
      Array.from({ length: 300 }, (_, i) => reportDoc({ receivedAt: new Date(Date.now() - i * 3_600_000) })),
    );
  });
  after(async () => {
    await app.close();
    await monitored.close();
    await db.drop();
  });

  it('files a report and answers 조회 without reading the reports collection', async () => {
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    const user = new KakaoUser(app.baseUrl, 'working-set-user');
    await user.say('신고');
    await user.say(formatInviteCode(partner.inviteCode));
    await giveContact(user);
    await user.say('취소');
    commands.length = 0;
    await fillReport(user);
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    expect(receipt).to.be.a('string');
    await user.say('조회');
    expect(user.text()).to.contain(receipt!);

    // the archive (the district's history) is never touched; the working set (open and recent
    // reports) gets the one insert, and 조회 reads the open report from its copy by _id
    expect(commands.filter((c) => c.collection === 'reports_archive')).to.deep.equal([]);
    const onReports = commands.filter((c) => c.collection === 'reports');
    expect(onReports.map((c) => c.name)).to.deep.equal(['insert']);
    // and every other collection a turn touches is keyed by the person or the month, not by all reports
    const touched = new Set(commands.map((c) => c.collection));
    expect([...touched].filter((c) => c.startsWith('report') && c !== 'reporter_news_marks')).to.have.members([
      'reports',
      'reports_open',
      'reporter_reports',
      'report_receipts',
    ]);
    // the receipt number's index entry (report-receipts): one insert at filing, nothing read
    expect(commands.filter((c) => c.collection === 'report_receipts').map((c) => c.name)).to.deep.equal(['insert']);
    // "news waiting for this chat?" (docs/reporter-news.md): the marks' change token, shared by the
    // turns asking at once, and the marks by _id; never the news themselves
    const onNews = commands.filter((c) => c.collection.startsWith('reporter_news'));
    expect(
      onNews.every((c) => c.collection === 'reporter_news_marks' && c.name === 'find' && c.filterKeys.join() === '_id'),
      JSON.stringify(onNews),
    ).to.equal(true);
    // the new report's copy in the open queue is written and checked by its _id alone
    const onOpen = commands.filter((c) => c.collection === 'reports_open');
    expect(onOpen.length).to.be.greaterThan(0);
    expect(onOpen.filter((c) => c.name !== 'insert' && c.filterKeys[0] !== '_id')).to.deep.equal([]);

    // closed, the report has no open copy: 조회 reads it from the working set by _id, and shows why it closed
    const closing = await applyReportAction(
      { reports: app.repos.reports, district: app.district },
      { id: 'staff:kim', role: 'staff' },
      receipt!,
      { type: 'close', reason: '가족과 연락됨' },
      new Date(),
    );
    expect(closing.ok).to.equal(true);
    commands.length = 0;
    await user.say('조회');
    expect(user.text()).to.contain(receipt!).and.contain('상태: 종결').and.contain('처리 종결');
    const reads = commands.filter((c) => c.collection === 'reports');
    expect(reads.length).to.be.greaterThan(0);
    expect(reads.every((c) => c.name === 'find' && c.filterKeys.join() === '_id')).to.equal(true);
  });

  it('files a 즉시 위험 report at once and adds the later answers by _id, without scanning reports', async () => {
    const partner = await app.repos.partners.create({ name: '서대문소방서', kind: 'other', now: new Date() });
    const user = new KakaoUser(app.baseUrl, 'working-set-urgent');
    await user.say('신고');
    await user.say(formatInviteCode(partner.inviteCode));
    await giveContact(user);
    await user.say('취소');
    commands.length = 0;
    await fillReport(user, { urgency: '즉시 위험' });
    await user.press('접수');
    expect(user.text()).to.contain('추가');
    const [mine] = await app.repos.reports.latestOfReporter('kakao', 'working-set-urgent', 1);
    expect(mine!.report!.situation).to.contain('전기요금');

    // one insert (the filing at once); every other command on the reports, their archive and
    // their revision claims names the report's _id first: nothing reads the district's history
    expect(commands.filter((c) => c.collection === 'reports_archive' && c.filterKeys[0] !== '_id')).to.deep.equal([]);
    const onReports = commands.filter(
      (c) =>
        c.collection === 'reports' || c.collection === 'reports_open' || c.collection.startsWith('report_revision'),
    );
    expect(onReports.filter((c) => c.collection === 'reports' && c.name === 'insert')).to.have.length(1);
    const scans = onReports.filter((c) => c.name !== 'insert' && c.filterKeys[0] !== '_id');
    expect(scans, JSON.stringify(scans)).to.deep.equal([]);
  });
});
