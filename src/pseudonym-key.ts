import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from './config';

export class PseudonymKeyError extends Error {}

/** Where the embedded default keeps its generated key: beside the FerretDB data folder. */
export const pseudonymKeyFile = (config: Config) => join(dirname(config.FERRETDB_DATA_DIR), 'log-pseudonym.key');

/**
 * The key for log pseudonyms: LOG_PSEUDONYM_SECRET when set; with the embedded database, a key
 * generated once into the data folder (created exclusively, so two processes starting together
 * end up with the same one); in production on MONGODB_URI without the secret, an error (every
 * instance must share the key, so a per-host file would not do).
 */
export function loadPseudonymKey(config: Config): { key: string; source: 'env' | 'file' | 'process' } {
  if (config.LOG_PSEUDONYM_SECRET) return { key: config.LOG_PSEUDONYM_SECRET, source: 'env' };
  if (config.MONGODB_URI) {
    if (config.NODE_ENV === 'production')
      throw new PseudonymKeyError(
        'Invalid configuration: LOG_PSEUDONYM_SECRET: required (at least 32 characters) with MONGODB_URI in production',
      );
    return { key: randomBytes(32).toString('base64url'), source: 'process' };
  }
  return { key: keyFromFile(pseudonymKeyFile(config)), source: 'file' };
}

/**
 * A key kept in a file outside the database, generated once: created exclusively, so two
 * processes starting together end up reading the same key.
 */
export function keyFromFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return readFileSync(file, 'utf8').trim();
  }
}
