import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export const LIST_HEADERS = ['순번', '고객명', '생년월일', '주소', '연락처', '체납액', '체납개월'];

/** A utility arrears list as KEPCO-like exports have it (header row, then households). */
export function arrearsRows(n: number, start = 1): string[][] {
  const dongs = ['홍제1동', '충현동', '천연동', '신촌동', '연희동', '홍은1동', '남가좌1동', '북가좌2동'];
  return Array.from({ length: n }, (_, i) => {
    const k = start + i;
    return [
      String(k),
      `김${String.fromCharCode(0xac00 + (k % 400))}수`,
      `19${40 + (k % 50)}-0${1 + (k % 9)}-1${k % 9}`,
      `서울특별시 서대문구 ${dongs[k % dongs.length]} ${100 + k}-${(k % 7) + 1}`,
      `010-${String(1000 + (k % 9000)).padStart(4, '0')}-${String(k % 10000).padStart(4, '0')}`,
      String(50_000 + k * 10),
      String(3 + (k % 10)),
    ];
  });
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
export const toCsv = (rows: string[][]) => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
export const cp949 = (text: string) => iconv.encode(text, 'cp949');

export async function toXlsx(rows: (string | number | Date | { formula: string })[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('명단');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function tempFile(name: string, data: Buffer | string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sagak-list-'));
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}
