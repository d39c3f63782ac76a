/**
 * A console session. Only the SHA-256 of the bearer token is stored, so a database dump signs
 * nobody in. Expiry is a query (`expiresAt > now`) plus a purge: FerretDB has no TTL indexes.
 */
export interface Session {
  tokenHash: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  /** The console's queue filters, kept here so no search text ends up in a URL. */
  filters: Record<string, string>;
}
