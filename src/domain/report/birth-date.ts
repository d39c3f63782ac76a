import type { Report } from './report';

/**
 * A birth date, when a list brought one along (its 생년월일 column, kept in `extra` by the import
 * as YYYY-MM-DD), as YYYY-MM-DD; '' otherwise. Never an age, a decade or a birth year: those go
 * in the age column, so a 생년월일 column holds a date or nothing.
 */
export function birthDateOf(extra: Report['extra']): string {
  const raw = extra?.['생년월일']?.trim();
  const m = raw ? /^(\d{4})[-./ ]?(\d{1,2})[-./ ]?(\d{1,2})\.?$/.exec(raw) : null;
  if (!m) return '';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return '';
  return date.toISOString().slice(0, 10);
}
