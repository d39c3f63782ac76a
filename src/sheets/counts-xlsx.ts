import ExcelJS from 'exceljs';
import { URGENCIES } from '../domain/report/urgency';
import type { PeriodCounts } from '../domain/counts/count-period';
import { periodLabel } from '../domain/counts/period';
import { countSheet } from './sheet';

/**
 * The dashboard's tables as a workbook, for any period: per dong, partner, sign, month and week
 * (the week sheet adds the urgency columns). The same lines the page and the summary show.
 */
export async function countsXlsx(c: PeriodCounts): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = `${c.district.name} 복지사각지대 신고 처리 현황 ${periodLabel(c.period)}`;
  const period = `기간: ${periodLabel(c.period)} (접수일 기준)`;
  const title = (what: string) => `${c.district.name} 복지사각지대 신고 처리 현황 (${what})`;
  countSheet(wb, '동별', title('동별'), period, c.byDong, c.total);
  countSheet(wb, '기관별', title('협약기관별'), period, c.byPartner, c.total);
  // a report may carry several signs, so the sign lines do not add up to the total
  countSheet(wb, '징후별', title('위기 징후별, 한 신고가 여러 징후에 포함될 수 있음'), period, c.bySign);
  countSheet(wb, '월별', title('월별'), period, c.byMonth, c.total);
  const weeks = countSheet(wb, '주별', title('주별'), period, c.byWeek, c.total);
  const first = weeks.columnCount + 1;
  URGENCIES.forEach((u, i) => {
    const col = weeks.getColumn(first + i);
    col.width = 12;
    weeks.getCell(3, first + i).value = u.label;
    weeks.getCell(3, first + i).font = { bold: true };
    [...c.byWeek, c.total].forEach((l, r) => (weeks.getCell(4 + r, first + i).value = l.byUrgency[u.value]));
  });
  weeks.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: first + URGENCIES.length - 1 } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
