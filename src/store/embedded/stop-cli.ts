import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfigOrExit } from '../../config';

/** `npm run db:stop`: stops the embedded FerretDB that serves FERRETDB_DATA_DIR, if one runs. */
const config = loadConfigOrExit();
const lockPath = join(resolve(config.FERRETDB_DATA_DIR), 'ferretdb.lock');

async function main(): Promise<void> {
  let pid: number | undefined;
  try {
    pid = (JSON.parse(await readFile(lockPath, 'utf8')) as { pid?: number }).pid;
  } catch {
    process.stdout.write('No embedded FerretDB is running for this data folder.\n');
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
