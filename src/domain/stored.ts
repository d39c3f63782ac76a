/**
 * What a repository kept in the database also does: create the indexes its collections declare,
 * once at start-up (autoIndex is off, so the order is explicit; src/repositories.ts calls them all).
 */
export interface CreatesItsIndexes {
  ensureIndexes(): Promise<void>;
}
