/**
 * How a history entry reads to the reporter who filed the report ("조회"): what someone did,
 * in words, so a field worker sees that the case moved. Entries absent here (received, details
 * added by the reporter, duplicate bookkeeping) are not news to the reporter.
 */
export const HISTORY_PHRASES: Record<string, string> = {
  consult: '콜센터 1차 상담 완료',
  assign: '동 주민센터 배정',
  request_visit: '동 주민센터 방문 요청',
  visit_result: '동 주민센터 방문 완료',
  follow_up: '사후관리 시작',
  close: '처리 종결',
  reopen: '다시 처리 중',
  merge_duplicate: '이전 신고와 합쳐 처리',
};
