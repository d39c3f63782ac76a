import ExcelJS from 'exceljs';
import { countSheet, titledSheet } from './sheet';
import type { DistrictSummary } from '../domain/weekly/district-summary';
import { weekLabelKo } from '../domain/weekly/iso-week';
import { listTitle, SHEET_CARRIED, SHEET_THIS_WEEK } from '../domain/weekly/messages';
import { LIST_COLUMNS, listCells } from '../domain/weekly/list-columns';
import { WEEKLY_COLUMNS, type WeeklyList, type WeeklyRow } from '../domain/weekly/weekly-list';

/** A Seoul calendar date as the date Excel shows (Excel dates carry no zone). */
const excelDate = (ymd: string) => new Date(`${ymd}T00:00:00Z`);

/**
 * One sheet of the list: title and period rows, then the form's header on row 3 (repeated on
 * every printed page), landscape and one page wide, so it prints as the center files it.
 */
function rowsSheet(wb: ExcelJS.Workbook, name: string, list: WeeklyList, rows: WeeklyRow[]): void {
  const title = `${listTitle(list.district.name, list.dong.name)}${name === SHEET_CARRIED ? ` (${SHEET_CARRIED})` : ''}`;
  const period = `${list.week.id} · ${weekLabelKo(list.week)}${name === SHEET_CARRIED ? ' 이전 접수, 아직 종결되지 않은 신고' : ''}`;
  const ws = titledSheet(wb, name, title, period, WEEKLY_COLUMNS);
  for (const r of rows) {
    const added = ws.addRow(
      WEEKLY_COLUMNS.map((c) =>
        c.key === 'receivedDate'
          ? excelDate(r.receivedDate)
          : c.key === 'birth'
            ? r.birth
              ? excelDate(r.birth)
              : null
            : r[c.key],
      ),
    );
    added.alignment = { vertical: 'top', wrapText: true };
  }
  ws.getColumn(WEEKLY_COLUMNS.findIndex((c) => c.key === 'receivedDate') + 1).numFmt = 'yyyy-mm-dd';
  ws.getColumn(WEEKLY_COLUMNS.findIndex((c) => c.key === 'birth') + 1).numFmt = 'yyyy-mm-dd';
}

/** The dong center's workbook: this week's reports and, on a second sheet, earlier ones still open. */
export async function weeklyListXlsx(list: WeeklyList): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = `${list.district.name} 복지사각지대 신고 (Sagak)`;
  wb.title = `${list.dong.name} ${list.week.id} 주간 신고 목록`;
  rowsSheet(wb, SHEET_THIS_WEEK, list, list.thisWeek);
  rowsSheet(wb, SHEET_CARRIED, list, list.carried);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The welfare policy division's workbook: one sheet per dong and one per partner, totals last. */
export async function summaryXlsx(s: DistrictSummary): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = `${s.district.name} ${s.week.id} 주간 처리 현황`;
  const period = `${s.week.id} · ${weekLabelKo(s.week)}`;
  countSheet(wb, '동별 현황', `${s.district.name} 복지사각지대 신고 처리 현황 (동별)`, period, s.byDong, s.total);
  countSheet(
    wb,
    '기관별 현황',
    `${s.district.name} 복지사각지대 신고 처리 현황 (기관별)`,
    period,
    s.byPartner,
    s.total,
  );
  if (s.byList.length) {
    const ws = titledSheet(
      wb,
      '명단별 현황',
      `${s.district.name} 기관 명단 진행 현황`,
      period,
      LIST_COLUMNS.map((h, i) => ({ header: h, width: i === 0 ? 30 : 12 })),
    );
    for (const l of s.byList) ws.addRow(listCells(l));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
