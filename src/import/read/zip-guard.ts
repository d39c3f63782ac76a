import { createInflateRaw } from 'node:zlib';
import { ImportFileError } from '../errors';
import { ZIP_MAX_ENTRIES, ZIP_MAX_RATIO, ZIP_MAX_TOTAL_BYTES, ZIP_RATIO_FLOOR_BYTES } from '../limits';
import type { FileSource } from '../../domain/list-import/file-source';

interface Entry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function centralDirectory(source: FileSource): Promise<Entry[]> {
  const tailLength = Math.min(source.size, 22 + 0xffff);
  const tail = await source.read(source.size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--)
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  if (at < 0) throw new ImportFileError('broken_xlsx');
  const count = tail.readUInt16LE(at + 10);
  const size = tail.readUInt32LE(at + 12);
  const offset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ImportFileError('broken_xlsx'); // ZIP64: no sheet of ours needs it
  if (count > ZIP_MAX_ENTRIES) throw new ImportFileError('zip_bomb');
  if (offset + size > source.size) throw new ImportFileError('broken_xlsx');
  const dir = await source.read(offset, size);
  const entries: Entry[] = [];
  for (let p = 0; p + 46 <= dir.length && entries.length < count; ) {
    if (dir.readUInt32LE(p) !== CENTRAL) throw new ImportFileError('broken_xlsx');
    const nameLength = dir.readUInt16LE(p + 28);
    entries.push({
      method: dir.readUInt16LE(p + 10),
      compressed: dir.readUInt32LE(p + 20),
      uncompressed: dir.readUInt32LE(p + 24),
      localOffset: dir.readUInt32LE(p + 42),
      name: dir.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  return entries;
}

/** Inflates one entry, counting what comes out; stops at the first byte over its budget. */
async function inflatedSize(source: FileSource, entry: Entry, budget: number): Promise<number> {
  const header = await source.read(entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new ImportFileError('broken_xlsx');
  const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (entry.compressed === 0) return 0;
  const raw = source.stream(start, start + entry.compressed);
  if (entry.method === 0) return entry.compressed;
  if (entry.method !== 8) throw new ImportFileError('broken_xlsx');
  const inflate = createInflateRaw();
  raw.pipe(inflate);
  let total = 0;
  try {
    for await (const chunk of inflate) {
      total += (chunk as Buffer).length;
      if (total > budget) throw new ImportFileError('zip_bomb');
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError('broken_xlsx');
  } finally {
    raw.destroy();
    inflate.destroy();
  }
  return total;
}

/**
 * Refuses a zip bomb before exceljs opens the file: too many entries, declared sizes too large
 * or too compressed, or an entry that inflates beyond what it declared (headers can lie, so every
 * entry is actually inflated once here, streamed and counted, never held). Also checks that the
 * zip is an Excel workbook at all (a .docx or a plain zip is not a list).
 */
export async function checkXlsxZip(source: FileSource): Promise<void> {
  const entries = await centralDirectory(source);
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) throw new ImportFileError('not_table');
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressed;
    const ratio = e.uncompressed / Math.max(1, e.compressed);
    if (declared > ZIP_MAX_TOTAL_BYTES || (e.uncompressed > ZIP_RATIO_FLOOR_BYTES && ratio > ZIP_MAX_RATIO))
      throw new ImportFileError('zip_bomb');
  }
  let used = 0;
  for (const e of entries) {
    const budget = Math.min(e.uncompressed, ZIP_MAX_TOTAL_BYTES - used);
    used += await inflatedSize(source, e, budget);
  }
}
