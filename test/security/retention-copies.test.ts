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
import { purgeOldUploads } from '../../src/jobs/purge';
import { retentionPass } from '../../src/jobs/retention';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { testConfig } from '../support/app';
import { testDatabase } from '../support/database';
import { LIST_HEADERS, tempFile, toCsv } from '../support/list-files';
import { everyCollection } from '../../src/store/inspect';

const district = loadDistrict('seodaemun');
const DAY = 86_400_000;
const T0 = new Date('2023-03-06T01:00:00Z');
const later = (days: number) => new Date(T0.getTime() + days * DAY);

/** Every stored value as text (binary chunks of uploaded files decoded too), to search for a person's data. */
function textOf(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    const b = v as { _bsontype?: string; buffer?: Uint8Array; toString?: (enc: string) => string } | null;
    if (b && b._bsontype === 'Binary' && b.buffer) return Buffer.from(b.buffer).toString('utf8');
    if (
      b &&
      typeof b === 'object' &&
      (b as { type?: string }).type === 'Buffer' &&
      Array.isArray((b as { data?: number[] }).data)
    )
      return Buffer.from((b as { data: number[] }).data).toString('utf8');
    return v;
  });
}

/**
 * Probe 5 of issue 23: the addresses of list rows still waiting for a dong stayed in `list_imports`
 * for ever; the 30-day purge removed only the file. After retention, no collection may hold the
 * phone or the address of a closed case.
 */
describe('security probe: retention removes every copy of a closed case’s personal data', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let clock = T0;
  const config = testConfig({ RETENTION_CLOSED_YEARS: '1', IMPORT_FILE_KEEP_DAYS: '30' });

  before(async () => {
    db = await testDatabase('security_retention_copies');
    repos = openRepositories(db.connection, { now: () => clock });
    await ensureIndexes(repos);
  });
  after(() => db.drop());

  // a household the address alone cannot place (북가좌동 is two dongs): it waits for a dong in the preview
  const PHONE = '010-5555-7777';
  const ADDRESS = '북가좌동 77-7';
  const NAME = '박보존';

  it('after the upload purge and the retention pass, no collection holds the phone or the address', async () => {
    const partner = await repos.partners.create({ name: '한전 서대문지사', kind: 'utility', now: T0 });
    const deps: ImportDeps = { repos, district };
    const rows = [
      ['1', NAME, '1944-02-03', `서울특별시 서대문구 ${ADDRESS}`, PHONE, '90000', '12'],
      ['2', '김보통', '1950-01-01', '서울특별시 서대문구 연희동 12-3', '010-2222-3333', '50000', '4'],
    ];
    const source = await diskSource(await tempFile('retention.csv', toCsv([LIST_HEADERS, ...rows])));
    const started = await startImport(deps, {
      source,
      contentHash: await contentHashOf(source),
      fileName: 'retention.csv',
      file: null,
      partnerId: partner.id,
      listName: '한전 2023-03',
      by: 'user:kim',
      now: T0,
    });
    if ('error' in started) throw new Error(started.error);
    const preview = await previewImport(deps, started.item, started.item.mapping!, T0, source);
    expect(preview.ok && preview.preview.unresolved.map((u) => u.address)).to.deep.equal([
      `서울특별시 서대문구 ${ADDRESS}`,
    ]);
    expect(
      await commitImport(deps, (await repos.imports.byId(started.item.id))!, 'user:kim', () => T0, source),
    ).to.deep.include({ ok: true });

    // both cases are worked and closed the next day
    clock = later(1);
    for (const r of await reportsOfImport(repos.reports, district.id, started.item.id)) {
      const current = (await repos.reports.current(r.id))!;
      expect(
        await repos.reports.changeInPlace(current, {
          ...current,
          status: 'closed',
          closedAt: later(1),
          history: [
            ...current.history,
            { at: later(1), by: 'user:kim', action: 'close', from: current.status, to: 'closed' },
          ],
        }),
      ).to.equal(true);
    }
    const stored = async () => {
      const found: string[] = [];
      for (const { name, documents } of await everyCollection(db.connection)) {
        const docs = await documents();
        const text = textOf(docs);
        for (const needle of [PHONE, PHONE.replace(/-/g, ''), ADDRESS])
          if (text.includes(needle)) found.push(`${name}: ${needle}`);
      }
      return found;
    };
    expect(await stored()).to.include('list_imports: 북가좌동 77-7'); // the probe: the copy is there before

    // the purge job's sweeps as the service runs them: the closed cases leave the working set weeks
    // later; change claims (whole copies) go after an hour
    clock = later(40);
    expect((await repos.reports.archiveSweep()).archived).to.equal(2);
    // two years on: the sweep, the upload purge and the retention pass
    const now = later(2 * 365);
    clock = now;
    await repos.reports.archiveSweep();
    await purgeOldUploads(config, repos, now);
    const pass = await retentionPass(config, repos, {
      now,
      apply: true,
      actor: 'job:retention',
      role: 'system',
      channel: 'job',
    });
    expect(pass.anonymised).to.have.length(2);
    expect(await stored()).to.deep.equal([]);
    // the import keeps its counts and its rows' line numbers
    const item = (await repos.imports.byId(started.item.id))!;
    expect(item.preview!.counts).to.deep.include({ rows: 2, unresolved: 1 });
    expect(item.preview!.unresolved.map((u) => u.row)).to.deep.equal([2]);
  });
});
