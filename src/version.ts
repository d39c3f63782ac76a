import { readFileSync } from 'node:fs';

/** Sagak's version, from package.json (named in backups and on /metrics). */
export const SAGAK_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
