import ExcelJS from 'exceljs';
import type { District } from '../domain/district';
import { SEX_LABELS } from '../domain/report/age';
import type { Report } from '../domain/report/report';
import { birthDateOf } from '../domain/report/birth-date';
import { STATUS_LABELS } from '../domain/report/status';
import { URGENCY_LABELS } from '../domain/report/urgency';
import { titledSheet } from '../sheets/sheet';
import { maskPhone } from './masking';
import type { queueItem } from './report-view';

type Row = { report: Report; item: ReturnType<typeof queueItem> };

const COLUMNS = [
  { header: '접수번호', width: 13 },
  { header: '접수일시', width: 17 },
  { header: '긴급도', width: 10 },
  { header: '상태', width: 11 },
  { header: '다음 할 일', width: 13 },
  { header: '기한', width: 22 },
  { header: '대상자', width: 10 },
  { header: '생년월일', width: 12 },
  { header: '나이', width: 7 },
  { header: '성별', width: 6 },
  { header: '연락처', width: 15 },
  { header: '주소', width: 40 },
  { header: '관할 동', width: 10 },
  { header: '담당', width: 10 },
  { header: '위기 징후', width: 24 },
  { header: '신고 기관', width: 18 },
];

/**
 * The age column: a number when the age is known (a birth year counts from `now`'s year), the
 * decade as words ("70대") when only that is known, empty otherwise.
 */
export function ageCell(age: Report['person']['age'], now: Date): number | string | null {
  if (!age) return null;
  if (age.kind === 'age') return age.value;
  if (age.kind === 'birthYear') return now.getUTCFullYear() - age.value;
  return `${age.value}대`;
}

/**
 * The queue or a search as a workbook, masked as the screen masks it: a dong center's rows carry
 * masked names, addresses and phones (masking.ts) and no birth dates; staff get them whole.
 * 생년월일 holds a date or nothing; the age is its own column.
 */
export async function queueXlsx(m: {
  district: District;
  rows: Row[];
  total: number;
  dong: boolean;
  title: string;
  now: Date;
  asOf: string;
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.title = m.title;
  const shown =
    m.rows.length < m.total
      ? ` · 처음 ${m.rows.length.toLocaleString('ko-KR')}건 (전체 ${m.total.toLocaleString('ko-KR')}건)`
      : ` · ${m.total.toLocaleString('ko-KR')}건`;
  const ws = titledSheet(
    wb,
    '신고 목록',
    m.title,
    `${m.asOf} 기준${shown}${m.dong ? ' · 이름·주소·연락처 일부 가림' : ''}`,
    COLUMNS,
  );
  for (const { report: r, item } of m.rows) {
    const step = item.nextStep;
    ws.addRow([
      item.receiptNo,
      new Date(new Date(item.receivedAt).getTime() + 9 * 3_600_000), // a Seoul wall-clock time: Excel has no time zones
      URGENCY_LABELS[item.urgency],
      STATUS_LABELS[item.status],
      step?.label ?? '',
      step?.dueText ?? '',
      item.personName ?? '',
      m.dong || !birthDateOf(r.extra) ? null : new Date(`${birthDateOf(r.extra)}T00:00:00Z`),
      ageCell(r.person.age, m.now),
      r.person.sex ? SEX_LABELS[r.person.sex] : '',
      (m.dong ? maskPhone(r.person.phone) : r.person.phone) ?? '',
      item.addressText,
      item.assignedDong?.name ?? '미배정',
      item.assignee ?? '',
      item.signs.map((s) => s.label).join(', '),
      item.partnerName,
    ]);
  }
  ws.getColumn(2).numFmt = 'yyyy-mm-dd hh:mm';
  ws.getColumn(8).numFmt = 'yyyy-mm-dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}
