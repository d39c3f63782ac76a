import { countSentence } from '../counts/summary-table';
import type { DistrictSummary } from './district-summary';
import { withRate, type ListProgress } from '../list-progress';
import { weekLabelKo } from './iso-week';
import type { WeeklyList } from './weekly-list';
import { URGENCY_LABELS } from '../report/urgency';

/**
 * The chat message that goes with the attachment. Receipt numbers and counts only: names,
 * phones and addresses stay in the file, not in a chat history.
 */
export function weeklyListText(list: WeeklyList): string {
  const immediate = URGENCY_LABELS.immediate; // the rows carry urgency as its label
  const urgent = list.thisWeek.filter((r) => r.urgency === immediate).length;
  const nos = (rows: WeeklyList['thisWeek']) =>
    rows.map((r) => r.receiptNo + (r.urgency === immediate ? `(${immediate})` : '')).join(', ');
  const out = [
    `[${list.district.name} ${list.dong.name}] 주간 복지사각지대 신고 목록`,
    `${list.week.id} · ${weekLabelKo(list.week)}`,
    `· 주간 배정 ${list.thisWeek.length}건${urgent ? ` (즉시 위험 ${urgent}건)` : ''}`,
    `· 지난 주 미처리 ${list.carried.length}건`,
  ];
  if (list.thisWeek.length) out.push(`주간 배정: ${nos(list.thisWeek)}`);
  if (list.carried.length) out.push(`미처리: ${nos(list.carried)}`);
  out.push(
    list.thisWeek.length + list.carried.length
      ? '대상자 정보는 첨부 파일에 있습니다. 방문 후 조사결과·지원내용·사통망 입력 여부를 회신해 주세요.'
      : '이 주에 배정된 신고가 없습니다.',
  );
  return out.join('\n');
}

const line = countSentence;

const listLine = (l: ListProgress) =>
  `${l.label}: ${l.households}세대, 동 배정 ${withRate(l.assigned, l.households)}, 1차 상담 ${withRate(l.consulted, l.households)}, 방문 ${withRate(l.visited, l.households)}, 사후관리 ${withRate(l.followUp, l.households)}, 종결 ${withRate(l.closed, l.households)}`;

export function summaryText(s: DistrictSummary): string {
  return [
    `[${s.district.name}] 주간 복지사각지대 신고 처리 현황 ${s.week.id} · ${weekLabelKo(s.week)}`,
    line(s.total),
    '',
    '동별',
    ...s.byDong.map(line),
    '',
    '기관별',
    ...(s.byPartner.length ? s.byPartner.map(line) : ['(접수 없음)']),
    ...(s.byList.length ? ['', '명단별', ...s.byList.map(listLine)] : []),
  ].join('\n');
}
