import ExcelJS from 'exceljs';
import { ImportFileError } from '../errors';
import type { FileSource } from '../../domain/list-import/file-source';
import type { RawRow } from './raw-row';

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as text. Dates are calendar dates (Excel stores them without a zone; exceljs reads UTC). */
function cellText(value: unknown, row: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(10)));
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date)
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    // A formula is never evaluated, and its cached result may be stale: the whole file is refused.
    if ('formula' in v || 'sharedFormula' in v) throw new ImportFileError('formula', row);
    if (Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((t) => t.text).join('');
    if (typeof v.text === 'string') return v.text; // hyperlink
    if ('error' in v) return '';
  }
  return String(value);
}

/**
 * Streams the first worksheet's rows with exceljs's WorkbookReader: the sheet XML is parsed as it
 * inflates and each row is handed over and dropped, so a 20,000-row workbook never sits in memory
 * as a whole. Shared strings are cached (they are the workbook's own dictionary).
 */
export async function* xlsxRows(source: FileSource): AsyncGenerator<RawRow> {
  const input = source.stream();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let lastRow = 0;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) cells.push(cellText(values[c], row.number));
        lastRow = row.number;
        yield { row: row.number, cells };
      }
      break; // a list is the first sheet
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('broken_xlsx', lastRow ? lastRow + 1 : undefined);
  } finally {
    input.destroy();
  }
}
