import type { Age } from '../../../flows/report/draft';
import type { VisitReport } from '../../store/report/report';

/** Korean words of the weekly list and summary, kept together. */
export const URGENCY_KO: Record<string, string> = { immediate: '즉시 위험', prompt: '빠른 확인 필요', normal: '일반' };
export const CRISIS_KO: Record<VisitReport['crisisLevel'], string> = { high: '위기도 높음', medium: '위기도 중간', low: '위기도 낮음', none: '위기 없음' };

export const SHEET_THIS_WEEK = '주간 접수';
export const SHEET_CARRIED = '지난 주 미처리';
export const SECTION_THIS_WEEK = '주간 접수';
export const SECTION_CARRIED = '지난 주 미처리';

export function ageKo(age: Age | null | undefined): string {
  if (!age) return '';
  if (age.kind === 'age') return `${age.value}세`;
  if (age.kind === 'decade') return `${age.value}대`;
  return `${age.value}년생`;
}

export const yesNo = (v: boolean | undefined | null): string => (v === undefined || v === null ? '' : v ? 'Y' : 'N');

export const percent = (part: number, whole: number): string => (whole ? `${Math.round((part / whole) * 100)}%` : '-');
