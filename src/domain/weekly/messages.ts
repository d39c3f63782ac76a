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

export const yesNo = (v: boolean | undefined | null): string => (v === undefined || v === null ? '' : v ? 'Y' : 'N');

export const percent = (part: number, whole: number): string => (whole ? `${Math.round((part / whole) * 100)}%` : '-');
