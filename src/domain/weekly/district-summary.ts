import type { District } from '../district';
import { seoulDate } from '../time';
import type { Report } from '../report/report';
import type { ReportRepository } from '../report/repository';
import type { IsoWeek } from './iso-week';

/** One line of the welfare policy division's count ("114 households, 88 visited, 77%"). */
export interface SummaryLine {
  label: string;
  received: number;
  /** First consultation on the Seoul date the report came in (당일 상담). */
  consultedSameDay: number;
  visited: number;
  closed: number;
  open: number;
}

export interface DistrictSummary {
  district: { id: string; name: string };
  week: IsoWeek;
  total: SummaryLine;
  byDong: SummaryLine[];
  byPartner: SummaryLine[];
}

const empty = (label: string): SummaryLine => ({ label, received: 0, consultedSameDay: 0, visited: 0, closed: 0, open: 0 });

function add(line: SummaryLine, r: Report): void {
  line.received++;
  if (r.consultation && seoulDate(new Date(r.consultation.at)) === seoulDate(r.receivedAt)) line.consultedSameDay++;
  if (r.visit) line.visited++;
  if (r.status === 'closed') line.closed++;
  else line.open++;
}

/** Counts the week's reports per dong (every dong, even with none) and per partner; current statuses. */
export function summarize(district: District, week: IsoWeek, reports: Report[]): DistrictSummary {
  const total = empty('합계');
  const byDong = new Map(district.dongs.map((d) => [d.code, empty(d.name)]));
  const unassigned = empty('미배정');
  const byPartner = new Map<string, SummaryLine>();
  for (const r of [...reports].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())) {
    add(total, r);
    add((r.assignedDongCode && byDong.get(r.assignedDongCode)) || unassigned, r);
    const key = r.partner.id ?? r.partner.name;
    if (!byPartner.has(key)) byPartner.set(key, empty(r.partner.name ?? key));
    add(byPartner.get(key)!, r);
  }
  return {
    district: { id: district.id, name: district.name },
    week,
    total,
    byDong: [...byDong.values(), ...(unassigned.received ? [unassigned] : [])],
    byPartner: [...byPartner.values()].sort((a, b) => b.received - a.received || a.label.localeCompare(b.label, 'ko')),
  };
}

export async function buildDistrictSummary(deps: { reports: ReportRepository; district: District }, week: IsoWeek): Promise<DistrictSummary> {
  return summarize(deps.district, week, await deps.reports.receivedBetween(deps.district.id, week.start, week.end));
}
