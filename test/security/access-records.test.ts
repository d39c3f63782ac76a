import { expect } from 'chai';
import { accessCommands } from '../../src/cli/access-commands';
import { reportCommands } from '../../src/cli/report-commands';
import { connectDatabase } from '../../src/store/connect';
import { accessRecordRepository } from '../../src/store/access-record/access-record';
import type { AccessEntry } from '../../src/domain/access/access-record';
import { monthlyReview } from '../../src/domain/access/monthly-review';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, file, tokenOf } from '../support/console';
import { sharedServer, testDatabase } from '../support/database';

const entry = (i: number, over: Partial<AccessEntry> = {}): AccessEntry => ({
  at: new Date(Date.UTC(2026, 10, 23, 1, 0, i % 60)),
  actor: `user:w${i % 3}`,
  role: 'staff',
  address: '10.0.0.1',
  channel: 'api',
  action: 'view',
  receiptNos: [`2026-${String(i).padStart(6, '0')}`],
  scope: '',
  rowCount: 1,
  detail: '',
  ...over,
});

describe('access records (접속기록): hash chain, every view recorded, review', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  const config = testConfig();
  let partnerId: string;

  before(async () => {
    db = await testDatabase('access_records');
    app = await startTestApp(db.connection, { config });
    partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() })).id;
    await addUser({ config, repos: app.repos }, 'kim', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje3', 'dong', '홍제3동');
    await addUser({ config, repos: app.repos }, 'root1', 'admin');
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const all = () => app.repos.accessRecords.between(new Date(0), new Date(Date.now() + 86_400_000));

  it('chains records written at once by two instances into one unbroken sequence', async () => {
    // a second "instance": its own connection and repository, its own cached head
    const server = await sharedServer();
    const other = await connectDatabase(server.uri, db.connection.name);
    try {
      const mine = app.repos.accessRecords;
      const theirs = accessRecordRepository(other);
      const before = (await all()).length;
      const seqs = await Promise.all([
        ...Array.from({ length: 40 }, (_, i) => mine.append(entry(i))),
        ...Array.from({ length: 40 }, (_, i) => theirs.append(entry(100 + i))),
      ]);
      expect(new Set(seqs).size).to.equal(80);
      const verdict = await accessCommands.run(['verify'], { config, repos: app.repos });
      expect(verdict.json).to.deep.include({ ok: true, checked: before + 80 });
      const sorted = [...seqs].sort((a, b) => a - b);
      expect(sorted.at(-1)! - sorted[0]! + 1).to.equal(80); // no gaps
    } finally {
      await other.close();
    }
  });

  it('records a view, a list and a change before the response is sent: the record is there when the page is', async () => {
    const r = await file(app.repos, partnerId, new Date());
    const api = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'kim'));
    const before = (await all()).length;
    expect((await api.get(`/api/reports/${r.receiptNo}`)).status).to.equal(200);
    // read at once after the response: nothing is waiting to be written
    const afterView = await all();
    expect(afterView.length, JSON.stringify(afterView.slice(0, 3).map((x) => [x.seq, x.action, x.actor]))).to.equal(
      before + 1,
    );
    expect(afterView[0]).to.deep.include({
      actor: 'user:kim',
      role: 'staff',
      channel: 'api',
      action: 'view',
      receiptNos: [r.receiptNo],
      address: '127.0.0.1',
    });

    const list = await api.get('/api/reports?q=우편물');
    expect(list.status).to.equal(200);
    const search = (await all())[0]!;
    expect(search.action).to.equal('search');
    expect(search.receiptNos).to.include(r.receiptNo);
    expect(search.scope).to.contain('q=(3자)').and.not.contain('우편물'); // the search text itself is not copied

    expect((await api.act(r.receiptNo, { type: 'consult', result: '통화함' })).status).to.equal(200);
    expect((await all())[0]).to.deep.include({ action: 'change', detail: 'consult', receiptNos: [r.receiptNo] });
    // a report outside the dong user's scope shows nothing and records nothing
    const dong = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'hongje3'));
    const count = (await all()).length;
    expect((await dong.get(`/api/reports/${r.receiptNo}`)).status).to.equal(404);
    expect((await all()).length).to.equal(count);
  });

  it('records the console pages, the weekly download and the CLI, each with who, where and what', async () => {
    const r = await file(app.repos, partnerId, new Date(), { dong: { code: '1141064000', name: '홍제3동' } });
    const token = await tokenOf(app.baseUrl, 'hongje3');
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${app.baseUrl}/console/reports/${r.receiptNo}`, { headers })).status).to.equal(200);
    expect((await all())[0]).to.deep.include({
      actor: 'user:hongje3',
      role: 'dong',
      channel: 'console',
      action: 'view',
      receiptNos: [r.receiptNo],
    });
    const week = (await import('../../src/domain/weekly/iso-week')).weekOf(new Date()).id;
    const dl = await fetch(`${app.baseUrl}/console/weekly/download?week=${week}&format=csv`, { headers });
    expect(dl.status).to.equal(200);
    const download = (await all())[0]!;
    expect(download).to.deep.include({ action: 'download', detail: 'csv' });
    expect(download.receiptNos).to.include(r.receiptNo);
    expect(download.scope).to.equal(`week=${week} dong=1141064000`);

    await reportCommands.run(['show', r.receiptNo], { config, repos: app.repos });
    const cli = (await all())[0]!;
    expect(cli).to.deep.include({ channel: 'cli', action: 'view', address: 'local', receiptNos: [r.receiptNo] });
    expect(cli.actor).to.match(/^cli:/);
  });

  it('finds the first edited, removed or forged record and says which', async () => {
    const coll = db.connection.collection<{ _id: number; actor?: string }>('access_records');
    const ok = await accessCommands.run(['verify'], { config, repos: app.repos });
    const head = (ok.json as { head: { seq: number } }).head.seq;
    const victim = head - 5;
    await coll.updateOne({ _id: victim }, { $set: { actor: 'user:someone-else' } }); // an edit in the database, outside the application
    let message = '';
    try {
      await accessCommands.run(['verify'], { config, repos: app.repos });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.contain(`chain broken at #${victim}`).and.contain('was changed');
    await coll.deleteOne({ _id: victim });
    message = '';
    try {
      await accessCommands.run(['verify'], { config, repos: app.repos });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.contain(`record #${victim} is missing`);
  });

  it('gives admins the review page and the monthly report; staff get 403', async () => {
    const admin = { authorization: `Bearer ${await tokenOf(app.baseUrl, 'root1')}` };
    const page = await fetch(`${app.baseUrl}/console/admin/access`, { headers: admin });
    expect(page.status).to.equal(200);
    // people in words (issue 25): the account as its login ID (no name set here), never `user:kim`
    const text = await page.text();
    expect(text)
      .to.match(/data-label="계정" class="nw">kim<br>/)
      .and.contain('열람')
      .and.not.contain('user:kim');
    const monthly = await fetch(`${app.baseUrl}/console/admin/access/monthly`, { headers: admin });
    expect(monthly.status).to.equal(200);
    expect(await monthly.text())
      .to.contain('계정별')
      .and.contain('<td data-label="계정">hongje3</td>');
    const staff = { authorization: `Bearer ${await tokenOf(app.baseUrl, 'kim')}` };
    expect((await fetch(`${app.baseUrl}/console/admin/access`, { headers: staff })).status).to.equal(403);
    expect((await fetch(`${app.baseUrl}/console/admin/access/monthly`, { headers: staff })).status).to.equal(403);
  });

  it('flags work outside office hours and unusually many downloads in the monthly review', () => {
    const night = new Date('2026-11-24T14:30:00Z'); // 23:30 in Seoul, a Tuesday
    const day = new Date('2026-11-24T02:00:00Z'); // 11:00 in Seoul
    const records = [
      ...Array.from({ length: 5 }, (_, i) => ({
        ...entry(i, { actor: 'user:night', at: night, action: 'view' as const }),
        seq: i + 1,
        prevHash: '',
        hash: '',
      })),
      ...Array.from({ length: 4 }, (_, i) => ({
        ...entry(i, { actor: 'user:bulk', at: day, action: 'download' as const }),
        seq: 10 + i,
        prevHash: '',
        hash: '',
      })),
      { ...entry(1, { actor: 'user:calm', at: day }), seq: 20, prevHash: '', hash: '' },
    ];
    const review = monthlyReview('2026-11', records, { downloads: 3, cases: 100 });
    expect(review.flags).to.deep.include({ actor: 'user:night', kind: 'outside_hours', count: 5 });
    expect(review.flags).to.deep.include({ actor: 'user:bulk', kind: 'many_downloads', count: 4 });
    expect(review.flags.some((f) => f.actor === 'user:calm')).to.equal(false);
    expect(review.lines.find((l) => l.actor === 'user:night')!.cases).to.equal(5);
  });

  it('refuses a retention shorter than two years', () => {
    expect(() => testConfig({ ACCESS_RECORD_RETENTION_YEARS: '1' })).to.throw(/ACCESS_RECORD_RETENTION_YEARS/);
  });
});
