import { signLabel, type District } from '../district';
import { STATUS_LABELS } from '../report/status';
import { seoulDate } from '../time';
import type { Report } from '../report/report';
import type { ReportRepository } from '../report/repository';
import type { IsoWeek } from './iso-week';
import { birthDateOf } from '../report/birth-date';
import { ageKo, CRISIS_KO, URGENCY_KO, yesNo } from './messages';

/** One line of the reception form (대상자 접수 서식), plus what the call center adds. */
export interface WeeklyRow {
  no: number;
  dongName: string;
  name: string;
  /** 생년월일: a date (YYYY-MM-DD) from a list, or '' — never an age. */
  birth: string;
  /** 나이: the age as known (80세, 70대, 1948년생). */
  age: string;
  address: string;
  phone: string;
  investigationResult: string;
  supportProvided: string;
  enteredInSystem: string;
  /** The Seoul calendar date, YYYY-MM-DD. */
  receivedDate: string;
  receiptNo: string;
  signs: string;
  urgency: string;
  /** Why the visitor goes: the reporter's words, the first consultation, the visit request. */
  situation: string;
  consultation: string;
  visitRequestReason: string;
  status: string;
  /** Where the case came from: the chat and its partner, or an imported list. */
  source: string;
}

/** The form's columns in the form's order, then the call center's; one definition for every format. */
export const WEEKLY_COLUMNS: { key: keyof WeeklyRow; header: string; width: number }[] = [
  { key: 'no', header: 'No.', width: 6 },
  { key: 'dongName', header: '동명', width: 10 },
  { key: 'name', header: '성명', width: 10 },
  { key: 'birth', header: '생년월일', width: 11 },
  { key: 'age', header: '나이', width: 9 },
  { key: 'address', header: '주소', width: 36 },
  { key: 'phone', header: '전화번호', width: 15 },
  { key: 'investigationResult', header: '조사결과', width: 36 },
  { key: 'supportProvided', header: '지원내용', width: 30 },
  { key: 'enteredInSystem', header: '사통망 입력 여부', width: 10 },
  { key: 'receivedDate', header: '접수일', width: 12 },
  { key: 'receiptNo', header: '접수번호', width: 14 },
  { key: 'urgency', header: '긴급도', width: 10 },
  { key: 'signs', header: '위기 징후', width: 20 },
  { key: 'situation', header: '상황', width: 36 },
  { key: 'consultation', header: '1차 상담', width: 30 },
  { key: 'visitRequestReason', header: '방문 요청 사유', width: 24 },
  { key: 'status', header: '처리 상태', width: 12 },
  { key: 'source', header: '출처', width: 28 },
];

export interface WeeklyList {
  district: { id: string; name: string };
  dong: { code: string; name: string };
  week: IsoWeek;
  /** Reports assigned to the dong and received this week. */
  thisWeek: WeeklyRow[];
  /** Reports from earlier weeks still open, so nothing falls between weeks. */
  carried: WeeklyRow[];
}

function investigation(r: Report): string {
  if (!r.visit) return '';
  // nobody met: what was seen and when the dong goes again; no level was judged
  if (!r.visit.reached)
    return `(미접촉) ${r.visit.investigationResult}${r.visit.revisitOn ? ` [재방문 예정 ${r.visit.revisitOn}]` : ''}`;
  return `${r.visit.investigationResult} [${r.visit.crisisLevel ? CRISIS_KO[r.visit.crisisLevel] : '위기도 모름'}${r.visit.followUpNeeded ? ', 사후관리 필요' : ''}]`;
}

/** The note of the latest visit request, or "방문 요청" when it gave no reason. */
function visitRequestReason(r: Report): string {
  const request = [...r.history].reverse().find((h) => h.action === 'request_visit');
  return request ? (request.note ?? '방문 요청') : '';
}

export function toRow(r: Report, no: number, district: District): WeeklyRow {
  return {
    no,
    dongName: r.assignedDongCode ? (district.dongByCode(r.assignedDongCode)?.name ?? r.assignedDongCode) : '',
    name: r.person.name ?? '',
    birth: birthDateOf(r.extra),
    age: ageKo(r.person.age),
    address: r.address.text,
    phone: r.person.phone ?? '',
    investigationResult: investigation(r),
    supportProvided: r.visit?.supportProvided ?? r.consultation?.supportLinked ?? '',
    enteredInSystem: yesNo(r.visit?.enteredInSystem),
    receivedDate: seoulDate(r.receivedAt),
    receiptNo: r.receiptNo,
    signs: r.signs.map((c) => signLabel(district, c)).join(', '),
    urgency: URGENCY_KO[r.urgency] ?? r.urgency,
    situation: r.situation,
    consultation: r.consultation?.result ?? '',
    visitRequestReason: visitRequestReason(r),
    status: STATUS_LABELS[r.status],
    source: r.source?.kind === 'list' ? `명단 · ${r.source.listName}` : `채팅 · ${r.partner.name}`,
  };
}

/** The list a dong center gets for a week: two indexed queries, rows in the order received. */
export async function buildWeeklyList(
  deps: { reports: ReportRepository; district: District },
  dongCode: string,
  week: IsoWeek,
): Promise<WeeklyList> {
  const dong = deps.district.dongByCode(dongCode);
  if (!dong) throw new Error(`no dong ${dongCode} in ${deps.district.id}`);
  const [current, open] = await Promise.all([
    deps.reports.assignedBetween(deps.district.id, dongCode, week.start, week.end),
    deps.reports.openAssignedBefore(deps.district.id, dongCode, week.start),
  ]);
  return {
    district: { id: deps.district.id, name: deps.district.name },
    dong: { code: dong.code, name: dong.name },
    week,
    thisWeek: current.map((r, i) => toRow(r, i + 1, deps.district)),
    carried: open.map((r, i) => toRow(r, i + 1, deps.district)),
  };
}

const byReceived = (a: Report, b: Report) =>
  a.receivedAt.getTime() - b.receivedAt.getTime() || a.receiptNo.localeCompare(b.receiptNo);

/**
 * Every dong's list for a week from two district-wide queries instead of two per dong: what the
 * scheduler uses (on FerretDB, which filters by scanning, this is 2 scans instead of 28).
 */
export async function buildWeeklyLists(
  deps: { reports: ReportRepository; district: District },
  week: IsoWeek,
): Promise<Map<string, WeeklyList>> {
  const [current, open] = await Promise.all([
    deps.reports.receivedBetween(deps.district.id, week.start, week.end),
    deps.reports.openBefore(deps.district.id, week.start),
  ]);
  const lists = new Map<string, WeeklyList>();
  for (const dong of deps.district.dongs) {
    const mine = (rs: Report[]) => rs.filter((r) => r.assignedDongCode === dong.code).sort(byReceived);
    lists.set(dong.code, {
      district: { id: deps.district.id, name: deps.district.name },
      dong: { code: dong.code, name: dong.name },
      week,
      thisWeek: mine(current).map((r, i) => toRow(r, i + 1, deps.district)),
      carried: mine(open).map((r, i) => toRow(r, i + 1, deps.district)),
    });
  }
  return lists;
}
