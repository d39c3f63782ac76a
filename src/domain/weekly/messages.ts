import { CRISIS_PHRASES } from '../report/crisis';
import { URGENCY_LABELS } from '../report/urgency';
import { formatAge } from '../report/age';

/** Korean words of the weekly list and summary, kept together. */
export const URGENCY_KO = URGENCY_LABELS;
export const CRISIS_KO = CRISIS_PHRASES;

export const SHEET_THIS_WEEK = '주간 접수';
export const SHEET_CARRIED = '지난 주 미처리';
export const SECTION_THIS_WEEK = '주간 접수';
export const SECTION_CARRIED = '지난 주 미처리';

export const ageKo = formatAge;

/** 사통망 입력 여부 as the form asks it: 예 or 아니오 (not yet entered, or no visit yet: 아니오). */
export const yesNo = (v: boolean | undefined | null): string => (v ? '예' : '아니오');

export const listTitle = (districtName: string, dongName: string) =>
  `${districtName} ${dongName} 주간 복지사각지대 신고 목록`;
