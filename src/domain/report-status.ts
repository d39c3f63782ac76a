import type { ReportStatus } from '../store/report/report';

/** How a status reads to a reporter or a dong center. */
export const STATUS_LABELS: Record<ReportStatus, string> = {
  received: '접수 (1차 상담 대기)',
  consulted: '1차 상담 완료',
  assigned: '동 주민센터 배정',
  visit_requested: '방문 요청',
  visited: '방문 완료',
  follow_up: '사후관리 중',
  closed: '종결',
};
