import { resolve } from 'node:path';
import { ensureIndexes } from '../repositories';
import type { BackupManifest } from '../store/backup/backup-file';
import { readBackup } from '../store/backup/backup-file';
import { restoreBackup } from '../store/backup/restore-backup';
import { takeBackup } from '../store/backup/take-backup';
import { SAGAK_VERSION } from '../version';
import { recordCliAccess } from './access-note';
import { parseCommandArgs, UsageError, type AdminDeps, type CommandGroup } from './command';

const describe = (m: BackupManifest) =>
  [
    `taken ${m.startedAt.toISOString()} – ${m.finishedAt.toISOString()} (${(m.durationMs / 1000).toFixed(1)} s) by Sagak ${m.sagakVersion} from database ${m.database}`,
    ...Object.entries(m.collections).map(([name, n]) => `  ${name.padEnd(28)} ${n}`),
    `access records: #${m.accessRecords.first ?? '-'} – #${m.accessRecords.last ?? '-'}, head ${m.accessRecords.headHash ?? 'none'}`,
    ...m.notes.map((n) => `note: ${n}`),
  ].join('\n');

const connectionOf = (deps: AdminDeps) => {
  if (!deps.connection) throw new Error('no database connection');
  return deps.connection;
};

/** `backup --out <file>`: a consistent copy of the whole database while the service runs (see docs/backup.md). */
export const backupCommands: CommandGroup = {
  usage: `  backup --out <file>                   copies the whole database into one gzip file with a manifest (safe while the service runs)`,
  async run(args, deps) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string' } });
    if (!values.out || positionals.length) throw new UsageError(`Usage:\n${backupCommands.usage}`);
    const path = resolve(values.out);
    const done = await takeBackup(connectionOf(deps), path, { sagakVersion: SAGAK_VERSION, now: deps.now });
    const reports = (done.manifest.collections.reports ?? 0) + (done.manifest.collections.reports_archive ?? 0);
    // the backup holds every case's personal data: its taking is itself an access record (after it, so not in it)
    await recordCliAccess(deps, {
      action: 'export',
      scope: `backup ${path}`,
      rowCount: reports,
      detail: `sha256 ${done.payloadSha256}`,
    });
    return {
      text: `Backup written: ${path} (${done.bytes} bytes, contents sha256 ${done.payloadSha256})\n${describe(done.manifest)}`,
      json: { path, bytes: done.bytes, sha256: done.payloadSha256, manifest: done.manifest },
    };
  },
};

/** `restore --from <file> [--force]`; `--check` only verifies the file and shows its manifest. */
export const restoreCommands: CommandGroup = {
  usage: `  restore --from <file> [--force]       restores a backup into this database; refuses a non-empty one unless --force (which drops it)
  restore --from <file> --check         verifies the file's checksum and shows its manifest; writes nothing`,
  async run(args, deps) {
    const { values, positionals } = parseCommandArgs(args, {
      from: { type: 'string' },
      force: { type: 'boolean' },
      check: { type: 'boolean' },
    });
    if (!values.from || positionals.length) throw new UsageError(`Usage:\n${restoreCommands.usage}`);
    const path = resolve(values.from);
    if (values.check) {
      const manifest = await readBackup(path);
      return { text: `Backup verified: ${path}\n${describe(manifest)}`, json: { path, manifest } };
    }
    const { repos } = deps;
    const done = await restoreBackup(connectionOf(deps), path, {
      force: Boolean(values.force),
      rebuild: async () => {
        await ensureIndexes(repos);
        await repos.reports.settleClaims();
        await repos.reports.reconcileOpenCopies();
        await repos.accessRecords.rebuildTail();
      },
    });
    await recordCliAccess(deps, {
      action: 'change',
      scope: `restore ${path}`,
      detail: `backup of ${done.manifest.startedAt.toISOString()}`,
    });
    return {
      text: `Restored ${path}\n${describe(done.manifest)}\nRun "access verify" to check the access records' chain, then start the service.`,
      json: done,
    };
  },
};
