import type { HistoryEntry } from './report';

/**
 * How a history entry reads to the reporter who filed the report ("조회"): what someone did,
 * in words, so a field worker sees that the case moved. Entries absent here (received, details
 * added by the reporter, cadence changes, duplicate bookkeeping) are not news to the reporter.
 */
export const HISTORY_PHRASES: Record<string, string> = {
  consult: '콜센터 1차 상담 완료',
  set_assignee: '콜센터 담당 상담원 지정',
  assign: '동 주민센터 배정',
  request_visit: '동 주민센터 방문 요청',
  visit_result: '동 주민센터 방문 완료',
  follow_up: '사후관리 시작',
  follow_up_call: '콜센터 안부 전화',
  end_follow_up: '사후관리 종료',
  close: '처리 종결',
  reopen: '다시 처리 중',
  merge_duplicate: '이전 신고와 합쳐 처리',
};

/** A visit that met nobody (부재) sends the case back for another visit: not "방문 완료". */
const MISSED_VISIT = '동 주민센터 방문(만나지 못해 다시 방문 예정)';

/** The entry in the reporter's words, or undefined when it is not news to them. */
export function historyPhrase(entry: Pick<HistoryEntry, 'action' | 'to'>): string | undefined {
  if (entry.action === 'visit_result' && entry.to === 'visit_requested') return MISSED_VISIT;
  if (entry.action === 'set_assignee' && !entry.to) return undefined; // an assignee cleared is not news
  return HISTORY_PHRASES[entry.action];
}
