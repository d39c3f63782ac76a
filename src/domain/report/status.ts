/** A report's place in the process (DOMAIN.md): received → consulted → assigned → visited → follow-up → closed. */
export const REPORT_STATUSES = [
  'received',
  'consulted',
  'assigned',
  'visit_requested',
  'visited',
  'follow_up',
  'closed',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Every status but closed: what the call center or a dong center still has to act on. */
export const OPEN_STATUSES: readonly ReportStatus[] = REPORT_STATUSES.filter((s) => s !== 'closed');

export const isOpen = (status: ReportStatus): boolean => status !== 'closed';

/** How a status reads to a reporter, staff or a dong center. */
export const STATUS_LABELS: Record<ReportStatus, string> = {
  received: '접수 (1차 상담 대기)',
  consulted: '1차 상담 완료',
  assigned: '동 주민센터 배정',
  visit_requested: '방문 요청',
  visited: '방문 완료',
  follow_up: '사후관리 중',
  closed: '종결',
};
