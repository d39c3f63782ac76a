import { formatAge, SEX_LABELS, type Age, type Sex } from './age';

/**
 * Corrections (정정) staff make after a call: the person's name, phone, sex, age and address.
 * Each is its own action and its own history entry naming the field, with the old and new value
 * in `from`/`to`; those values name the person, so they are masked for a dong center
 * (report-view) and dropped with the notes when a case is anonymised (retention).
 */
export const CORRECTION_ACTIONS = [
  'correct_name',
  'correct_phone',
  'correct_sex',
  'correct_age',
  'correct_address',
] as const;
export type CorrectionAction = (typeof CORRECTION_ACTIONS)[number];

export const CORRECTION_FIELD_LABELS: Record<CorrectionAction, string> = {
  correct_name: '이름',
  correct_phone: '연락처',
  correct_sex: '성별',
  correct_age: '나이',
  correct_address: '주소',
};

export const isCorrection = (action: string): action is CorrectionAction =>
  (CORRECTION_ACTIONS as readonly string[]).includes(action);

/** A phone as stored: digits with the usual hyphens (010-1234-5678, 02-123-4567). */
export function formatPhone(digits: string): string {
  const d = digits.replace(/\D/g, '');
  if (/^02\d{7,8}$/.test(d)) return `02-${d.slice(2, d.length - 4)}-${d.slice(-4)}`;
  if (/^0\d{9,10}$/.test(d)) return `${d.slice(0, 3)}-${d.slice(3, d.length - 4)}-${d.slice(-4)}`;
  return d;
}

/** How a value reads in the history ('' for "unknown"). */
export const ageText = (age: Age | null | undefined) => formatAge(age);
export const sexText = (sex: Sex | null | undefined) => (sex ? SEX_LABELS[sex] : '');
