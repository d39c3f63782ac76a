import type { Request } from 'express';
import type { AccessAction } from '../domain/access/access-record';
import { clientIp, type AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';

export interface AccessFacts {
  action: AccessAction;
  receiptNos?: string[];
  scope?: string;
  rowCount?: number;
  detail?: string;
  /** For sign-in records, before any session exists. */
  actor?: string;
  role?: string;
}

/**
 * Appends the access record of a console or API request and resolves when it is stored. Routes
 * await it before sending, so a page that was served always has its record (a failed write fails
 * the request instead of serving data unrecorded).
 */
export async function recordAccess(
  deps: ConsoleDeps<'accessRecords'>,
  req: Request,
  facts: AccessFacts,
): Promise<void> {
  const auth = (req as Partial<AuthedRequest>).auth;
  await deps.repos.accessRecords.append({
    at: deps.now(),
    actor: facts.actor ?? auth?.actor.id ?? 'anonymous',
    role: facts.role ?? auth?.user.role ?? '',
    address: clientIp(req),
    channel: req.originalUrl.startsWith('/api') ? 'api' : 'console',
    action: facts.action,
    receiptNos: facts.receiptNos ?? [],
    scope: facts.scope ?? '',
    rowCount: facts.rowCount ?? facts.receiptNos?.length ?? 0,
    detail: facts.detail ?? '',
  });
}

/** A queue filter as it goes into a record: the keys and values, with search text replaced by its length. */
export function filterScope(filters: Record<string, unknown>): string {
  return Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => (k === 'q' ? `q=(${String(v).length}자)` : `${k}=${String(v)}`))
    .join(' ');
}
