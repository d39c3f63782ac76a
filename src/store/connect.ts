import mongoose from 'mongoose';
import type { Config } from '../config';
import { startFerretDb, type FerretDbServer } from './embedded/ferretdb-server';

// Mongoose keeps each query's stack (`new Error().stack`) only to name where a query object was
// run twice; with source maps on, that capture was ≈2% of a chat turn's CPU (every turn runs
// several queries). None of our queries is reused.
mongoose.set('skipOriginalStackTraces', true);

export interface Database {
  connection: mongoose.Connection;
  /** Closes the connection; stops an embedded server only if this process started it. */
  close(): Promise<void>;
}

/**
 * Opens a dedicated connection (not mongoose's global one) so tests and tools can hold several.
 * Short server-selection timeouts let a chat turn fail fast and answer "try again" in time
 * instead of waiting on a database that is down; no command buffering for the same reason.
 */
export async function connectDatabase(uri: string, dbName?: string): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 2_500,
    connectTimeoutMS: 2_500,
    socketTimeoutMS: 20_000,
    heartbeatFrequencyMS: 1_000,
    bufferCommands: false,
    ignoreUndefined: true, // an unset answer stays absent instead of becoming null
    autoIndex: false,
  });
  await connection.asPromise();
  return connection;
}

/** The service's database: MONGODB_URI when set, else the embedded FerretDB shared with the admin CLI. */
export async function openDatabase(config: Config): Promise<Database> {
  let embedded: FerretDbServer | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startFerretDb({
      port: config.FERRETDB_PORT,
      dataDir: config.FERRETDB_DATA_DIR,
      cacheDir: config.SAGAK_CACHE_DIR,
      detached: true,
    });
    uri = embedded.uri;
  }
  const connection = await connectDatabase(uri, uri === embedded?.uri ? 'sagak' : undefined);
  return {
    connection,
    close: async () => {
      await connection.close();
    },
  };
}
