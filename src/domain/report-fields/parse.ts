import type { Age } from '../report/age';
import { seoulParts } from '../time';

/**
 * The fields of a report as people write them, shared by the chat (flows/report/parse.ts) and the
 * list import (src/import/row-check.ts). Each parser returns a value or undefined.
 */

/** Masks people write for unknown or withheld letters: 김○○, 김OO, 김**. */
const MASK = '○◯〇●◎＊*';

/**
 * Names as reporters know them: "홍길동", "김씨", "김○○", "김○○ (성은 김씨, 이름 모름)", "Nguyen Van A".
 * Letters, spaces, masks and the punctuation of notes; no digits and no markup.
 */
export function parseName(text: string): string | undefined {
  const name = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if ([...name].length > 30) return undefined;
  if (!new RegExp(`^[\\p{Script=Hangul}a-zA-Z .'’(),·\\-${MASK}]+$`, 'u').test(name)) return undefined;
  return /[가-힣a-zA-Z]/.test(name) ? name : undefined;
}

export const SINO: Record<string, number> = { 일: 1, 이: 2, 삼: 3, 사: 4, 오: 5, 육: 6, 칠: 7, 팔: 8, 구: 9 };
export const NATIVE_TENS: Record<string, number> = {
  스물: 20,
  서른: 30,
  마흔: 40,
  쉰: 50,
  예순: 60,
  일흔: 70,
  여든: 80,
  아흔: 90,
};

/** "칠십오" → 75, "팔십" → 80, "일흔" → 70 at the start of the text, the rest kept ("칠십대" → "70대"). */
function koreanNumeralsToDigits(t: string): string {
  const native = Object.keys(NATIVE_TENS).find((w) => t.startsWith(w));
  if (native) return `${NATIVE_TENS[native]}${t.slice(native.length)}`;
  const m = /^([일이삼사오육칠팔구])?십([일이삼사오육칠팔구](?!십))?/.exec(t);
  if (!m) return t;
  const value = (m[1] ? SINO[m[1]]! : 1) * 10 + (m[2] ? SINO[m[2]]! : 0);
  return `${value}${t.slice(m[0].length)}`;
}

/** Words around an age that do not change it: "70대 할머니", "80세쯤 되어 보임". */
const AGE_NOISE =
  /(할머니|할아버지|어르신|노인|남성|여성|남자|여자|분|으로|로|되어|돼|보임|보입니다|보여요|추정됨|추정|정도|쯤|가량|내외|이상|입니다|예요|이에요)+$/;

/** "75", "75세", "만 75세", "80세쯤", "70대", "칠십대", "일흔 살", "1950", "1950년생", "50년생" → an age of some kind. */
export function parseAge(text: string, now: Date): Age | undefined {
  let t = text
    .normalize('NFC')
    .replace(/\s+/g, '')
    .replace(/^(약|만|대략|한)/, '');
  t = koreanNumeralsToDigits(t);
  for (let i = 0; i < 3; i++) t = t.replace(AGE_NOISE, '');
  const thisYear = seoulParts(now).year;
  let m = /^(\d{1,3})(세|살)?$/.exec(t);
  if (m && Number(m[1]) <= 120) return { kind: 'age', value: Number(m[1]) };
  m = /^(\d{1,2})0대(초반|중반|후반)?$/.exec(t);
  if (m) return { kind: 'decade', value: Number(m[1]) * 10 };
  m = /^(\d{4})(년생|년|생)?$/.exec(t);
  if (m && Number(m[1]) >= 1900 && Number(m[1]) <= thisYear) return { kind: 'birthYear', value: Number(m[1]) };
  m = /^(\d{2})년생$/.exec(t);
  if (m) {
    const yy = Number(m[1]);
    const year = 2000 + yy <= thisYear ? 2000 + yy : 1900 + yy;
    return { kind: 'birthYear', value: year };
  }
  return undefined;
}

/** Korean mobile and landline numbers, with or without dashes, spaces, dots or +82; returned hyphenated. */
export function parsePhone(text: string): string | undefined {
  const digits = text
    .trim()
    .replace(/^\+82[\s-]?(\(0\))?/, '0')
    .replace(/[\s().-]/g, '');
  if (!/^0\d{8,10}$/.test(digits)) return undefined;
  let m = /^(01[016789])(\d{3,4})(\d{4})$/.exec(digits);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(02)(\d{3,4})(\d{4})$/.exec(digits);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(0[3-6][1-5]|070|050\d)(\d{3,4})(\d{4})$/.exec(digits);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  return undefined;
}
