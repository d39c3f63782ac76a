import { percentText } from './definitions';
import { sameDayRate, visitRate, type CountLine } from './tally';

/**
 * The table the division reads ("114 households, 88 visited, 77%"), one definition for the
 * page, the text message, the CSV and the XLSX. Rates are numbers (0–1) here; each format
 * decides how a percentage looks.
 */
export const COUNT_COLUMNS = [
  { key: 'label', header: '구분' },
  { key: 'received', header: '접수' },
  { key: 'consultedSameDay', header: '당일 상담' },
  { key: 'sameDayRate', header: '당일 상담률', rate: true },
  { key: 'visited', header: '방문' },
  { key: 'visitRate', header: '방문율', rate: true },
  { key: 'absent', header: '부재' },
  { key: 'followUp', header: '사후관리' },
  { key: 'closed', header: '종결' },
  { key: 'open', header: '미처리' },
] as const;

export type CountCell = string | number | null;

export function countCells(l: CountLine): CountCell[] {
  return [
    l.label,
    l.received,
    l.consultedSameDay,
    sameDayRate(l),
    l.visited,
    visitRate(l),
    l.absent,
    l.followUp,
    l.closed,
    l.open,
  ];
}

/** The same cells with rates as "77%" text, for CSV and chat. */
export const countTextCells = (l: CountLine): (string | number)[] =>
  countCells(l).map((c, i) => (COUNT_COLUMNS[i]!.key.endsWith('Rate') ? percentText(c as number | null) : (c ?? '')));

/** "접수 114건, 당일 상담 90건(79%), 방문 88건(77%), 부재 3건, …": one line of the chat message. */
export function countSentence(l: CountLine): string {
  return `${l.label}: 접수 ${l.received}건, 당일 상담 ${l.consultedSameDay}건(${percentText(sameDayRate(l))}), 방문 ${l.visited}건(${percentText(visitRate(l))}), 부재 ${l.absent}건, 사후관리 ${l.followUp}건, 종결 ${l.closed}건, 미처리 ${l.open}건`;
}
