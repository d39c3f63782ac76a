import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type mongoose from 'mongoose';
import { connectDatabase } from '../../src/store/connect';
import { startFerretDb, type FerretDbServer } from '../../src/store/embedded/ferretdb-server';

/** A free loopback port, asked of the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  uri: string;
  /** Stops the server; its data folder stays for `restart` (the run's folder removes it at the end). */
  stop(): Promise<void>;
  /** Starts the same server again on the same port and data (for "database was down" tests). */
  restart(): Promise<void>;
  /** Stops the server and deletes its data. */
  remove(): Promise<void>;
}

/**
 * A real FerretDB on a free port with a temporary data folder, or TEST_MONGODB_URI when given
 * (`ownServer` always starts FerretDB: for tests that stop and restart their server).
 */
export async function startTestServer(opts: { ownServer?: boolean } = {}): Promise<TestServer> {
  const external = process.env.TEST_MONGODB_URI;
  if (external && !opts.ownServer)
    return { uri: external, stop: async () => {}, restart: async () => {}, remove: async () => {} };
  const dataDir = await mkdtemp(join(tmpdir(), 'sagak-test-db-'));
  const port = await freePort();
  let server: FerretDbServer = await startFerretDb({ port, dataDir });
  return {
    uri: server.uri,
    async stop() {
      await server.stop();
    },
    async restart() {
      server = await startFerretDb({ port, dataDir });
    },
    async remove() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let shared: Promise<TestServer> | undefined;

/** The run's shared server, started on first use and stopped by the root hook. */
export function sharedServer(): Promise<TestServer> {
  shared ??= startTestServer();
  return shared;
}

export async function stopSharedServer(): Promise<void> {
  if (shared) await (await shared).remove();
}

/** The server's connection string naming a database (its options, such as the pool size, kept). */
function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/** One database per test file on the shared server, dropped when the file is done. */
export async function testDatabase(
  name: string,
): Promise<{ connection: mongoose.Connection; uri: string; drop(): Promise<void> }> {
  const server = await sharedServer();
  const dbName = `sagak_test_${name.replace(/[^a-z0-9]/gi, '_')}_${process.pid}`;
  const connection = await connectDatabase(server.uri, dbName);
  await connection.dropDatabase();
  return {
    connection,
    uri: withDatabase(server.uri, dbName),
    async drop() {
      await connection.dropDatabase().catch(() => {});
      await connection.close();
    },
  };
}
