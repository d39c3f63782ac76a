import { spawn, type ChildProcess } from 'node:child_process';
import { type FileHandle, mkdir, open, readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { resolve, join } from 'node:path';
import { ensureFerretDbBinary } from './ferretdb-binary';

export interface FerretDbServer {
  uri: string;
  port: number;
  /** Stops the process when this handle started it; a reused server is left running. */
  stop(): Promise<void>;
}

export interface StartOptions {
  port: number;
  dataDir: string;
  cacheDir?: string;
  /** Detached servers outlive the starting process, so `npm start` and the admin CLI can share one. */
  detached?: boolean;
}

function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function waitForPort(port: number, child: ChildProcess | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode}`);
    if (await portAnswers(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`FerretDB did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** The lock file that names the process owning the embedded FerretDB of a data folder (and its port). */
export const lockFileOf = (dataDir: string) => join(resolve(dataDir), 'ferretdb.lock');

/** Whether a process of this pid still runs (signal 0 only asks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts FerretDB (SQLite backend) on loopback, or reuses the one already serving `dataDir`.
 * A lock file in the data folder holds the owner's pid and port, so two servers never share
 * one folder even when the service and the admin CLI start at the same moment.
 */
/**
 * Connections each client opens to the embedded server. FerretDB's SQLite backend lets every
 * request it holds try the one write lock, and a writer that finds it taken sleeps in SQLite's
 * busy handler (steps of up to 100 ms) instead of queueing. 20 clients each inserting, updating
 * and reading: p99 645 ms through the driver's default of 100 connections, 162 ms through 4, at
 * the same throughput (measured on this project's 2-core machine; the README has the bench).
 * The cap rides in the connection string, so the service, the admin CLI, the tests and the
 * bench all get it.
 */
export const EMBEDDED_POOL_SIZE = 4;

function embeddedUri(port: number): string {
  return `mongodb://127.0.0.1:${port}/?maxPoolSize=${EMBEDDED_POOL_SIZE}`;
}

export async function startFerretDb(opts: StartOptions): Promise<FerretDbServer> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const lockPath = lockFileOf(dataDir);
  const uri = embeddedUri(opts.port);

  const giveUpAt = Date.now() + 15 * 60_000; // a first build of FerretDB can take minutes
  while (Date.now() < giveUpAt) {
    const existing = await readLock(lockPath);
    if (existing?.state === 'starting' && isAlive(existing.pid)) {
      await new Promise((r) => setTimeout(r, 250)); // another process is building or starting it
      continue;
    }
    if (existing && isAlive(existing.pid)) {
      if (existing.port !== opts.port) {
        throw new Error(
          `FerretDB for ${dataDir} already runs on port ${existing.port}; set FERRETDB_PORT=${existing.port}`,
        );
      }
      await waitForPort(existing.port, undefined, 30_000);
      return { uri, port: existing.port, stop: async () => {} };
    }
    if (existing) await rm(lockPath, { force: true }); // stale: its process is gone

    let handle: FileHandle;
    try {
      handle = await open(lockPath, 'wx');
    } catch {
      await new Promise((r) => setTimeout(r, 100)); // another starter won the race; read its lock
      continue;
    }
    try {
      await handle.writeFile(JSON.stringify({ pid: process.pid, port: opts.port, state: 'starting' }));
      const bin = await ensureFerretDbBinary(opts.cacheDir);
      if (await portAnswers(opts.port))
        throw new Error(`port ${opts.port} is taken by another program; set FERRETDB_PORT`);
      const child = spawn(
        bin,
        [
          '--handler=sqlite',
          `--sqlite-url=file:${dataDir}/`,
          `--state-dir=${dataDir}`,
          `--listen-addr=127.0.0.1:${opts.port}`,
          '--debug-addr=-',
          '--telemetry=disable',
          '--log-level=error',
          '--log-format=json',
        ],
        { detached: opts.detached ?? false, stdio: 'ignore' },
      );
      if (opts.detached) child.unref();
      await waitForPort(opts.port, child, 30_000);
      await handle.truncate(0);
      await handle.write(JSON.stringify({ pid: child.pid, port: opts.port, state: 'running' }), 0);
      await handle.close();
      return {
        uri,
        port: opts.port,
        stop: async () => {
          if (child.exitCode === null) {
            const exited = new Promise((r) => child.once('exit', r));
            child.kill('SIGTERM');
            await exited;
          }
          await rm(lockPath, { force: true });
        },
      };
    } catch (err) {
      await handle.close().catch(() => {});
      await rm(lockPath, { force: true });
      throw err;
    }
  }
  throw new Error(`timed out waiting for the FerretDB lock ${lockPath}`);
}

interface Lock {
  pid: number;
  port: number;
  state: 'starting' | 'running';
}

async function readLock(path: string): Promise<Lock | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Lock>;
    if (typeof parsed.pid === 'number' && typeof parsed.port === 'number') {
      return { pid: parsed.pid, port: parsed.port, state: parsed.state === 'starting' ? 'starting' : 'running' };
    }
  } catch {
    // fall through: written this instant, read again shortly
  }
  return { pid: process.pid, port: -1, state: 'starting' };
}
