import ExcelJS from 'exceljs';
import type { MonthlyReview } from '../../domain/access/monthly-review';
import { FLAG_LABELS } from '../../domain/access/monthly-review';
import type { ReviewNote } from '../../domain/access/review-note';
import { titledSheet } from '../../sheets/sheet';
import type { RecordRow } from '../access-words';
import { roleText } from '../access-words';
import { actorWithId, type StaffNames } from '../people';
import { seoulDateTime } from '../views/format';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const RECORD_COLUMNS = [
  { header: '번호', width: 8 },
  { header: '시각', width: 20 },
  { header: '계정', width: 22 },
  { header: '역할', width: 14 },
  { header: '접속 주소', width: 16 },
  { header: '경로', width: 12 },
  { header: '행위', width: 24 },
  { header: '대상 신고', width: 40 },
  { header: '내용', width: 40 },
  { header: '건수', width: 8 },
];

/** The access records of a month as a sheet that prints one page wide: the words the page shows. */
export async function accessRecordsXlsx(title: string, subtitle: string, rows: RecordRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = titledSheet(wb, '접속기록', title, subtitle, RECORD_COLUMNS);
  for (const r of rows)
    ws.addRow([r.seq, r.at, r.who, r.role, r.address, r.channel, r.action, r.targets, r.scope, r.rows]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The monthly review: the flags, the per-account lines and the review notes kept for the month. */
export async function monthlyReviewXlsx(
  review: MonthlyReview,
  names: StaffNames,
  notes: ReviewNote[],
  subtitle: string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const lines = titledSheet(wb, '계정별', `접속기록 월간 점검 ${review.month}`, subtitle, [
    { header: '계정', width: 24 },
    { header: '역할', width: 14 },
    { header: '기록', width: 8 },
    { header: '사례 수', width: 8 },
    { header: '열람', width: 8 },
    { header: '내려받기', width: 10 },
    { header: '변경', width: 8 },
    { header: '근무시간 외', width: 11 },
    { header: '로그인 실패', width: 11 },
  ]);
  for (const l of review.lines)
    lines.addRow([
      actorWithId(names, l.actor),
      roleText(l.role),
      l.records,
      l.cases,
      l.views,
      l.downloads,
      l.changes,
      l.outsideHours,
      l.failedSignIns,
    ]);
  const flags = titledSheet(wb, '확인 필요', `확인이 필요한 항목 ${review.month}`, subtitle, [
    { header: '계정', width: 24 },
    { header: '항목', width: 20 },
    { header: '건수', width: 8 },
  ]);
  for (const f of review.flags) flags.addRow([actorWithId(names, f.actor), FLAG_LABELS[f.kind], f.count]);
  if (!review.flags.length) flags.addRow(['확인이 필요한 항목이 없습니다.']);
  const kept = titledSheet(wb, '점검 결과', `점검 결과 ${review.month}`, subtitle, [
    { header: '점검일', width: 12 },
    { header: '점검자', width: 14 },
    { header: '발견 사항', width: 50 },
    { header: '조치', width: 50 },
    { header: '기록한 계정', width: 22 },
    { header: '기록 시각', width: 20 },
  ]);
  for (const n of notes) {
    const row = kept.addRow([
      n.reviewedOn,
      n.reviewer,
      n.findings,
      n.actions || '-',
      actorWithId(names, n.recordedBy),
      seoulDateTime(n.recordedAt),
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  if (!notes.length) kept.addRow(['아직 기록한 점검 결과가 없습니다.']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
