import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { demoCommands } from '../../src/cli/demo-commands';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { restoreBackup } from '../../src/store/backup/restore-backup';
import { takeBackup } from '../../src/store/backup/take-backup';
import { connectDatabase } from '../../src/store/connect';
import { cacheDir, ensureFerretDbBinary } from '../../src/store/embedded/ferretdb-binary';
import { accessRecordKey } from '../../src/access-record-key';
import { verifyChain } from '../../src/domain/access/access-record';
import { testConfig } from '../support/app';
import { startTestServer } from '../support/database';

export interface BackupBenchResult {
  reports: { hot: number; archive: number };
  seedSeconds: number;
  backupSeconds: number;
  bytes: number;
  documents: number;
  restoreSeconds: number;
  peakRssMb: number;
  chainVerified: number;
}

/**
 * The backup of a district with `reports` demo reports (the admin's demo seed) into a file, and
 * its restore into an empty database on a second FerretDB, as `npm run admin -- backup/restore`
 * do them (same functions, without the process start-up).
 */
export async function runBackupBench(opts: { reports: number }): Promise<BackupBenchResult> {
  if (!process.env.TEST_MONGODB_URI) await ensureFerretDbBinary(cacheDir(process.env.SAGAK_CACHE_DIR));
  const source = await startTestServer({ ownServer: true });
  const target = await startTestServer({ ownServer: true });
  const dir = await mkdtemp(join(tmpdir(), 'sagak-bench-backup-'));
  const from = await connectDatabase(source.uri, `sagak_bench_backup_${process.pid}`);
  const into = await connectDatabase(target.uri, `sagak_bench_restore_${process.pid}`);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  try {
    const config = testConfig();
    const repos = openRepositories(from);
    await ensureIndexes(repos);
    let t = performance.now();
    const seeded = (
      await demoCommands.run(['seed', '--reports', String(opts.reports), '--seed', '8'], { config, repos })
    ).json as { hot: number; archive: number };
    const seedSeconds = (performance.now() - t) / 1000;
    for (let i = 0; i < 200; i++)
      await repos.accessRecords.append({
        at: new Date(),
        actor: 'user:bench',
        role: 'staff',
        address: '127.0.0.1',
        channel: 'console',
        action: 'view',
        receiptNos: [],
        scope: '',
        rowCount: 0,
        detail: '',
      });

    const file = join(dir, 'bench.backup.gz');
    t = performance.now();
    const backup = await takeBackup(from, file, { sagakVersion: 'bench' });
    const backupSeconds = (performance.now() - t) / 1000;

    const restoredRepos = openRepositories(into);
    t = performance.now();
    await restoreBackup(into, file, {
      force: false,
      rebuild: async () => {
        await ensureIndexes(restoredRepos);
        await restoredRepos.reports.settleClaims();
        await restoredRepos.reports.reconcileOpenCopies();
        await restoredRepos.accessRecords.rebuildTail();
      },
    });
    const restoreSeconds = (performance.now() - t) / 1000;
    const verdict = await verifyChain(restoredRepos.accessRecords.inOrder(), {
      key: accessRecordKey(),
      retentionYears: 2,
    });
    if (!verdict.ok) throw new Error('the restored access chain does not verify');
    return {
      reports: seeded,
      seedSeconds,
      backupSeconds,
      bytes: (await stat(file)).size,
      documents: Object.values(backup.manifest.collections).reduce((a, b) => a + b, 0),
      restoreSeconds,
      peakRssMb: peak / 1_048_576,
      chainVerified: verdict.checked,
    };
  } finally {
    clearInterval(sampler);
    await from.dropDatabase().catch(() => {});
    await into.dropDatabase().catch(() => {});
    await from.close();
    await into.close();
    await source.stop();
    await target.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export function printBackupBench(r: BackupBenchResult): void {
  const total = r.reports.hot + r.reports.archive;
  console.log(
    `\n## Backup and restore: ${total.toLocaleString('en')} stored reports (${r.reports.hot} working set, ${r.reports.archive} archive)`,
  );
  console.log('| step | seconds | size | documents |');
  console.log('|---|---|---|---|');
  console.log(`| demo seed (not part of the backup) | ${r.seedSeconds.toFixed(1)} s | | |`);
  console.log(
    `| backup (\`admin backup\`, gzip file) | ${r.backupSeconds.toFixed(1)} s | ${(r.bytes / 1_048_576).toFixed(1)} MB | ${r.documents.toLocaleString('en')} |`,
  );
  console.log(
    `| restore into an empty database on another FerretDB (\`admin restore\`) | ${r.restoreSeconds.toFixed(1)} s | | |`,
  );
  console.log(
    `\nPeak RSS of the bench process ${r.peakRssMb.toFixed(0)} MB; restored access chain verified (${r.chainVerified} records).`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  runBackupBench({ reports: Number(process.env.BENCH_BACKUP_REPORTS ?? 100_000) }).then(
    (r) => {
      printBackupBench(r);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
