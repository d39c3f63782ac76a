import { loadConfigOrExit } from '../../config';
import { ensureFerretDbBinary, cacheDir, FerretDbUnavailableError } from './ferretdb-binary';

/** `npm run ferretdb:build`: builds the embedded database once, ahead of the first start or test. */
const config = loadConfigOrExit();
ensureFerretDbBinary(cacheDir(config.SAGAK_CACHE_DIR)).then(
  (bin) => process.stdout.write(`FerretDB ready: ${bin}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof FerretDbUnavailableError ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
