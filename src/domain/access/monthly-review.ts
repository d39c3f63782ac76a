import { isBusinessDay } from '../same-day';
import { seoulDate, seoulHour } from '../time';
import type { AccessRecord } from './access-record';

/** Working hours in Seoul: a business day, 08:00 to 19:00 (later or earlier is worth a look). */
export const WORKING_HOURS = { from: 8, to: 19 } as const;

export function outsideWorkingHours(at: Date): boolean {
  const hour = seoulHour(at);
  return !isBusinessDay(seoulDate(at)) || hour < WORKING_HOURS.from || hour >= WORKING_HOURS.to;
}

export interface ReviewLine {
  actor: string;
  role: string;
  records: number;
  /** Distinct reports opened, listed, downloaded or changed. */
  cases: number;
  views: number;
  downloads: number;
  changes: number;
  outsideHours: number;
  failedSignIns: number;
}

export type ReviewFlag = {
  actor: string;
  kind: 'outside_hours' | 'many_downloads' | 'many_cases' | 'failed_sign_ins';
  count: number;
};

export const FLAG_LABELS: Record<ReviewFlag['kind'], string> = {
  outside_hours: '근무시간 외 접속',
  many_downloads: '내려받기 과다',
  many_cases: '열람 건수 과다',
  failed_sign_ins: '로그인 실패 반복',
};

export interface MonthlyReview {
  month: string;
  records: number;
  lines: ReviewLine[];
  flags: ReviewFlag[];
}

export interface ReviewLimits {
  /** Downloads and exports per account and month above which the account is flagged. */
  downloads: number;
  /** Distinct cases per account and month above which the account is flagged. */
  cases: number;
}

/**
 * The monthly check the 안전성 확보조치 기준 asks for: per account, how many cases it handled,
 * how often outside working hours, and whether it downloaded unusually much.
 */
export function monthlyReview(month: string, records: AccessRecord[], limits: ReviewLimits): MonthlyReview {
  const byActor = new Map<string, ReviewLine & { caseSet: Set<string> }>();
  for (const r of records) {
    let line = byActor.get(r.actor);
    if (!line) {
      line = {
        actor: r.actor,
        role: r.role,
        records: 0,
        cases: 0,
        views: 0,
        downloads: 0,
        changes: 0,
        outsideHours: 0,
        failedSignIns: 0,
        caseSet: new Set(),
      };
      byActor.set(r.actor, line);
    }
    if (r.role) line.role = r.role;
    line.records++;
    for (const no of r.receiptNos) line.caseSet.add(no);
    if (r.action === 'view') line.views++;
    if (r.action === 'download' || r.action === 'export') line.downloads++;
    if (r.action === 'change' || r.action === 'anonymise') line.changes++;
    if (r.action === 'sign_in_failed') line.failedSignIns++;
    else if (outsideWorkingHours(r.at)) line.outsideHours++;
  }
  const lines = [...byActor.values()]
    .map(({ caseSet, ...l }) => ({ ...l, cases: caseSet.size }))
    .sort((a, b) => b.cases - a.cases || a.actor.localeCompare(b.actor));
  const flags: ReviewFlag[] = [];
  for (const l of lines) {
    if (l.outsideHours > 0) flags.push({ actor: l.actor, kind: 'outside_hours', count: l.outsideHours });
    if (l.downloads > limits.downloads) flags.push({ actor: l.actor, kind: 'many_downloads', count: l.downloads });
    if (l.cases > limits.cases) flags.push({ actor: l.actor, kind: 'many_cases', count: l.cases });
    if (l.failedSignIns >= 10) flags.push({ actor: l.actor, kind: 'failed_sign_ins', count: l.failedSignIns });
  }
  return { month, records: records.length, lines, flags };
}

/** `2026-11` → its first instant and the next month's, in Seoul. */
export function monthRange(month: string): { from: Date; to: Date } | undefined {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  return { from: new Date(`${month}-01T00:00:00+09:00`), to: new Date(`${next}-01T00:00:00+09:00`) };
}
