import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';

export class FerretDbUnavailableError extends Error {}

export function cacheDir(override?: string): string {
  return override ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sagak');
}

export function binaryPath(cache: string): string {
  return join(cache, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

/** `go` on the PATH, else the official tarball's place (a non-login shell may lack it on its PATH). */
async function findGo(): Promise<string | undefined> {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    try {
      await run(candidate, ['version']);
      return candidate;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

/**
 * Returns the FerretDB binary, building it once into the cache folder (outside the repo).
 *
 * Why not a bare `go install …@v1.24.2`: a binary built that way panics at start-up because the
 * module zip lacks build/version/version.txt, which FerretDB embeds. So the module is fetched with
 * `go mod download`, copied to the cache, given its version file, and built there.
 * `-checklinkname=0` is needed by FerretDB's pinned dependencies on recent Go releases.
 */
export async function ensureFerretDbBinary(cache = cacheDir()): Promise<string> {
  const bin = binaryPath(cache);
  if (existsSync(bin)) return bin;

  const go = await findGo();
  if (!go) {
    throw new FerretDbUnavailableError(
      'Go is not installed, so the embedded FerretDB cannot be built. Install Go (https://go.dev/dl/) or set MONGODB_URI to a MongoDB server.',
    );
  }
  try {
    const { stdout } = await run(go, ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], {
      maxBuffer: 8 << 20,
    });
    const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
    const src = join(cache, `ferretdb-src-${FERRETDB_VERSION}-${process.pid}`);
    await rm(src, { recursive: true, force: true });
    await cp(moduleDir, src, { recursive: true });
    await chmod(src, 0o755);
    await run('chmod', ['-R', 'u+w', src]);
    await writeFile(join(src, 'build/version/version.txt'), `${FERRETDB_VERSION}\n`);
    await mkdir(join(cache, `ferretdb-${FERRETDB_VERSION}`), { recursive: true });
    const tmpBin = `${bin}.${process.pid}.tmp`;
    await run(go, ['build', '-trimpath', '-ldflags=-checklinkname=0', '-o', tmpBin, './cmd/ferretdb'], {
      cwd: src,
      maxBuffer: 32 << 20,
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    await rename(tmpBin, bin); // atomic: a concurrent builder never sees half a binary
    await rm(src, { recursive: true, force: true });
    return bin;
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n').slice(0, 3).join(' ') : String(err);
    throw new FerretDbUnavailableError(
      `Building FerretDB ${FERRETDB_VERSION} failed (${detail}). Check that Go and its module proxy are reachable, or set MONGODB_URI to a MongoDB server.`,
    );
  }
}
