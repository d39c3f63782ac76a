import type { PartnerKind } from '../../domain/partner/partner';

/** How each kind of partner reads in the console. */
export const PARTNER_KIND_LABELS: Record<PartnerKind, string> = {
  police: '경찰',
  post: '우체국',
  utility: '공공요금 (전기·수도·가스)',
  delivery: '배달·방문 (야쿠르트 등)',
  health: '보건·복지 기관',
  volunteer: '자원봉사',
  other: '기타',
};
