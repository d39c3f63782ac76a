import type { DistrictSummary } from './district-summary';
import { SECTION_CARRIED, SECTION_THIS_WEEK } from './messages';
import { WEEKLY_COLUMNS, type WeeklyList } from './weekly-list';
import { COUNT_COLUMNS, countTextCells } from '../counts/summary-table';
import { LIST_COLUMNS, listCells } from './list-columns';

/** Excel reads UTF-8 (and so Korean) only when the file starts with a byte-order mark. */
const BOM = '\uFEFF';

/**
 * A cell Excel or Sheets would run as a formula (= + - @, or a tab/CR that hides one) gets a
 * leading apostrophe, so a reported name like "=HYPERLINK(...)" stays text.
 */
export function csvCell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const lines = (rows: (string | number)[][]) => BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/** One table: the form's columns, then a 구분 column telling this week's rows from carried ones. */
export function weeklyListCsv(list: WeeklyList): string {
  const head = [...WEEKLY_COLUMNS.map((c) => c.header), '구분'];
  const body = [
    ...list.thisWeek.map((r) => [...WEEKLY_COLUMNS.map((c) => r[c.key]), SECTION_THIS_WEEK]),
    ...list.carried.map((r) => [...WEEKLY_COLUMNS.map((c) => r[c.key]), SECTION_CARRIED]),
  ];
  return lines([head, ...body]);
}

export function summaryCsv(s: DistrictSummary): string {
  const head = ['분류', ...COUNT_COLUMNS.map((c) => c.header)];
  return lines([
    head,
    ...s.byDong.map((l) => ['동', ...countTextCells(l)]),
    ...s.byPartner.map((l) => ['기관', ...countTextCells(l)]),
    ['전체', ...countTextCells(s.total)],
    ...(s.byList.length ? [[], ['분류', ...LIST_COLUMNS], ...s.byList.map((l) => ['명단', ...listCells(l)])] : []),
  ]);
}
