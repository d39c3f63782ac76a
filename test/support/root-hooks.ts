import './run-tmpdir';
import { cacheDir, ensureFerretDbBinary } from '../../src/store/embedded/ferretdb-binary';
import { stopSharedServer } from './database';

/**
 * Mocha root hooks: FerretDB is built once before any file runs (a first build takes a minute
 * or two), and the shared test server stops once, after every file has run (its data folder,
 * like every temporary file of the run, goes with the run's folder: see run-tmpdir.ts).
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    if (process.env.TEST_MONGODB_URI) return;
    this.timeout(15 * 60_000);
    await ensureFerretDbBinary(cacheDir(process.env.SAGAK_CACHE_DIR));
  },
  async afterAll() {
    await stopSharedServer();
  },
};
