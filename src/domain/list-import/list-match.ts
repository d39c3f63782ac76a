import type { HistoryEntry, Report } from '../report/report';
import { isOpen } from '../report/status';

/**
 * A list that named a household with an open report: the report is not filed again, the list's
 * row is noted on it. Kept beside the report rather than in its history, so a list's links are
 * one small insert each instead of a new revision of every linked report (on FerretDB 1.24 a
 * report's revision rewrites it by scanning the whole working set: ≈90–150 ms a link).
 */
export interface ListMatch {
  reportId: string;
  district: string;
  importId: string;
  listName: string;
  /** The row of the list (its number in the file, header included). */
  line: number;
  at: Date;
  /** Who committed the list (`user:<username>`, or the CLI's name). */
  by: string;
}

/** The history action a list match is shown as (its label: console/messages.ts). */
export const LIST_MATCH_ACTION = 'list_match';

/** Only an open report is linked: a closed one gets a new report for the household. */
export const mayBeLinked = (report: Pick<Report, 'status'>): boolean => isOpen(report.status);

/** A list match as a line of the case's history. */
export const listMatchEntry = (m: ListMatch): HistoryEntry => ({
  at: m.at,
  by: m.by,
  action: LIST_MATCH_ACTION,
  note: `「${m.listName}」 명단 ${m.line}행에서 다시 확인됨`,
});

/** The report's history with its list matches in their place in time (the case page's timeline). */
export function withListMatches<R extends Pick<Report, 'history'>>(report: R, matches: readonly ListMatch[]): R {
  if (!matches.length) return report;
  const history = [...report.history, ...matches.map(listMatchEntry)].sort(
    (a, b) => new Date(a.at).getTime() - new Date(b.at).getTime(),
  );
  return { ...report, history };
}
