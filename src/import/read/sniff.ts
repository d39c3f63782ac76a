import iconv from 'iconv-lite';
import { ImportFileError } from '../errors';
import type { FileSource } from '../../domain/list-import/file-source';

export type Encoding = 'utf8' | 'cp949' | 'utf16le' | 'utf16be';
export type FileKind = { kind: 'xlsx' } | { kind: 'csv'; encoding: Encoding; delimiter: ',' | '\t' | ';' };

const HEAD_BYTES = 64 * 1024;
const startsWith = (buf: Buffer, ...bytes: number[]) => bytes.every((b, i) => buf[i] === b);

/** UTF-8 when the head decodes strictly (a multi-byte character cut at the end is allowed). */
function isUtf8(head: Buffer): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut < 4 && cut < head.length; cut++) {
    try {
      decoder.decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      if (head.length < HEAD_BYTES) return false; // the whole file: nothing was cut
    }
  }
  return false;
}

/** Korean offices' CSVs use commas; Excel's "유니코드 텍스트" uses tabs; some use semicolons. */
function delimiterOf(firstLine: string): ',' | '\t' | ';' {
  const count = (c: string) => firstLine.split(c).length - 1;
  const tabs = count('\t');
  const commas = count(',');
  const semis = count(';');
  if (tabs > commas && tabs >= semis) return '\t';
  if (semis > commas) return ';';
  return ',';
}

/**
 * Decides what a file is from its first bytes, never from its name: XLSX by the zip signature,
 * legacy and other binary formats refused, text read as CSV in the encoding given or detected
 * (BOM, else strict UTF-8, else CP949, the encoding Korean Windows offices export in).
 */
export async function sniff(source: FileSource, chosen?: 'utf8' | 'cp949'): Promise<FileKind> {
  if (source.size === 0) throw new ImportFileError('empty');
  const head = await source.read(0, HEAD_BYTES);
  if (startsWith(head, 0x50, 0x4b, 0x03, 0x04)) return { kind: 'xlsx' };
  if (startsWith(head, 0xd0, 0xcf, 0x11, 0xe0)) throw new ImportFileError('xls_legacy');
  let encoding: Encoding;
  if (startsWith(head, 0xef, 0xbb, 0xbf)) encoding = 'utf8';
  else if (startsWith(head, 0xff, 0xfe)) encoding = 'utf16le';
  else if (startsWith(head, 0xfe, 0xff)) encoding = 'utf16be';
  else {
    // NUL bytes or other control characters mean a binary file (PDF, image, HWP, a zip of another kind)
    if (head.includes(0) || startsWith(head, 0x25, 0x50, 0x44, 0x46)) throw new ImportFileError('not_table');
    encoding = chosen ?? (isUtf8(head) ? 'utf8' : 'cp949');
  }
  const text = iconv.decode(head, encoding).replace(/^\uFEFF/, '');
  if (!text.trim()) throw new ImportFileError('empty');
  const controls = (text.match(/[\x00-\x08\x0e-\x1f\x7f]/g) ?? []).length;
  const replaced = (text.match(/\uFFFD/g) ?? []).length;
  if (controls > 0) throw new ImportFileError('not_table');
  if (replaced > text.length / 100) throw new ImportFileError('encoding');
  return { kind: 'csv', encoding, delimiter: delimiterOf(text.split(/\r?\n/, 1)[0] ?? '') };
}
