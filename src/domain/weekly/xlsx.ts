import ExcelJS from 'exceljs';
import type { DistrictSummary, SummaryLine } from './district-summary';
import { PROGRESS_COLUMNS, withRate, type ListProgress } from '../list-progress';
import { SHEET_CARRIED, SHEET_THIS_WEEK, percent } from './messages';
import { WEEKLY_COLUMNS, type WeeklyList, type WeeklyRow } from './weekly-list';

/** A Seoul calendar date as the date Excel shows (Excel dates carry no zone). */
const excelDate = (ymd: string) => new Date(`${ymd}T00:00:00Z`);

function header(ws: ExcelJS.Worksheet, columns: { header: string; width: number; key?: string }[]): void {
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  const row = ws.getRow(1);
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

function rowsSheet(wb: ExcelJS.Workbook, name: string, rows: WeeklyRow[]): void {
  const ws = wb.addWorksheet(name);
  header(ws, WEEKLY_COLUMNS);
  for (const r of rows) {
    const added = ws.addRow({ ...r, receivedDate: excelDate(r.receivedDate) });
    added.alignment = { vertical: 'top', wrapText: true };
  }
  ws.getColumn('receivedDate').numFmt = 'yyyy-mm-dd';
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: WEEKLY_COLUMNS.length } };
}

/** The dong center's workbook: this week's reports and, on a second sheet, earlier ones still open. */
export async function weeklyListXlsx(list: WeeklyList): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = `${list.district.name} 복지사각지대 신고 (Sagak)`;
  wb.title = `${list.dong.name} ${list.week.id} 주간 신고 목록`;
  rowsSheet(wb, SHEET_THIS_WEEK, list.thisWeek);
  rowsSheet(wb, SHEET_CARRIED, list.carried);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const SUMMARY_COLUMNS = ['구분', '접수', '당일 상담', '당일 상담률', '방문', '방문율', '종결', '미처리'] as const;

export const summaryCells = (l: SummaryLine) => [
  l.label,
  l.received,
  l.consultedSameDay,
  percent(l.consultedSameDay, l.received),
  l.visited,
  percent(l.visited, l.received),
  l.closed,
  l.open,
];

/** A list's follow-up line: households, then each stage with its rate. */
export const LIST_COLUMNS = ['명단', ...PROGRESS_COLUMNS.map((c) => c.header)] as const;
export const listCells = (l: ListProgress) => [l.label, ...PROGRESS_COLUMNS.map((c) => (c.key === 'households' ? String(l.households) : withRate(l[c.key], l.households)))];

/** The welfare policy division's workbook: one sheet per dong and one per partner, totals last. */
export async function summaryXlsx(s: DistrictSummary): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = `${s.district.name} ${s.week.id} 주간 처리 현황`;
  for (const [name, lines] of [
    ['동별 현황', s.byDong],
    ['기관별 현황', s.byPartner],
  ] as const) {
    const ws = wb.addWorksheet(name);
    header(ws, SUMMARY_COLUMNS.map((h, i) => ({ header: h, width: i === 0 ? 22 : 11 })));
    for (const l of [...lines, s.total]) ws.addRow(summaryCells(l));
    ws.lastRow!.font = { bold: true };
  }
  if (s.byList.length) {
    const ws = wb.addWorksheet('명단별 현황');
    header(ws, LIST_COLUMNS.map((h, i) => ({ header: h, width: i === 0 ? 30 : 12 })));
    for (const l of s.byList) ws.addRow(listCells(l));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
