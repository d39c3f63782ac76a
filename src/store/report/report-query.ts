import type { ReportFilter, ReportScope } from '../../domain/report/scope';

export type { ReportFilter, ReportScope };

export function scopeQuery(scope: ReportScope): Record<string, unknown> {
  return scope.kind === 'dong' ? { district: scope.district, assignedDongCode: scope.dongCode } : { district: scope.district };
}

/** Escapes every regex metacharacter, so user text can only match itself. */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function searchQuery(f: ReportFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.statuses?.length) q.status = f.statuses.length === 1 ? f.statuses[0] : { $in: f.statuses };
  if (f.dongCode) q.assignedDongCode = f.dongCode;
  if (f.partnerId) q['partner.id'] = f.partnerId;
  if (f.urgency) q.urgency = f.urgency;
  if (f.sign) q.signs = f.sign;
  if (f.receivedFrom || f.receivedBefore) {
    q.receivedAt = { ...(f.receivedFrom ? { $gte: f.receivedFrom } : {}), ...(f.receivedBefore ? { $lt: f.receivedBefore } : {}) };
  }
  if (f.duplicatesOnly) q.duplicateState = 'suspected';
  if (f.unconsulted) q.consultation = null;
  if (f.text) {
    const re = { $regex: escapeRegex(f.text), $options: 'i' };
    q.$or = [{ 'address.text': re }, { situation: re }];
  }
  return q;
}

/** The filter inside the scope: a dong filter can narrow a dong user's scope, never widen it. */
export function scoped(scope: ReportScope, filter: ReportFilter): Record<string, unknown> {
  const q = { ...searchQuery(filter), ...scopeQuery(scope) };
  if (scope.kind === 'dong' && filter.dongCode && filter.dongCode !== scope.dongCode) q.assignedDongCode = { $in: [] };
  return q;
}
