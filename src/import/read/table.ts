import { normalizeText } from '../../domain/text/normalize';
import { ImportFileError } from '../errors';
import { MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS } from '../limits';
import { csvRows } from './csv-rows';
import type { FileSource } from '../../domain/list-import/file-source';
import type { RawRow } from './raw-row';
import { sniff, type FileKind } from './sniff';
import { checkXlsxZip } from './zip-guard';
import { xlsxRows } from './xlsx-rows';

export interface Table {
  kind: FileKind;
  headers: string[];
  headerRow: number;
  /** Data rows after the header, blank rows skipped; read again from the file on every call. */
  rows(): AsyncGenerator<RawRow>;
}

const isBlank = (cells: string[]) => cells.every((c) => !c || !c.trim());

function headersOf(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const base = c.replace(/\s+/g, ' ').trim() || `${i + 1}열`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/** Checks every limit a row must keep, whichever format it came from. */
async function* checked(rows: AsyncGenerator<RawRow>, headerRow: number, csv: boolean): AsyncGenerator<RawRow> {
  let count = 0;
  for await (const read of rows) {
    // the same letters as a chat message: NFC, no invisible or control characters (src/domain/text)
    const r = { row: read.row, cells: read.cells.map(normalizeText) };
    if (r.row <= headerRow || isBlank(r.cells)) continue;
    if (++count > MAX_ROWS) throw new ImportFileError('too_many_rows');
    if (r.cells.length > MAX_COLUMNS) throw new ImportFileError('too_many_columns', r.row);
    if (r.cells.some((c) => c.length > MAX_CELL_CHARS)) throw new ImportFileError('cell_too_long', r.row);
    // A CSV has no formulas, but Excel evaluates "=…" when the file is opened again: refused, not stored.
    if (csv && r.cells.some((c) => c.trimStart().startsWith('='))) throw new ImportFileError('formula', r.row);
    yield r;
  }
}

/**
 * Opens an uploaded list: what it is (sniffed from its bytes), its header (the first non-blank
 * row), and a way to stream its rows — as many times as needed, each time from the file.
 */
export async function openTable(source: FileSource, encoding?: 'utf8' | 'cp949'): Promise<Table> {
  const kind = await sniff(source, encoding);
  if (kind.kind === 'xlsx') await checkXlsxZip(source);
  const raw = () => (kind.kind === 'xlsx' ? xlsxRows(source) : csvRows(source, kind.encoding, kind.delimiter));
  let header: RawRow | undefined;
  const first = raw();
  try {
    for await (const r of first) {
      if (!isBlank(r.cells)) {
        header = r;
        break;
      }
    }
  } finally {
    await first.return(undefined);
  }
  if (!header) throw new ImportFileError('empty');
  if (header.cells.length > MAX_COLUMNS) throw new ImportFileError('too_many_columns', header.row);
  const headerRow = header.row;
  return {
    kind,
    headers: headersOf(header.cells.map(normalizeText)),
    headerRow,
    rows: () => checked(raw(), headerRow, kind.kind === 'csv'),
  };
}
