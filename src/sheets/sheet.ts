import type ExcelJS from 'exceljs';
import { COUNT_COLUMNS, countCells } from '../domain/counts/summary-table';
import type { CountLine } from '../domain/counts/tally';

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };

/**
 * A sheet that prints as people file it: a bold title, the period, then the header row on row 3,
 * frozen and repeated on every printed page, landscape and one page wide.
 */
export function titledSheet(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  period: string,
  columns: { header: string; width: number }[],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '3:3',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
    },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  const last = columns.length;
  ws.mergeCells(1, 1, 1, last);
  ws.getCell(1, 1).value = title;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.mergeCells(2, 1, 2, last);
  ws.getCell(2, 1).value = period;
  const head = ws.getRow(3);
  head.values = columns.map((c) => c.header);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  head.eachCell((cell) => (cell.fill = HEADER_FILL));
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: last } };
  return ws;
}

/**
 * One count table (the division's "114 households, 88 visited, 77%"): counts as numbers, rates
 * as numbers formatted as percentages, so a sheet can sum or chart them; the total row in bold.
 */
export function countSheet(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  period: string,
  lines: CountLine[],
  total?: CountLine,
): ExcelJS.Worksheet {
  const ws = titledSheet(
    wb,
    name,
    title,
    period,
    COUNT_COLUMNS.map((c) => ({ header: c.header, width: c.key === 'label' ? 22 : 11 })),
  );
  for (const l of total ? [...lines, total] : lines) ws.addRow(countCells(l));
  COUNT_COLUMNS.forEach((c, i) => {
    if ('rate' in c) ws.getColumn(i + 1).numFmt = '0%';
  });
  if (total) ws.lastRow!.font = { bold: true };
  return ws;
}
