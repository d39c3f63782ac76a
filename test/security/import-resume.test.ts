import { expect } from 'chai';
import { loadDistrict } from '../../src/domain/district';
import { reportsOfImport } from '../../src/import/import-reports';
import {
  commitImport,
  contentHashOf,
  previewImport,
  startImport,
  type ImportDeps,
} from '../../src/import/list-import-service';
import { diskSource } from '../../src/import/read/file-source';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { testDatabase } from '../support/database';
import { arrearsRows, LIST_HEADERS, tempFile, toCsv } from '../support/list-files';
import { storedDocuments } from '../../src/store/inspect';

const district = loadDistrict('seodaemun');
const T0 = new Date('2026-11-23T01:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/**
 * Probe 4 of issue 23: after a crash (kill -9) an import could not be resumed for 10 minutes: the
 * dead process's lock held its lease and the page said another user was importing (409).
 */
describe('security probe: an import resumes within a minute of a crash, still exactly once', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let partnerId: string;

  before(async () => {
    db = await testDatabase('security_import_resume');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
    partnerId = (await repos.partners.create({ name: '한전 서대문지사', kind: 'utility', now: T0 })).id;
  });
  after(() => db.drop());

  async function previewed(name: string, start: number) {
    const deps: ImportDeps = { repos, district };
    const source = await diskSource(await tempFile(name, toCsv([LIST_HEADERS, ...arrearsRows(60, start)])));
    const started = await startImport(deps, {
      source,
      contentHash: await contentHashOf(source),
      fileName: name,
      file: null,
      partnerId,
      listName: name,
      by: 'user:kim',
      now: T0,
    });
    if ('error' in started) throw new Error(started.error);
    await previewImport(deps, started.item, started.item.mapping!, T0, source);
    return { source, id: started.item.id };
  }

  /**
   * Import deps whose second batch insert never returns until `kill` is called: the commit stops
   * there, holding its lock and renewing nothing, like a process killed with -9 mid-commit.
   */
  function dyingDeps(onFirstBatch: () => void = () => {}) {
    let kill!: (err: Error) => void;
    const dead = new Promise<never>((_, reject) => {
      kill = reject;
    });
    dead.catch(() => undefined);
    let batches = 0;
    const reports = new Proxy(repos.reports, {
      get(target, prop, receiver) {
        if (prop !== 'insertMany') return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<Repositories['reports']['insertMany']>) => {
          if (++batches === 1) {
            const out = await target.insertMany(...args);
            onFirstBatch();
            return out;
          }
          return dead;
        };
      },
    });
    return { deps: { repos: { ...repos, reports }, district } as ImportDeps, kill: () => kill(new Error('killed')) };
  }

  async function untilFiled(id: string, n: number) {
    for (let i = 0; i < 10_000; i++) {
      if ((await reportsOfImport(repos.reports, district.id, id)).length >= n) return;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error(`never reached ${n} filed rows`);
  }

  it('a commit whose process died is resumed a minute later (not ten), and files every row once', async () => {
    const { source, id } = await previewed('crash.csv', 1);
    const dying = dyingDeps();
    const running = commitImport(dying.deps, (await repos.imports.byId(id))!, 'user:dead', () => T0, source).catch(
      (err: Error) => err,
    );
    await untilFiled(id, 25);
    // half a minute later the lease still holds: the page says someone is importing
    expect(
      await commitImport({ repos, district }, (await repos.imports.byId(id))!, 'user:kim', () => at(30), source),
    ).to.deep.equal({ ok: false, code: 'busy' });
    // a minute after the crash it can be resumed
    const resumed = await commitImport(
      { repos, district },
      (await repos.imports.byId(id))!,
      'user:kim',
      () => at(60),
      source,
    );
    expect(resumed.ok && resumed.counts.create).to.equal(60);
    dying.kill();
    expect(await running).to.be.instanceOf(Error);
    const filed = await reportsOfImport(repos.reports, district.id, id);
    expect(filed).to.have.length(60);
    expect(new Set(filed.map((r) => r.source!.line)).size).to.equal(60);
    expect(new Set(filed.map((r) => r.receiptNo)).size).to.equal(60);
  });

  it('a commit still running renews its lease, so a second one stays out while it lives', async () => {
    const { source, id } = await previewed('alive.csv', 1000);
    let clock = T0;
    // the first batch takes 50 s of app time; the running commit renews its lease after it
    const slow = dyingDeps(() => {
      clock = at(50);
    });
    const running = commitImport(slow.deps, (await repos.imports.byId(id))!, 'user:first', () => clock, source).catch(
      (err: Error) => err,
    );
    await untilFiled(id, 25);
    for (
      let i = 0;
      i < 10_000 &&
      (await storedDocuments(db.connection, 'importLocks').findOne<{ until: Date }>({ importId: id }))!.until <= at(60);
      i++
    )
      await new Promise((r) => setImmediate(r));
    expect(
      await commitImport({ repos, district }, (await repos.imports.byId(id))!, 'user:second', () => at(61), source),
    ).to.deep.equal({ ok: false, code: 'busy' });
    // once it stops renewing (dead), its lease runs out within the minute and the import resumes
    const resumed = await commitImport(
      { repos, district },
      (await repos.imports.byId(id))!,
      'user:second',
      () => at(110),
      source,
    );
    expect(resumed.ok && resumed.counts.create).to.equal(60);
    slow.kill();
    await running;
    expect(await reportsOfImport(repos.reports, district.id, id)).to.have.length(60);
  });
});
