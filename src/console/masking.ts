/**
 * Masks for lists that are read over a shoulder: a name keeps its first and last syllable
 * (홍길동 → 홍*동, 김수 → 김*), an address keeps its place names up to the first house or lot number.
 */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Numbered place names (홍제3동, 남가좌2동, 충정로2가) are not house numbers: they stay. */
const NUMBERED_PLACE = /^[가-힣]+\d+(동|가)$/;

export function maskAddress(text: string): string {
  const words = text.trim().split(/\s+/);
  const firstNumbered = words.findIndex((w) => /\d/.test(w) && !NUMBERED_PLACE.test(w));
  if (firstNumbered < 0) return words.join(' ');
  return `${words.slice(0, firstNumbered).join(' ')} …`.trim();
}

/** A phone keeps its area code and last four digits: 010-1234-5678 → 010-****-5678. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  const head = digits.startsWith('02') ? '02' : digits.slice(0, 3);
  return `${head}-****-${digits.slice(-4)}`;
}
