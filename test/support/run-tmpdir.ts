import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One temporary folder for the whole test run, removed when the run ends, passed or failed.
 * Every temporary file of the run lands in it — FerretDB's data folders, uploaded lists, keys,
 * the browser's profile, the CLI children's files — because TMPDIR points there for this process
 * and all it starts, and os.tmpdir() reads TMPDIR on every call. Imported first by the root hooks.
 */
const parent = process.env.SAGAK_TEST_TMP_PARENT ?? tmpdir();
export const runTmpDir = mkdtempSync(join(parent, 'sagak-test-run-'));
process.env.SAGAK_TEST_TMP_PARENT = parent;
process.env.TMPDIR = runTmpDir;

function removeRunTmpDir(): void {
  rmSync(runTmpDir, { recursive: true, force: true, maxRetries: 3 });
}

// 'exit' also follows mocha's --exit and a failing run; signals are turned into an exit first.
process.on('exit', removeRunTmpDir);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}
