import type { Age } from '../../src/domain/report/age';

/** Names: letters, spaces and the dots and hyphens of foreign names; no digits, no markup. */
export function parseName(text: string): string | undefined {
  const name = text.replace(/\s+/g, ' ').trim();
  return /^[가-힣a-zA-Z][가-힣a-zA-Z .'-]{0,29}$/.test(name) ? name : undefined;
}

/** "75", "75세", "만 75세", "70대", "1950", "1950년생", "50년생" → an age of some kind. */
export function parseAge(text: string, now: Date): Age | undefined {
  const t = text.replace(/\s+/g, '').replace(/^(약|만|대략)/, '');
  const thisYear = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Seoul', year: 'numeric' }).format(now));
  let m = /^(\d{1,3})(세|살)?(쯤|정도|추정)?$/.exec(t);
  if (m && Number(m[1]) <= 120) return { kind: 'age', value: Number(m[1]) };
  m = /^(\d{1,2})0대(초반|중반|후반)?$/.exec(t);
  if (m) return { kind: 'decade', value: Number(m[1]) * 10 };
  m = /^(\d{4})(년생|년)?$/.exec(t);
  if (m && Number(m[1]) >= 1900 && Number(m[1]) <= thisYear) return { kind: 'birthYear', value: Number(m[1]) };
  m = /^(\d{2})년생$/.exec(t);
  if (m) {
    const yy = Number(m[1]);
    const year = 2000 + yy <= thisYear ? 2000 + yy : 1900 + yy;
    return { kind: 'birthYear', value: year };
  }
  return undefined;
}

/** Korean mobile and landline numbers, returned in the usual hyphenated form. */
export function parsePhone(text: string): string | undefined {
  const digits = text.replace(/^\+82[\s-]?/, '0').replace(/[\s().-]/g, '');
  if (!/^0\d{8,10}$/.test(digits)) return undefined;
  let m = /^(01[016789])(\d{3,4})(\d{4})$/.exec(digits);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(02)(\d{3,4})(\d{4})$/.exec(digits);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(0[3-6][1-5]|070|050\d)(\d{3,4})(\d{4})$/.exec(digits);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  return undefined;
}
