import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config';
import { ensureIndexes, repositories } from '../services';
import { openDatabase } from '../store/connect';
import { FerretDbUnavailableError } from '../store/embedded/ferretdb-binary';
import { runAdminCommand, UsageError } from './commands';

/**
 * `npm run admin -- <group> <command> [options] [--json]`. Shares the service's database: the
 * embedded FerretDB is reused when running, started when not.
 */
async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      name: { type: 'string' },
      kind: { type: 'string' },
      dong: { type: 'string' },
      since: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const config = loadConfigOrExit();
  const db = await openDatabase(config);
  try {
    const repos = repositories(db.connection);
    await ensureIndexes(repos);
    const out = await runAdminCommand({ config, repos }, positionals, values);
    process.stdout.write(values.json ? `${JSON.stringify(out.json, null, 2)}\n` : `${out.text}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof FerretDbUnavailableError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(`admin: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
