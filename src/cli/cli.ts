import { loadAccessRecordKey, setAccessRecordKey } from '../access-record-key';
import { loadConfigOrExit } from '../config';
import { PseudonymKeyError } from '../pseudonym-key';
import { ensureIndexes, openRepositories } from '../repositories';
import { openDatabase } from '../store/connect';
import { FerretDbUnavailableError } from '../store/embedded/ferretdb-binary';
import { UsageError } from './command';
import { COMMAND_GROUPS, usage } from './groups';

/**
 * `npm run admin -- <group> <command> [options] [--json]`. Exit codes: 0 done, 2 bad usage or
 * unknown record, 1 anything else. Shares the service's database: the embedded FerretDB is
 * reused when running, started when not.
 */
async function main(argv: string[]): Promise<number> {
  const [groupName, ...rest] = argv;
  const group = groupName ? COMMAND_GROUPS[groupName] : undefined;
  if (!group) throw new UsageError(usage());
  const config = loadConfigOrExit();
  setAccessRecordKey(loadAccessRecordKey(config).key);
  const db = await openDatabase(config);
  try {
    const repos = openRepositories(db.connection, { hotDays: config.REPORTS_HOT_DAYS });
    await ensureIndexes(repos);
    const out = await group.run(rest, { config, repos, connection: db.connection });
    process.stdout.write(rest.includes('--json') ? `${JSON.stringify(out.json, null, 2)}\n` : `${out.text}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usageLike =
      err instanceof UsageError || err instanceof FerretDbUnavailableError || err instanceof PseudonymKeyError;
    process.stderr.write(`${usageLike ? '' : 'admin: '}${(err as Error).message}\n`);
    process.exit(usageLike ? 2 : 1);
  },
);
