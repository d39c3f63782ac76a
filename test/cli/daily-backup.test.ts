import { expect } from 'chai';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDailyBackup } from '../../src/jobs/daily-backup';
import { readBackup } from '../../src/store/backup/backup-file';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { backupTaker } from '../../src/store/backup/take-backup';

/** 2026-11-24 03:00 in Seoul: after the default 02:30 backup time. */
const AFTER_BACKUP_TIME = new Date('2026-11-23T18:00:00Z');
const BEFORE_BACKUP_TIME = new Date('2026-11-23T17:00:00Z'); // 02:00 Seoul

describe('scheduled daily backup (BACKUP_DIR, BACKUP_KEEP)', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let dir: string;
  let page: (path: string) => Promise<string>;
  const now = () => AFTER_BACKUP_TIME;

  before(async () => {
    db = await testDatabase('daily_backup');
    dir = await mkdtemp(join(tmpdir(), 'sagak-daily-backup-'));
    const config = testConfig({ BACKUP_DIR: dir, BACKUP_KEEP: '3' });
    app = await startTestApp(db.connection, { config, now });
    await addUser({ config, repos: app.repos }, 'admin1', 'admin');
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: AFTER_BACKUP_TIME });
    await file(app.repos, partner.id, AFTER_BACKUP_TIME);
    const token = await tokenOf(app.baseUrl, 'admin1');
    page = async (path) =>
      (await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).text();
  });
  after(async () => {
    await app.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is taken once a day by one of two instances, keeps the newest BACKUP_KEEP files, and is listed for admins with its size and result', async () => {
    // older backups in the folder, and a file that is not one of them (left alone)
    for (const day of ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23'])
      await writeFile(join(dir, `sagak-backup-${day}.gz`), 'old');
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    const deps = (owner: string, at: Date) => ({
      config: { BACKUP_DIR: dir, BACKUP_KEEP: 3, BACKUP_CRON: '30 2 * * *' },
      takeBackup: backupTaker(db.connection),
      repos: app.repos,
      now: () => at,
      owner,
    });

    expect(await runDailyBackup(deps('a', BEFORE_BACKUP_TIME))).to.equal('not_due');
    const both = await Promise.all([
      runDailyBackup(deps('a', AFTER_BACKUP_TIME)),
      runDailyBackup(deps('b', AFTER_BACKUP_TIME)),
    ]);
    expect(both.sort()).to.deep.equal(['ok', 'taken_elsewhere']);
    expect(await runDailyBackup(deps('a', AFTER_BACKUP_TIME))).to.equal('taken_elsewhere');

    expect((await readdir(dir)).sort()).to.deep.equal([
      'notes.txt',
      'sagak-backup-2026-11-22.gz',
      'sagak-backup-2026-11-23.gz',
      'sagak-backup-2026-11-24.gz',
    ]);
    const manifest = await readBackup(join(dir, 'sagak-backup-2026-11-24.gz'));
    expect(manifest.collections.reports).to.equal(1);

    const html = await page('/console/admin/backups');
    expect(html)
      .to.contain('2026-11-24')
      .and.contain('성공')
      .and.contain('sagak-backup-2026-11-24.gz')
      .and.match(/\d+ KB/);
    expect(html).to.contain('최근 3개를 보관');
    expect(await page('/console/admin/users')).not.to.contain('자동 백업이 실패했습니다');
  });

  it('records a failed backup, and every admin page warns until one succeeds', async () => {
    const blocked = join(dir, 'not-a-folder');
    await writeFile(blocked, 'a file where the folder should be');
    const next = new Date(AFTER_BACKUP_TIME.getTime() + 86_400_000);
    const result = await runDailyBackup({
      config: { BACKUP_DIR: blocked, BACKUP_KEEP: 3, BACKUP_CRON: '30 2 * * *' },
      takeBackup: backupTaker(db.connection),
      repos: app.repos,
      now: () => next,
      owner: 'a',
    });
    expect(result).to.equal('failed');
    for (const path of ['/console/admin/users', '/console/admin/partners', '/console/admin/backups']) {
      expect(await page(path), path).to.contain('자동 백업이 실패했습니다 (2026-11-25');
    }
    expect(await page('/console/admin/backups')).to.contain('실패');
  });
});
