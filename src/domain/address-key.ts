import { normalizeText } from './text/normalize';

/**
 * A comparable form of a typed address: NFC, lower case, without spaces or punctuation, so
 * "홍제동 123-4, 2층" and "홍제동123 4 2층" meet. Used only to link likely duplicates for staff.
 */
export function addressKey(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

export const DUPLICATE_WINDOW_MS = 30 * 24 * 3_600_000;
