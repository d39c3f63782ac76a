import type { ReportFilter, ReportScope } from '../../domain/report/scope';

export type { ReportFilter, ReportScope };

export function scopeQuery(scope: ReportScope): Record<string, unknown> {
  return scope.kind === 'dong'
    ? { district: scope.district, assignedDongCode: scope.dongCode }
    : { district: scope.district };
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
    q.receivedAt = {
      ...(f.receivedFrom ? { $gte: f.receivedFrom } : {}),
      ...(f.receivedBefore ? { $lt: f.receivedBefore } : {}),
    };
  }
  if (f.duplicatesOnly) q.duplicateState = 'suspected';
  if (f.unconsulted) q.consultation = null;
  if (f.assignee !== undefined) q.assignee = f.assignee ?? { $in: [null] };
  if (f.noDong && !f.dongCode) q.assignedDongCode = { $in: [null] };
  if (f.text) q.$or = textConditions(f.text, f.textInReporter);
  return q;
}

/**
 * Plain text finds a report by receipt number, the person's name, phone (digits with or
 * without dashes or spaces), address or situation, and (for the call center) the reporter's name.
 * The text is matched literally.
 */
export function textConditions(text: string, inReporter = false): Record<string, unknown>[] {
  const re = { $regex: escapeRegex(text), $options: 'i' };
  const or: Record<string, unknown>[] = [
    { receiptNo: re },
    { 'person.name': re },
    { 'address.text': re },
    { situation: re },
  ];
  if (inReporter) or.push({ 'reporterContact.name': re });
  const digits = text.replace(/[\s-]/g, '');
  if (/^\d{3,11}$/.test(digits)) or.push({ 'person.phone': { $regex: digits.split('').join('[\\s-]?') } });
  return or;
}

/** The sort of each queue order; the receipt number last keeps pages stable. */
export function sortOf(sort: ReportFilter['sort']): Record<string, 1 | -1> {
  switch (sort ?? 'urgency') {
    case 'received':
      return { receivedAt: 1, receiptNo: 1 };
    case 'received_desc':
      return { receivedAt: -1, receiptNo: -1 };
    case 'name':
      return { 'person.name': 1, receivedAt: 1, receiptNo: 1 };
    case 'address':
      return { 'address.text': 1, receivedAt: 1, receiptNo: 1 };
    case 'dong':
      return { assignedDongCode: 1, urgencyRank: 1, receivedAt: 1, receiptNo: 1 };
    default:
      return { urgencyRank: 1, receivedAt: 1, receiptNo: 1 };
  }
}

/** The filter inside the scope: a dong filter can narrow a dong user's scope, never widen it. */
export function scoped(scope: ReportScope, filter: ReportFilter): Record<string, unknown> {
  const q = { ...searchQuery(filter), ...scopeQuery(scope) };
  if (scope.kind === 'dong' && filter.dongCode && filter.dongCode !== scope.dongCode) q.assignedDongCode = { $in: [] };
  return q;
}

/** The same order in memory, for results merged from the working set and the archive. */
export function compareBy(order: Record<string, 1 | -1>): (a: object, b: object) => number {
  const get = (o: object, path: string) =>
    path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null | undefined)?.[k], o);
  return (a, b) => {
    for (const [path, dir] of Object.entries(order)) {
      const x = get(a, path) as string | number | Date | null | undefined;
      const y = get(b, path) as string | number | Date | null | undefined;
      if (x === y) continue;
      if (x === null || x === undefined) return -dir;
      if (y === null || y === undefined) return dir;
      const c = x instanceof Date && y instanceof Date ? x.getTime() - y.getTime() : String(x).localeCompare(String(y));
      if (c) return c * dir;
    }
    return 0;
  };
}
