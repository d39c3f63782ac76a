import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** District data lives in data/districts/<id>.json (see its SOURCE.md); adding a district is adding files. */
export const DISTRICTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../data/districts');

const polygon = z.array(z.array(z.tuple([z.number(), z.number()])));
const districtFile = z.object({
  sido: z.object({ name: z.string() }),
  district: z.object({ name: z.string(), admin_code: z.string() }),
  admin_dongs: z.array(
    z.object({
      name: z.string(),
      stat_name: z.string(),
      aliases: z.array(z.string()),
      admin_code: z.string().regex(/^\d{10}$/),
      boundary: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon) }).optional(),
    }),
  ),
  legal_dongs: z.array(
    z.object({ name: z.string(), code: z.string(), admin_codes: z.array(z.string()).min(1), ambiguous: z.boolean() }),
  ),
});

const signsFile = z.object({
  signs: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z_]+$/),
        label: z.string().min(1).max(14),
        labelEn: z.string(),
        words: z.array(z.string().min(1)).default([]),
      }),
    )
    .min(1),
});

const dangerFile = z.object({ phrases: z.array(z.string().min(2)).min(1) });

const caseworkFile = z.object({
  services: z.array(z.object({ code: z.string().regex(/^[a-z_]+$/), label: z.string().min(1).max(30) })).min(1),
  followUpCadenceDays: z.object({
    high: z.number().int().min(1).max(365),
    medium: z.number().int().min(1).max(365),
    low: z.number().int().min(1).max(365),
    none: z.number().int().min(1).max(365),
  }),
});

/** A service the call center links at the first consultation (a district list, like the signs). */
export interface LinkedService {
  code: string;
  label: string;
}

export interface Dong {
  code: string;
  /** The common form people and maps use (홍제1동); the Ministry's form is among the aliases. */
  name: string;
  officialName: string;
  aliases: string[];
  boundary?: number[][][][];
}

export interface LegalDong {
  name: string;
  code: string;
  dongCodes: string[];
}

export interface Sign {
  code: string;
  label: string;
  labelEn: string;
}

export interface District {
  id: string;
  name: string;
  sidoName: string;
  dongs: Dong[];
  legalDongs: LegalDong[];
  /** The signs offered in the chat; `retiredSigns` are no longer offered but still name old reports' codes. */
  signs: Sign[];
  retiredSigns: Sign[];
  /**
   * What people type that names a sign, by sign code (from the signs file; matched without
   * spaces, beside the label's own words). Not an editable list: an admin's label edit keeps them.
   */
  signWords: Record<string, string[]>;
  /** Phrases that mean danger now (쓰러져, 가스 냄새, 죽고 싶 …), from `danger.default.json` or `<id>.danger.json`. */
  dangerPhrases: string[];
  /** Services linked at the first consultation (data/districts/casework.default.json or <id>.casework.json). */
  services: LinkedService[];
  retiredServices: LinkedService[];
  /** Days between follow-up calls by crisis level (사후관리 안부확인). */
  followUpCadenceDays: Record<'high' | 'medium' | 'low' | 'none', number>;
  dongByCode(code: string): Dong | undefined;
  /** Accepts either name form (홍제1동 or 홍제제1동), with or without the space people type. */
  dongByName(name: string): Dong | undefined;
}

const cache = new Map<string, District>();

export function loadDistrict(id: string, dir = DISTRICTS_DIR): District {
  const key = `${dir}:${id}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const path = join(dir, `${id}.json`);
  if (!existsSync(path)) throw new Error(`unknown district "${id}": no ${path}`);
  const raw = districtFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  const signsPath = existsSync(join(dir, `${id}.signs.json`))
    ? join(dir, `${id}.signs.json`)
    : join(dir, 'signs.default.json');
  const signsData = signsFile.parse(JSON.parse(readFileSync(signsPath, 'utf8'))).signs;
  const signs = signsData.map(({ code, label, labelEn }) => ({ code, label, labelEn }));
  const signWords = Object.fromEntries(signsData.map((s) => [s.code, s.words]));
  const dangerPath = existsSync(join(dir, `${id}.danger.json`))
    ? join(dir, `${id}.danger.json`)
    : join(dir, 'danger.default.json');
  const { phrases: dangerPhrases } = dangerFile.parse(JSON.parse(readFileSync(dangerPath, 'utf8')));
  const caseworkPath = existsSync(join(dir, `${id}.casework.json`))
    ? join(dir, `${id}.casework.json`)
    : join(dir, 'casework.default.json');
  const casework = caseworkFile.parse(JSON.parse(readFileSync(caseworkPath, 'utf8')));

  const dongs: Dong[] = raw.admin_dongs.map((d) => ({
    code: d.admin_code,
    name: d.stat_name,
    officialName: d.name,
    aliases: [...new Set([d.stat_name, d.name, ...d.aliases])],
    boundary: d.boundary?.coordinates,
  }));
  const byCode = new Map(dongs.map((d) => [d.code, d]));
  const byName = new Map<string, Dong>();
  for (const d of dongs) for (const a of d.aliases) byName.set(a, d);

  const district: District = {
    id,
    name: raw.district.name,
    sidoName: raw.sido.name,
    dongs,
    legalDongs: raw.legal_dongs.map((l) => ({ name: l.name, code: l.code, dongCodes: l.admin_codes })),
    signs,
    retiredSigns: [],
    signWords,
    dangerPhrases,
    services: casework.services,
    retiredServices: [],
    followUpCadenceDays: casework.followUpCadenceDays,
    dongByCode: (code) => byCode.get(code),
    dongByName: (name) => byName.get(name.replace(/\s+/g, '')),
  };
  cache.set(key, district);
  return district;
}

/**
 * One app's own copy of the district, whose lists an admin's edits replace (src/domain/district-lists.ts)
 * without touching the cached file data other apps in the process share.
 */
export function districtForApp(d: District): District {
  return {
    ...d,
    signs: [...d.signs],
    retiredSigns: [...d.retiredSigns],
    services: [...d.services],
    retiredServices: [...d.retiredServices],
    followUpCadenceDays: { ...d.followUpCadenceDays },
  };
}

/** A sign's label, retired ones included (reports keep the code). */
export const signLabel = (d: District, code: string): string =>
  (d.signs.find((s) => s.code === code) ?? d.retiredSigns.find((s) => s.code === code))?.label ?? code;
/** A service's label, retired ones included. */
export const serviceLabel = (d: District, code: string): string =>
  (d.services.find((s) => s.code === code) ?? d.retiredServices.find((s) => s.code === code))?.label ?? code;
