import type { District } from '../domain/district';
import { MAPPED_FIELDS, type MappedField, type Mapping } from '../domain/list-import/mapping';
import { MAPPING_ERROR_KO } from './messages';

/** The checks a mapping must pass against a file's headers; a Korean message for each failure. */
export function mappingProblems(mapping: Mapping, headers: string[], district: District): string[] {
  const problems: string[] = [];
  if (!mapping.columns.address) problems.push(MAPPING_ERROR_KO.need_address);
  if (!mapping.columns.name) problems.push(MAPPING_ERROR_KO.need_name);
  const used = [...Object.values(mapping.columns).filter((c): c is string => !!c), ...mapping.extra];
  for (const c of new Set(used)) if (!headers.includes(c)) problems.push(MAPPING_ERROR_KO.unknown_column(c));
  if (!mapping.defaultSigns.length || mapping.defaultSigns.some((s) => !district.signs.some((d) => d.code === s)))
    problems.push(MAPPING_ERROR_KO.need_sign);
  return problems;
}

const GUESSES: Record<MappedField, RegExp> = {
  name: /^(성명|이름|성 명|고객명|세대주|세대주명|대상자|대상자명|수용가명|납부자|납부자명|사용자명|계약자|계약자명|명의자)$/,
  birth: /생년월일|생일|출생/,
  age: /^(나이|연령|만나이)$/,
  address: /주소|소재지|거주지|설치장소|사용장소|사용처/,
  phone: /전화|연락처|휴대폰|핸드폰|휴대전화|HP/i,
  signs: /징후|위기유형/,
  situation: /상황|내용|특이사항/,
  urgency: /긴급/,
};
/** Columns a utility's arrears list carries that the call center wants beside the report. */
const EXTRA_GUESS = /체납|미납|연체|금액|개월|단전|단수|중지|예정|고객번호|사용량/;

/**
 * A first mapping for a file never seen from this source: columns whose header names a field
 * (성명, 주소, 연락처 …), arrears columns as extra fields, the utility-arrears sign.
 */
export function guessMapping(headers: string[], district: District): Mapping {
  const columns = Object.fromEntries(MAPPED_FIELDS.map((f) => [f, null])) as Record<MappedField, string | null>;
  const taken = new Set<string>();
  for (const field of MAPPED_FIELDS) {
    const hit = headers.find((h) => !taken.has(h) && GUESSES[field].test(h.replace(/\s+/g, '')));
    if (hit) {
      columns[field] = hit;
      taken.add(hit);
    }
  }
  const extra = headers.filter((h) => !taken.has(h) && EXTRA_GUESS.test(h)).slice(0, 30);
  const arrears = district.signs.find((s) => s.code === 'utility_arrears') ?? district.signs[0]!;
  return { columns, extra, defaultSigns: [arrears.code], defaultUrgency: 'prompt' };
}

/** A remembered mapping, kept only as far as this file has the same columns. */
export function adaptMapping(remembered: Mapping, headers: string[], district: District): Mapping {
  const guess = guessMapping(headers, district);
  const has = (c: string | null) => (c && headers.includes(c) ? c : null);
  const columns = Object.fromEntries(
    MAPPED_FIELDS.map((f) => [f, has(remembered.columns[f]) ?? guess.columns[f]]),
  ) as Record<MappedField, string | null>;
  const signs = remembered.defaultSigns.filter((s) => district.signs.some((d) => d.code === s));
  return {
    columns,
    extra: remembered.extra.filter((c) => headers.includes(c)),
    defaultSigns: signs.length ? signs : guess.defaultSigns,
    defaultUrgency: remembered.defaultUrgency,
  };
}
