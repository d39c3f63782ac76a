import { readFile, rm } from 'node:fs/promises';
import { loadConfigOrExit } from '../../config';
import { isAlive, lockFileOf } from './ferretdb-server';

/** `npm run db:stop`: stops the embedded FerretDB that serves FERRETDB_DATA_DIR, if one runs. */
const config = loadConfigOrExit();
const lockPath = lockFileOf(config.FERRETDB_DATA_DIR);

async function main(): Promise<void> {
  let pid: number | undefined;
  let state: string | undefined;
  try {
    ({ pid, state } = JSON.parse(await readFile(lockPath, 'utf8')) as { pid?: number; state?: string });
  } catch {
    process.stdout.write('No embedded FerretDB is running for this data folder.\n');
    return;
  }
  if (state === 'starting' && pid && isAlive(pid)) {
    // the lock names the process that is building or starting FerretDB (the service or the CLI), not FerretDB
    process.stdout.write(
      `The embedded FerretDB is still being built or started (by pid ${pid}); run this again once it is up.\n`,
    );
    process.exitCode = 1;
    return;
  }
  try {
    if (pid) process.kill(pid, 'SIGTERM');
    process.stdout.write(`Stopped the embedded FerretDB (pid ${pid}).\n`);
  } catch {
    process.stdout.write('The embedded FerretDB had already stopped.\n');
  }
  await rm(lockPath, { force: true });
}

void main();
