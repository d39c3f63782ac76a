import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Config } from './config';
import { keyFromFile, PseudonymKeyError } from './pseudonym-key';

/** Where the embedded default keeps its generated key: beside the FerretDB data folder, outside the database. */
export const accessRecordKeyFile = (config: Config) => join(dirname(config.FERRETDB_DATA_DIR), 'access-record.key');

/**
 * The key of the access records' HMAC chain: ACCESS_RECORD_SECRET when set; with the embedded
 * database, a key generated once into the data folder (created exclusively, so two processes
 * starting together share it; outside production also on MONGODB_URI, for the CLI beside the
 * service on one host). Never in the database: whoever can edit the records must not be able to
 * re-sign them. In production on MONGODB_URI without the secret, an error (every instance and the
 * CLI must share the key; a per-host file would make records unverifiable elsewhere).
 */
export function loadAccessRecordKey(config: Config): { key: string; source: 'env' | 'file' } {
  if (config.ACCESS_RECORD_SECRET) return { key: config.ACCESS_RECORD_SECRET, source: 'env' };
  if (config.MONGODB_URI && config.NODE_ENV === 'production') {
    throw new PseudonymKeyError(
      'Invalid configuration: ACCESS_RECORD_SECRET: required (at least 32 characters) with MONGODB_URI in production: the access records are signed with it',
    );
  }
  return { key: keyFromFile(accessRecordKeyFile(config)), source: 'file' };
}

let key: Buffer = randomBytes(32); // until start-up sets the configured one: never unkeyed

/** Sets the key the access records are chained with (start-up of the service and of the CLI). */
export function setAccessRecordKey(value: string | Buffer): void {
  key = Buffer.from(value);
}

/** The key the access records are chained and verified with. */
export const accessRecordKey = (): Buffer => key;
