import { randomUUID } from 'node:crypto';
import type { Connection, mongo } from 'mongoose';
import { coalescedRuns } from '../coalesced-runs';
import { isDuplicateKey } from '../duplicate-key';

/**
 * The change tokens' collection: one tiny document per district and set of copies,
 * `{_id: prefix + district, token}` (the open copies' prefix is empty), and the closed copies'
 * readiness marks (closed-copies.ts).
 */
export const OPEN_COPY_TOKENS = 'open_copy_tokens';

/** How many districts one process keeps (a service serves one district; tests and tools a few). */
const MAX_DISTRICTS = 8;
/**
 * The longest a cache answers without reading the copies again. A writer that dies between its
 * copy write and its token write leaves the token as it was: this bounds how long another instance
 * can miss that one copy (the next reconcile also sets a new token).
 */
const MAX_AGE_MS = 60_000;

interface TokenDoc {
  _id: string;
  token: string;
}

const tokensOf = (conn: Connection) => conn.collection(OPEN_COPY_TOKENS) as unknown as mongo.Collection<TokenDoc>;

/**
 * A per-process cache of each district's unpacked open copies, valid while the district's change
 * token is the one it was filled under. Every write of a district's copies sets a new random
 * token after the copy write (`changed`); every read reads the token by `_id` (one tiny
 * document) before anything else, and reads the copies only when the token moved.
 *
 * Why no reader keeps stale copies under a current token: a reader fills its cache under the token
 * it read at t1 with copies it read at t2 > t1. A copy write after t2 is missing from the cache,
 * but its writer sets a fresh token after it, so after t1: once that write returns, the token is
 * no longer the one cached under, and the next read reloads. (A copy write before t2 is in the
 * cache already. A reader that reads the same token later and takes the cached or still-loading
 * copies is in the same place: any write finished before its token read changed the token.) Tokens are random and only ever set whole by `_id` — never incremented — so
 * racing writers need no atomic update (FerretDB 1.24 has none): whichever token lands last is
 * still one no reader has cached under. A missing token document (a fresh database, data from
 * before tokens, or after `forget`) is created by the reader with an insert before it reads the
 * copies; a racing writer's token either lands after that insert (and invalidates it) or before it
 * (the insert fails, and the reader reads the writer's token). On MongoDB the same holds.
 */
export function districtCache<T>(conn: Connection, keyPrefix = '') {
  const tokens = tokensOf(conn);
  // A value still loading is shared too: readers that read the same token (the today pages of ten
  // staff polling together) wait for the one load instead of each reading the copies.
  const entries = new Map<string, { token: string; at: number; value: Promise<T> }>();

  /** The district's token, creating one if there is none. */
  async function tokenOf(district: string): Promise<string> {
    const key = keyPrefix + district;
    const found = await tokens.findOne({ _id: key });
    if (found) return found.token;
    const token = randomUUID();
    try {
      await tokens.insertOne({ _id: key, token });
      return token;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return (await tokens.findOne({ _id: key }))?.token ?? randomUUID(); // gone again (forgotten): one read uncached
    }
  }

  return {
    /** The district's value: cached while its token holds, else `load()` (called after the token is read). */
    async read(district: string, load: () => Promise<T>): Promise<T> {
      const token = await tokenOf(district);
      const hit = entries.get(district);
      if (hit && hit.token === token && performance.now() - hit.at < MAX_AGE_MS) return hit.value;
      const entry = { token, at: performance.now(), value: load() };
      entries.delete(district);
      entries.set(district, entry);
      if (entries.size > MAX_DISTRICTS) entries.delete(entries.keys().next().value!);
      try {
        return await entry.value;
      } catch (err) {
        if (entries.get(district) === entry) entries.delete(district); // a failed load is not kept
        throw err;
      }
    },
    /**
     * Called after every write of a district's copies: every instance's next read reloads them.
     * Writes that finish while a new token is being set share the next one, which is set after
     * all of them (fifty filings at once set two or three tokens, not fifty updates in a row).
     */
    changed: coalescedRuns(async (district: string): Promise<void> => {
      const doc = { _id: keyPrefix + district, token: randomUUID() };
      try {
        await tokens.replaceOne({ _id: doc._id }, doc, { upsert: true });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // a racing writer inserted it first: replace that one
        await tokens.replaceOne({ _id: doc._id }, doc);
      }
    }),
    /** After writes of any district (a reconcile of all of them): every instance's caches reload. */
    forgetAll: () => forgetOpenCopyTokens(conn),
  };
}

/** Drops every district's token (a write past the store, e.g. a test's raw copy): every cache reloads. */
export async function forgetOpenCopyTokens(conn: Connection): Promise<void> {
  await tokensOf(conn).deleteMany({});
}
