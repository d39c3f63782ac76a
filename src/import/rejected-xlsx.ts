import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ListImport } from '../domain/list-import/list-import';
import { classify } from './classify';
import type { ImportDeps } from './list-import-service';
import { tableOf } from './list-import-service';
import { openCases } from './open-cases';
import type { FileSource } from '../domain/list-import/file-source';

/** Excel would run a cell starting with these as a formula: a leading ' keeps it text. */
const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/**
 * The refused rows as an XLSX the partner can fix and send again: the file's own columns in its
 * order, then 원본 행 (the row number in the uploaded file) and 사유 (the reason, in Korean).
 * Written with exceljs's streaming writer, row by row.
 */
export async function rejectedRowsXlsx(
  deps: ImportDeps,
  item: ListImport,
  now: Date,
  source?: FileSource,
): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('제외된 행', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    ...item.headers.map((h) => ({ header: h, width: 16 })),
    { header: '원본 행', width: 8 },
    { header: '사유', width: 50 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  if (item.mapping) {
    const table = await tableOf(deps, item, source);
    const open = await openCases(deps.repos.reports, deps.district);
    for await (const plan of classify({
      importId: item.id,
      table,
      mapping: item.mapping,
      district: deps.district,
      open,
      dongChoices: item.dongChoices,
      now,
    })) {
      if (plan.outcome !== 'rejected') continue;
      const cells = item.headers.map((_, i) => safe(plan.cells[i] ?? ''));
      sheet.addRow([...cells, plan.rowNo, plan.reason]).commit();
    }
  }
  sheet.commit();
  await workbook.commit();
  await done;
  return Buffer.concat(parts);
}
