import { FILE_ERROR_KO, type FileErrorCode } from './messages';

/**
 * A file refused as a whole: nothing of it is stored. The code is for logs and tests, the Korean
 * message for the person who uploaded it; `row` names the row where the reader stopped.
 */
export class ImportFileError extends Error {
  readonly messageKo: string;
  constructor(
    readonly code: FileErrorCode,
    readonly row?: number,
  ) {
    super(`import file refused: ${code}${row ? ` at row ${row}` : ''}`);
    this.messageKo = row ? `${FILE_ERROR_KO[code]} (${row}행)` : FILE_ERROR_KO[code];
  }
}
