import { signLabel, type District } from '../district';
import type { Report } from '../report/report';
import { URGENCIES, type Urgency } from '../report/urgency';
import { seoulParts } from '../time';
import { weekOf } from '../weekly/iso-week';
import { isConsulted } from './consultation';
import {
  isClosed,
  isConsultedSameDay,
  isSameDayPending,
  isInFollowUp,
  isMergedDuplicate,
  isVisitAbsent,
  isVisited,
  rate,
} from './definitions';

/** One line of the welfare policy division's count ("114 households, 88 visited, 77%"). */
export interface CountLine {
  /** Stable key of the group: a dong code, partner id, sign code, "2026-11", "2026-W47", "total". */
  key: string;
  label: string;
  /** Reports received in the period, merged duplicates left out (they are the earlier household). */
  received: number;
  /** With a first consultation, whenever it happened. */
  consulted: number;
  /** First consultation within the same business day. */
  consultedSameDay: number;
  /**
   * Not consulted yet and still inside the same-day deadline at the time of counting (진행 중):
   * neither a success nor a failure yet, so left out of the same-day rate.
   */
  sameDayPending: number;
  /** The latest visit met the household. */
  visited: number;
  /** The latest visit met nobody (부재). */
  absent: number;
  followUp: number;
  closed: number;
  /** Received and not closed. */
  open: number;
  /** Merged into an earlier report of the same household (not in `received`). */
  merged: number;
  byUrgency: Record<Urgency, number>;
}

export const emptyLine = (key: string, label: string): CountLine => ({
  key,
  label,
  received: 0,
  consulted: 0,
  consultedSameDay: 0,
  sameDayPending: 0,
  visited: 0,
  absent: 0,
  followUp: 0,
  closed: 0,
  open: 0,
  merged: 0,
  byUrgency: Object.fromEntries(URGENCIES.map((u) => [u.value, 0])) as Record<Urgency, number>,
});

/**
 * Adds one report to a line: the only place the definitions become numbers. `now` is the time of
 * counting (a deadline still ahead of it is 진행 중); without it every deadline counts as passed.
 */
export function addReport(line: CountLine, r: Report, now?: Date): void {
  if (isMergedDuplicate(r)) {
    line.merged++;
    return;
  }
  line.received++;
  line.byUrgency[r.urgency]++;
  if (isConsulted(r)) line.consulted++;
  if (isConsultedSameDay(r)) line.consultedSameDay++;
  else if (now && isSameDayPending(r, now)) line.sameDayPending++;
  if (isVisited(r)) line.visited++;
  if (isVisitAbsent(r)) line.absent++;
  if (isInFollowUp(r)) line.followUp++;
  if (isClosed(r)) line.closed++;
  else line.open++;
}

/** Consulted the same day, of the reports whose same-day deadline has passed (진행 중 left out). */
export const sameDayRate = (l: CountLine) => rate(l.consultedSameDay, l.received - l.sameDayPending);
export const visitRate = (l: CountLine) => rate(l.visited, l.received);

/** The period's reports counted by every dimension the division reads. */
export interface Tally {
  total: CountLine;
  /** Every dong of the district (even with none), then 미배정 when some report has no dong. */
  byDong: CountLine[];
  /** Partners with reports, most first. */
  byPartner: CountLine[];
  /** Every sign of the district's list; a report counts once under each of its signs. */
  bySign: CountLine[];
  /** Seoul calendar months, oldest first. */
  byMonth: CountLine[];
  /** ISO weeks (Seoul), oldest first. */
  byWeek: CountLine[];
}

export const UNASSIGNED_KEY = 'unassigned';

function grouped(
  reports: Report[],
  keyOf: (r: Report) => string[],
  labelOf: (key: string, r: Report) => string,
  seed: CountLine[] = [],
  now?: Date,
): Map<string, CountLine> {
  const lines = new Map(seed.map((l) => [l.key, l]));
  for (const r of reports) {
    for (const key of keyOf(r)) {
      if (!lines.has(key)) lines.set(key, emptyLine(key, labelOf(key, r)));
      addReport(lines.get(key)!, r, now);
    }
  }
  return lines;
}

const monthKey = (d: Date) => {
  const { year, month } = seoulParts(d);
  return `${year}-${String(month).padStart(2, '0')}`;
};

/**
 * Counts reports (those received in a period, as the repository returns them) by dong, partner,
 * sign, month and week. Weeks and months of the period with no report are filled in by the
 * caller that knows the period (see `countPeriod`).
 */
export function tally(district: District, reports: Report[], now?: Date): Tally {
  const sorted = [...reports].sort(
    (a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.receiptNo.localeCompare(b.receiptNo),
  );
  const total = emptyLine('total', '합계');
  for (const r of sorted) addReport(total, r, now);

  const dongs = grouped(
    sorted,
    (r) => [r.assignedDongCode && district.dongByCode(r.assignedDongCode) ? r.assignedDongCode : UNASSIGNED_KEY],
    () => '미배정',
    district.dongs.map((d) => emptyLine(d.code, d.name)),
    now,
  );
  const unassigned = dongs.get(UNASSIGNED_KEY);
  dongs.delete(UNASSIGNED_KEY);

  const partners = grouped(
    sorted,
    (r) => [r.partner.id ?? r.partner.name],
    (_k, r) => r.partner.name ?? '알 수 없음',
    [],
    now,
  );
  const signs = grouped(
    sorted,
    (r) => r.signs,
    (code) => signLabel(district, code),
    district.signs.map((s) => emptyLine(s.code, s.label)),
    now,
  );
  const months = grouped(
    sorted,
    (r) => [monthKey(r.receivedAt)],
    (k) => `${Number(k.slice(0, 4))}년 ${Number(k.slice(5))}월`,
    [],
    now,
  );
  const weeks = grouped(
    sorted,
    (r) => [weekOf(r.receivedAt).id],
    (k) => k,
    [],
    now,
  );

  const byKey = (a: CountLine, b: CountLine) => a.key.localeCompare(b.key);
  return {
    total,
    byDong: [...dongs.values(), ...(unassigned ? [unassigned] : [])],
    byPartner: [...partners.values()].sort((a, b) => b.received - a.received || a.label.localeCompare(b.label, 'ko')),
    bySign: [...signs.values()],
    byMonth: [...months.values()].sort(byKey),
    byWeek: [...weeks.values()].sort(byKey),
  };
}
