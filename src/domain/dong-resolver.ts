import type { District, Dong } from './district';
import type { AddressGeocoder, RoadAddressSearch } from './geocoding';

export type DongResolution =
  | { kind: 'resolved'; dong: Dong; by: 'dong-name' | 'legal-dong' | 'geocoder' | 'road-address' }
  | { kind: 'candidates'; dongs: Dong[]; reason: 'split-legal-dong' | 'not-found' }
  /** A dong name within one or two typing mistakes ("홍응동" → 홍은동): asked back, its dongs offered. */
  | { kind: 'typo'; typed: string; meant: string; dongs: Dong[] }
  | { kind: 'outside'; place: string };

/** Seoul's districts and the provinces: a name here that is not ours means the address is elsewhere. */
const OTHER_REGIONS = [
  '종로구',
  '중구',
  '용산구',
  '성동구',
  '광진구',
  '동대문구',
  '중랑구',
  '성북구',
  '강북구',
  '도봉구',
  '노원구',
  '은평구',
  '서대문구',
  '마포구',
  '양천구',
  '강서구',
  '구로구',
  '금천구',
  '영등포구',
  '동작구',
  '관악구',
  '서초구',
  '강남구',
  '송파구',
  '강동구',
  '부산',
  '대구',
  '인천',
  '광주',
  '대전',
  '울산',
  '세종',
  '경기',
  '강원',
  '충북',
  '충남',
  '전북',
  '전남',
  '경북',
  '경남',
  '제주',
  '경기도',
  '강원도',
  '충청북도',
  '충청남도',
  '전라북도',
  '전라남도',
  '경상북도',
  '경상남도',
  '제주도',
];

/** Puts "홍제 3동" and "홍제3 동" into the written form "홍제3동" and folds spacing. */
export function normalizeAddress(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(/([가-힣])\s+(\d{1,2})\s*동/g, '$1$2동')
    .trim();
}

/** Words of the address, split where people put spaces, commas or parentheses. */
function tokens(text: string): string[] {
  return text.split(/[\s,()[\]·/]+/).filter(Boolean);
}

/** A place name counts when it starts a word: "홍제동123-4", "홍제동," and "홍제동" all name 홍제동. */
function namesPlace(words: string[], name: string): boolean {
  return words.some((w) => w === name || (w.startsWith(name) && /^[\d\-번지]/.test(w.slice(name.length))));
}

function outsidePlace(district: District, words: string[]): string | undefined {
  for (const w of words) {
    const bare = w.replace(/(특별시|광역시|특별자치시|특별자치도|시)$/, '');
    if (w === district.name || bare === district.sidoName.replace(/특별시$/, '')) continue;
    if (OTHER_REGIONS.includes(w) || OTHER_REGIONS.includes(bare)) return w;
  }
  return undefined;
}

/** "홍제1동" → "홍제", "충정로2가" → "충정로": the part of a dong's name that roads and places reuse. */
const stem = (name: string) => name.replace(/(제?\d+)?(동|가)$/, '');

/** Hangul syllables as their letters (jamo), so "응" and "은" differ by one letter as they do on a keyboard. */
function jamo(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0xac00 || c > 0xd7a3) {
      out.push(c);
      continue;
    }
    const i = c - 0xac00;
    out.push(0x1100 + Math.floor(i / 588), 0x1161 + Math.floor((i % 588) / 28));
    if (i % 28) out.push(0x11a7 + (i % 28));
  }
  return out;
}

/** Edit distance (insert, delete, substitute) between two short letter sequences. */
function editDistance(a: number[], b: number[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

const codesKey = (codes: Set<string>) => [...codes].sort().join(',');

/** Typing mistakes allowed in a place name: one or two letters, never more than a third of them. */
const MAX_TYPOS = 2;

/** The words of the text that look like a dong's name ("홍응동", "연회동48-12" → 연회동, "홍은1동"). */
const dongLikeWords = (words: string[]) =>
  words.flatMap((w) => /^[가-힣]{1,6}(제?\d{1,2})?(동|가)(?=$|[\d\-]|번지)/.exec(w)?.[0] ?? []);

/**
 * The dong or legal-dong name a mistyped word most likely means ("홍응동 48-12" → 홍은동, "연회동" →
 * 연희동), with the administrative dongs it stands for. Only words shaped like a dong name are read,
 * and only the closest name within MAX_TYPOS letters counts; a tie between names is no answer.
 */
export function likelyMistyped(
  district: District,
  text: string,
): { typed: string; meant: string; dongs: Dong[] } | undefined {
  const names = new Map<string, Set<string>>();
  const add = (name: string, codes: string[]) => names.set(name, new Set([...(names.get(name) ?? []), ...codes]));
  for (const d of district.dongs) for (const a of d.aliases) add(a, [d.code]);
  for (const l of district.legalDongs) add(l.name, l.dongCodes);
  let best: { typed: string; meant: string; distance: number; tie: boolean } | undefined;
  for (const typed of dongLikeWords(tokens(normalizeAddress(text)))) {
    if (names.has(typed)) continue;
    const t = jamo(typed);
    for (const name of names.keys()) {
      const n = jamo(name);
      const distance = editDistance(t, n);
      if (distance > MAX_TYPOS || distance * 3 > n.length) continue;
      if (!best || distance < best.distance) best = { typed, meant: name, distance, tie: false };
      else if (distance === best.distance && codesKey(names.get(name)!) !== codesKey(names.get(best.meant)!))
        best.tie = true;
    }
  }
  if (!best || best.tie) return undefined;
  const codes = names.get(best.meant)!;
  return { typed: best.typed, meant: best.meant, dongs: district.dongs.filter((d) => codes.has(d.code)) };
}

/** How close a dong's names come to any word of the text (0 = named): for putting the likeliest first. */
function closeness(district: District, dong: Dong, words: string[]): number {
  const candidates = dongLikeWords(words).map(jamo);
  if (candidates.length === 0) return Number.POSITIVE_INFINITY;
  const names = [
    ...dong.aliases,
    ...district.legalDongs.filter((l) => l.dongCodes.includes(dong.code)).map((l) => l.name),
  ].map(jamo);
  return Math.min(...candidates.flatMap((c) => names.map((n) => editDistance(c, n))));
}

/**
 * All dongs, those the text points at first: a dong or legal dong whose name (or its stem, as in
 * "연희로" for 연희동) starts a word of the text. Without any geocoder this puts the likely ones on top.
 */
export function dongsMentionedFirst(district: District, text: string): Dong[] {
  const words = tokens(text);
  const hit = (name: string) =>
    words.some((w) => w.startsWith(name) || (stem(name).length >= 2 && w.startsWith(stem(name))));
  const codes = new Set<string>();
  for (const d of district.dongs) if (d.aliases.some(hit)) codes.add(d.code);
  for (const l of district.legalDongs) if (hit(l.name)) for (const c of l.dongCodes) codes.add(c);
  // then the rest by how close their names come to a dong-like word of the text (a typo), then in the district's order
  const rest = district.dongs.filter((d) => !codes.has(d.code));
  const near = new Map(rest.map((d) => [d.code, closeness(district, d, words)]));
  const ranked = rest.map((d, i) => ({ d, i })).sort((a, b) => near.get(a.d.code)! - near.get(b.d.code)! || a.i - b.i);
  return [...district.dongs.filter((d) => codes.has(d.code)), ...ranked.map((x) => x.d)];
}

/**
 * Finds the administrative dong of a free-text address, in this order: an administrative dong
 * named in the text; a legal dong that maps to one administrative dong; the geocoder (Kakao
 * Local) when configured; the road-name address search (its legal dong, mapped through the
 * district data) when configured and Kakao did not place it; else the candidates for the
 * reporter to choose from, the dongs the text mentions first.
 */
export async function resolveDong(
  district: District,
  text: string,
  geocode?: AddressGeocoder,
  roadSearch?: RoadAddressSearch,
): Promise<DongResolution> {
  const address = normalizeAddress(text);
  const words = tokens(address);
  const outside = outsidePlace(district, words);
  if (outside) return { kind: 'outside', place: outside };

  const splitLegal = district.legalDongs.filter((l) => l.dongCodes.length > 1 && namesPlace(words, l.name));
  if (splitLegal.length === 0) {
    const named = district.dongs.find((d) => d.aliases.some((a) => namesPlace(words, a)));
    if (named) return { kind: 'resolved', dong: named, by: 'dong-name' };
  } else {
    // "북아현동" is both a dong and a split legal dong: only the exact admin form decides
    const named = district.dongs.find((d) =>
      d.aliases.some((a) => namesPlace(words, a) && !splitLegal.some((l) => l.name === a)),
    );
    if (named) return { kind: 'resolved', dong: named, by: 'dong-name' };
  }

  const legal = district.legalDongs.find((l) => l.dongCodes.length === 1 && namesPlace(words, l.name));
  if (legal) {
    const dong = district.dongByCode(legal.dongCodes[0]!);
    if (dong) return { kind: 'resolved', dong, by: 'legal-dong' };
  }

  if (geocode) {
    const found = await geocode(
      address.includes(district.name) ? address : `${district.sidoName} ${district.name} ${address}`,
    );
    if (found && found.districtName !== district.name)
      return { kind: 'outside', place: `${found.sidoName} ${found.districtName}` };
    const dong = found ? district.dongByCode(found.hCode) : undefined;
    if (dong) return { kind: 'resolved', dong, by: 'geocoder' };
  }

  if (roadSearch) {
    const found = await roadSearch(address.includes(district.name) ? address : `${district.name} ${address}`);
    if (found && found.districtName !== district.name)
      return { kind: 'outside', place: `${found.sidoName} ${found.districtName}` };
    const codes = new Set(
      found?.legalDongCodes.flatMap((code) => district.legalDongs.find((l) => l.code === code)?.dongCodes ?? []),
    );
    const dongs = district.dongs.filter((d) => codes.has(d.code));
    if (dongs.length === 1) return { kind: 'resolved', dong: dongs[0]!, by: 'road-address' };
    // a split legal dong: ask, offering only its dongs
    if (dongs.length > 1) return { kind: 'candidates', dongs, reason: 'split-legal-dong' };
  }

  if (splitLegal.length > 0) {
    const codes = new Set(splitLegal.flatMap((l) => l.dongCodes));
    return { kind: 'candidates', dongs: district.dongs.filter((d) => codes.has(d.code)), reason: 'split-legal-dong' };
  }
  const mistyped = likelyMistyped(district, address);
  if (mistyped) return { kind: 'typo', ...mistyped };
  return { kind: 'candidates', dongs: dongsMentionedFirst(district, address), reason: 'not-found' };
}
