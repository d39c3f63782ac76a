import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { ImportFileError } from '../errors';
import { MAX_CELL_CHARS } from '../limits';
import type { FileSource } from '../../domain/list-import/file-source';
import type { Encoding } from './sniff';
import type { RawRow } from './raw-row';

/**
 * Streams a CSV's records: bytes → iconv-lite (CP949/UTF-8/UTF-16 to text) → csv-parse, one
 * record at a time, so memory stays flat whatever the file's length. Row numbers are the record's
 * position (what Excel shows when it opens the file), counting the header as row 1.
 */
export async function* csvRows(source: FileSource, encoding: Encoding, delimiter: string): AsyncGenerator<RawRow> {
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_CELL_CHARS * 20,
  });
  const input = source.stream();
  const decoder = iconv.decodeStream(encoding, { stripBOM: true });
  input.pipe(decoder).pipe(parser);
  input.on('error', (err) => parser.destroy(err));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    if (err instanceof CsvError)
      throw new ImportFileError(err.code === 'CSV_MAX_RECORD_SIZE' ? 'cell_too_long' : 'broken_csv', row + 1);
    throw err;
  } finally {
    input.destroy();
  }
}
