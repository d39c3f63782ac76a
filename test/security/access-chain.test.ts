import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadAccessRecordKey } from '../../src/access-record-key';
import { accessCommands } from '../../src/cli/access-commands';
import type { AccessEntry } from '../../src/domain/access/access-record';
import { openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { testConfig } from '../support/app';
import { testDatabase } from '../support/database';

/**
 * Probe 3 of issue 23: the access records' chain was an unkeyed SHA-256, so whoever could write
 * the database could edit a record and recompute the chain, delete one and renumber, or delete
 * the first records and have them pass as "pruned after retention". Each `it` passed before.
 */
describe('security probe: access records that show tampering', () => {
  const config = testConfig();
  const now = new Date('2026-12-01T03:00:00Z');
  const dbs: Awaited<ReturnType<typeof testDatabase>>[] = [];
  let n = 0;
  after(async () => {
    for (const d of dbs) await d.drop();
  });

  const entry = (at: Date, i: number): AccessEntry => ({
    at,
    actor: `user:w${i % 3}`,
    role: 'staff',
    address: '10.0.0.1',
    channel: 'api',
    action: 'view',
    receiptNos: [`2026-${String(i).padStart(6, '0')}`],
    scope: '',
    rowCount: 1,
    detail: '',
  });

  /** A fresh database with `old` records from three years ago, then `recent` from this week. */
  async function chain(old: number, recent: number) {
    const db = await testDatabase(`access_chain_${++n}`);
    dbs.push(db);
    const repos = openRepositories(db.connection);
    for (let i = 0; i < old; i++) await repos.accessRecords.append(entry(new Date(Date.UTC(2023, 10, 1, 1, 0, i)), i));
    for (let i = 0; i < recent; i++)
      await repos.accessRecords.append(entry(new Date(Date.UTC(2026, 10, 28, 1, 0, i)), old + i));
    const coll = db.connection.collection<Record<string, unknown> & { _id: number }>('access_records');
    return { repos, coll };
  }
  const cli = (repos: Repositories, args: string[]) => accessCommands.run(args, { config, repos, now: () => now });
  async function verifyFails(repos: Repositories, args: string[] = []): Promise<string> {
    try {
      await cli(repos, ['verify', ...args]);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('verify passed a tampered chain');
  }

  /** What the probe did: recompute every hash from `fromSeq` on with plain SHA-256, as the old chain had it. */
  async function rechainWithoutKey(coll: Awaited<ReturnType<typeof chain>>['coll'], fromSeq: number) {
    const docs = await coll
      .find({ _id: { $gte: fromSeq - 1 } })
      .sort({ _id: 1 })
      .toArray();
    let prevHash = docs[0]!._id === fromSeq - 1 ? (docs.shift()!.hash as string) : '0'.repeat(64);
    for (const d of docs) {
      const canonical = JSON.stringify([
        d._id,
        (d.at as Date).toISOString(),
        d.actor,
        d.role,
        d.address,
        d.channel,
        d.action,
        d.receiptNos,
        d.scope,
        d.rowCount,
        d.detail,
      ]);
      const hash = createHash('sha256').update(`${prevHash}\n${canonical}`).digest('hex');
      await coll.updateOne({ _id: d._id }, { $set: { prevHash, hash } });
      prevHash = hash;
    }
  }

  it('catches an edit whose chain was recomputed without the key', async () => {
    const { repos, coll } = await chain(0, 30);
    expect((await cli(repos, ['verify'])).json).to.deep.include({ ok: true, checked: 30 });
    await coll.updateOne({ _id: 12 }, { $set: { actor: 'user:someone-else' } });
    await rechainWithoutKey(coll, 12);
    expect(await verifyFails(repos))
      .to.contain('chain broken at #')
      .and.contain('re-signed without the key');
  });

  it('catches a deleted record when the rest were renumbered and rechained', async () => {
    const { repos, coll } = await chain(0, 30);
    await coll.deleteOne({ _id: 10 });
    for (let seq = 11; seq <= 30; seq++) {
      const d = (await coll.findOne({ _id: seq }))!;
      await coll.deleteOne({ _id: seq });
      await coll.insertOne({ ...d, _id: seq - 1 });
    }
    await rechainWithoutKey(coll, 10);
    expect(await verifyFails(repos)).to.contain('chain broken at #');
  });

  it('catches the first 20 records deleted and passed off as pruned', async () => {
    const { repos, coll } = await chain(0, 40);
    const head = ((await cli(repos, ['verify'])).json as { head: { seq: number } }).head.seq;
    await coll.deleteMany({ _id: { $lte: 20 } });
    const message = await verifyFails(repos);
    expect(message).to.contain('chain broken at #21').and.contain('no signed prune marker');
    expect(head).to.equal(40); // the head alone did not change: only the start shows the cut
  });

  it('a real prune removes only records past retention and leaves a signed marker that verify accepts', async () => {
    const { repos } = await chain(15, 10);
    const pruned = await cli(repos, ['prune']);
    expect(pruned.json).to.deep.include({ removed: 15 });
    const ok = await cli(repos, ['verify']);
    expect(ok.json).to.deep.include({ ok: true, firstSeq: 16 });
    expect(ok.text).to.contain('signed: #1-#15 pruned 2026-12-01');
    // a second prune finds nothing more (the recent records stay) and the chain still holds
    expect((await cli(repos, ['prune'])).json).to.deep.include({ removed: 0 });
    expect((await cli(repos, ['verify'])).json).to.deep.include({ ok: true });
  });

  it('a marker that prunes records younger than the retention is a break, even when signed', async () => {
    const { repos, coll } = await chain(0, 20);
    const last = (await coll.findOne({ _id: 10 }))!;
    // an insider with the key dresses a deletion of recent records as a prune
    await repos.accessRecords.append({
      ...entry(now, 99),
      actor: 'cli:someone',
      action: 'prune',
      scope: `removed #1-#10 last=${last.hash as string} lastAt=${(last.at as Date).toISOString()}`,
      receiptNos: [],
    });
    await coll.deleteMany({ _id: { $lte: 10 } });
    expect(await verifyFails(repos)).to.contain('younger than the 2-year retention');
  });

  it('the monthly review prints the head, and verify --head catches records cut off the end', async () => {
    const { repos, coll } = await chain(0, 25);
    const review = await cli(repos, ['review', '--month', '2026-11']);
    const printed = /체인 끝[^:]*: (\d+:[0-9a-f]{64})/.exec(review.text)?.[1];
    expect(printed, review.text).to.match(/^26:/); // the review itself is recorded first
    expect((await cli(repos, ['verify', '--head', printed!])).json).to.deep.include({ ok: true });
    await coll.deleteMany({ _id: { $gte: 20 } });
    repos.accessRecords.resetHead();
    expect(await verifyFails(repos, ['--head', printed!])).to.contain('is not in the chain any more');
  });

  it('keeps the key outside the database: ACCESS_RECORD_SECRET, or a file beside the data folder; required in production on MONGODB_URI', async () => {
    expect(loadAccessRecordKey(testConfig({ ACCESS_RECORD_SECRET: 's'.repeat(32) }))).to.deep.equal({
      key: 's'.repeat(32),
      source: 'env',
    });
    expect(() =>
      loadAccessRecordKey(testConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://127.0.0.1:1/x' })),
    ).to.throw(/ACCESS_RECORD_SECRET/);
    const dir = await mkdtemp(join(tmpdir(), 'sagak-key-'));
    const fromFile = loadAccessRecordKey(testConfig({ FERRETDB_DATA_DIR: join(dir, 'ferretdb') }));
    expect(fromFile.source).to.equal('file');
    expect((await readFile(join(dir, 'access-record.key'), 'utf8')).trim()).to.equal(fromFile.key);
    expect(loadAccessRecordKey(testConfig({ FERRETDB_DATA_DIR: join(dir, 'ferretdb') })).key).to.equal(fromFile.key);
  });
});
