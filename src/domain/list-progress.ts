import type { District } from './district';
import { isClosed, isConsulted, isInFollowUp, isMergedDuplicate, isVisited } from './counts/definitions';
import type { Report } from './report/report';

/** A list followed to its end, as the seed counts it ("114 households, 88 visited, 77%"). */
export interface ListProgress {
  label: string;
  households: number;
  /** Assigned to a dong center (at filing or later). */
  assigned: number;
  consulted: number;
  visited: number;
  followUp: number;
  closed: number;
  /** Households per dong (미배정 for none yet). */
  byDong: { dongName: string; households: number; visited: number }[];
}

export const PROGRESS_COLUMNS = [
  { key: 'households', header: '세대' },
  { key: 'assigned', header: '동 배정' },
  { key: 'consulted', header: '1차 상담' },
  { key: 'visited', header: '방문' },
  { key: 'followUp', header: '사후관리 중' },
  { key: 'closed', header: '종결' },
] as const;

/** "88 (77%)": a count and its share of the households. */
export const withRate = (n: number, of: number) => (of ? `${n} (${Math.round((n / of) * 100)}%)` : '0');

/** Counts a list's households by how far each got, from the reports it created or found again. */
export function listProgress(label: string, reports: Report[], district: District): ListProgress {
  const byDong = new Map<string, { dongName: string; households: number; visited: number }>();
  const p: ListProgress = {
    label,
    households: 0,
    assigned: 0,
    consulted: 0,
    visited: 0,
    followUp: 0,
    closed: 0,
    byDong: [],
  };
  const seen = new Set<string>();
  for (const r of reports) {
    // counted by src/domain/counts/definitions, as the summary and the dashboard count
    if (seen.has(r.receiptNo) || isMergedDuplicate(r)) continue;
    seen.add(r.receiptNo);
    p.households++;
    if (r.assignedDongCode) p.assigned++;
    if (isConsulted(r)) p.consulted++;
    if (isVisited(r)) p.visited++;
    if (isInFollowUp(r)) p.followUp++;
    if (isClosed(r)) p.closed++;
    const dongName = r.assignedDongCode
      ? (district.dongByCode(r.assignedDongCode)?.name ?? r.assignedDongCode)
      : '미배정';
    const line = byDong.get(dongName) ?? { dongName, households: 0, visited: 0 };
    line.households++;
    if (isVisited(r)) line.visited++;
    byDong.set(dongName, line);
  }
  const order = new Map(district.dongs.map((d, i) => [d.name, i]));
  p.byDong = [...byDong.values()].sort((a, b) => (order.get(a.dongName) ?? 999) - (order.get(b.dongName) ?? 999));
  return p;
}
