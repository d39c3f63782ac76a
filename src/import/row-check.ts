import { parseAge, parseName, parsePhone } from '../domain/report-fields/parse';
import type { District } from '../domain/district';
import type { Age } from '../domain/report/age';
import { URGENCIES, type Urgency } from '../domain/report/urgency';
import { seoulParts } from '../domain/time';
import type { Mapping, MappedField } from '../domain/list-import/mapping';
import { ROW_ERROR_KO } from './messages';
import type { RawRow } from './read/raw-row';

/** A row whose values are valid, before its address is placed in a dong. */
export interface CheckedRow {
  row: number;
  name: string;
  age: Age | null;
  phone: string | null;
  address: string;
  signs: string[];
  situation: string | null;
  urgency: Urgency;
  /** Extra columns by header, plus 생년월일 when a full date was given. */
  extra: Record<string, string>;
}

export type RowCheck = { ok: true; value: CheckedRow } | { ok: false; row: number; reason: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** "1950-03-02", "1950.3.2", "19500302", "500302" (the resident-number form), "1950" → a date or a year. */
export function parseBirth(text: string, now: Date): { date: string | null; year: number } | undefined {
  const t = text.replace(/\s+/g, '').replace(/(년생|생)$/, '');
  const thisYear = seoulParts(now).year;
  let y: number, m: number, d: number;
  let match = /^(\d{4})[-./년]?(\d{1,2})[-./월]?(\d{1,2})일?\.?$/.exec(t);
  if (match && (t.length === 8 || /\D/.test(t))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{2})(\d{2})(\d{2})(-?\d{1,7})?$/.exec(t))) {
    const yy = Number(match[1]);
    [y, m, d] = [2000 + yy <= thisYear ? 2000 + yy : 1900 + yy, Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{4})$/.exec(t))) {
    const year = Number(match[1]);
    return year >= 1900 && year <= thisYear ? { date: null, year } : undefined;
  } else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > thisYear || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return { date: `${y}-${pad(m)}-${pad(d)}`, year: y };
}

function urgencyOf(text: string): Urgency | undefined {
  const t = text.replace(/\s+/g, '');
  const found = URGENCIES.find((u) => u.value === t || u.label.replace(/\s+/g, '') === t);
  if (found) return found.value;
  if (/^(즉시|긴급|위험|상)$/.test(t)) return 'immediate';
  if (/^(빠른확인|빠름|중)$/.test(t)) return 'prompt';
  if (/^(보통|하)$/.test(t)) return 'normal';
  return undefined;
}

/**
 * Checks one row against the mapping, in the order a person fixing the file reads it: address,
 * name, birth or age, phone, signs, urgency, situation. The first problem is the row's reason.
 */
export function checkRow(raw: RawRow, headers: string[], mapping: Mapping, district: District, now: Date): RowCheck {
  const index = new Map(headers.map((h, i) => [h, i]));
  const cell = (header: string | null) =>
    header ? (raw.cells[index.get(header) ?? -1] ?? '').replace(/\s+/g, ' ').trim() : '';
  const get = (f: MappedField) => cell(mapping.columns[f]);
  const refuse = (reason: string): RowCheck => ({ ok: false, row: raw.row, reason });

  const address = get('address');
  if (!address) return refuse(ROW_ERROR_KO.no_address);
  const nameText = get('name');
  if (!nameText) return refuse(ROW_ERROR_KO.no_name);
  const name = parseName(nameText);
  if (!name) return refuse(ROW_ERROR_KO.bad_name);

  const extra: Record<string, string> = {};
  let age: Age | null = null;
  const birthText = get('birth');
  if (birthText) {
    const birth = parseBirth(birthText, now);
    if (!birth) return refuse(ROW_ERROR_KO.bad_birth);
    age = { kind: 'birthYear', value: birth.year };
    if (birth.date) extra['생년월일'] = birth.date;
  } else if (get('age')) {
    const parsed = parseAge(get('age'), now);
    if (!parsed) return refuse(ROW_ERROR_KO.bad_age);
    age = parsed;
  }

  let phone: string | null = null;
  const phoneText = get('phone');
  if (phoneText) {
    // a number cell in Excel loses the leading 0 of 010…
    const digits = phoneText.replace(/\D/g, '');
    phone = parsePhone(/^1\d{8,9}$/.test(digits) ? `0${digits}` : phoneText) ?? null;
    if (!phone) return refuse(ROW_ERROR_KO.bad_phone);
  }

  const signs = [...mapping.defaultSigns];
  for (const part of get('signs')
    .split(/[,/·;]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const sign = district.signs.find(
      (s) => s.code === part || s.label === part || s.label.replace(/\s+/g, '') === part.replace(/\s+/g, ''),
    );
    if (!sign) return refuse(ROW_ERROR_KO.bad_sign(part));
    if (!signs.includes(sign.code)) signs.push(sign.code);
  }

  let urgency = mapping.defaultUrgency;
  if (get('urgency')) {
    const u = urgencyOf(get('urgency'));
    if (!u) return refuse(ROW_ERROR_KO.bad_urgency(get('urgency')));
    urgency = u;
  }

  for (const header of mapping.extra) if (cell(header)) extra[header] = cell(header);
  const situation = get('situation') || null;
  if (situation && situation.length > 1000) return refuse(ROW_ERROR_KO.situation_too_long);
  return { ok: true, value: { row: raw.row, name, age, phone, address, signs, situation, urgency, extra } };
}

/** The situation a report needs, made from the list when the row has none of its own. */
export function situationOf(row: CheckedRow, listName: string, partnerName: string): string {
  const extras = Object.entries(row.extra)
    .filter(([k]) => k !== '생년월일')
    .map(([k, v]) => `${k}: ${v}`);
  const text =
    row.situation ??
    `${partnerName}의 「${listName}」 명단에 포함된 세대입니다.${extras.length ? ` ${extras.join(', ')}` : ''}`;
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}
