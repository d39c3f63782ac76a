import type { District, Dong } from './district';
import type { AddressGeocoder } from './kakao-local';
import type { RoadAddressSearch } from './road-address';

export type DongResolution =
  | { kind: 'resolved'; dong: Dong; by: 'dong-name' | 'legal-dong' | 'geocoder' | 'road-address' }
  | { kind: 'candidates'; dongs: Dong[]; reason: 'split-legal-dong' | 'not-found' }
  | { kind: 'outside'; place: string };

/** Seoul's districts and the provinces: a name here that is not ours means the address is elsewhere. */
const OTHER_REGIONS = [
  '종로구', '중구', '용산구', '성동구', '광진구', '동대문구', '중랑구', '성북구', '강북구', '도봉구', '노원구', '은평구',
  '서대문구', '마포구', '양천구', '강서구', '구로구', '금천구', '영등포구', '동작구', '관악구', '서초구', '강남구', '송파구', '강동구',
  '부산', '대구', '인천', '광주', '대전', '울산', '세종', '경기', '강원', '충북', '충남', '전북', '전남', '경북', '경남', '제주',
  '경기도', '강원도', '충청북도', '충청남도', '전라북도', '전라남도', '경상북도', '경상남도', '제주도',
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

/**
 * All dongs, those the text points at first: a dong or legal dong whose name (or its stem, as in
 * "연희로" for 연희동) starts a word of the text. Without any geocoder this puts the likely ones on top.
 */
export function dongsMentionedFirst(district: District, text: string): Dong[] {
  const words = tokens(text);
  const hit = (name: string) => words.some((w) => w.startsWith(name) || (stem(name).length >= 2 && w.startsWith(stem(name))));
  const codes = new Set<string>();
  for (const d of district.dongs) if (d.aliases.some(hit)) codes.add(d.code);
  for (const l of district.legalDongs) if (hit(l.name)) for (const c of l.dongCodes) codes.add(c);
  return [...district.dongs.filter((d) => codes.has(d.code)), ...district.dongs.filter((d) => !codes.has(d.code))];
}

/**
 * Finds the administrative dong of a free-text address, in this order: an administrative dong
 * named in the text; a legal dong that maps to one administrative dong; the geocoder (Kakao
 * Local) when configured; the road-name address search (its legal dong, mapped through the
 * district data) when configured and Kakao did not place it; else the candidates for the
 * reporter to choose from, the dongs the text mentions first.
 */
export async function resolveDong(district: District, text: string, geocode?: AddressGeocoder, roadSearch?: RoadAddressSearch): Promise<DongResolution> {
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
    const named = district.dongs.find((d) => d.aliases.some((a) => namesPlace(words, a) && !splitLegal.some((l) => l.name === a)));
    if (named) return { kind: 'resolved', dong: named, by: 'dong-name' };
  }

  const legal = district.legalDongs.find((l) => l.dongCodes.length === 1 && namesPlace(words, l.name));
  if (legal) {
    const dong = district.dongByCode(legal.dongCodes[0]!);
    if (dong) return { kind: 'resolved', dong, by: 'legal-dong' };
  }

  if (geocode) {
    const found = await geocode(address.includes(district.name) ? address : `${district.sidoName} ${district.name} ${address}`);
    if (found && found.districtName !== district.name) return { kind: 'outside', place: `${found.sidoName} ${found.districtName}` };
    const dong = found ? district.dongByCode(found.hCode) : undefined;
    if (dong) return { kind: 'resolved', dong, by: 'geocoder' };
  }

  if (roadSearch) {
    const found = await roadSearch(address.includes(district.name) ? address : `${district.name} ${address}`);
    if (found && found.districtName !== district.name) return { kind: 'outside', place: `${found.sidoName} ${found.districtName}` };
    const codes = new Set(found?.legalDongCodes.flatMap((code) => district.legalDongs.find((l) => l.code === code)?.dongCodes ?? []));
    const dongs = district.dongs.filter((d) => codes.has(d.code));
    if (dongs.length === 1) return { kind: 'resolved', dong: dongs[0]!, by: 'road-address' };
    // a split legal dong: ask, offering only its dongs
    if (dongs.length > 1) return { kind: 'candidates', dongs, reason: 'split-legal-dong' };
  }

  if (splitLegal.length > 0) {
    const codes = new Set(splitLegal.flatMap((l) => l.dongCodes));
    return { kind: 'candidates', dongs: district.dongs.filter((d) => codes.has(d.code)), reason: 'split-legal-dong' };
  }
  return { kind: 'candidates', dongs: dongsMentionedFirst(district, address), reason: 'not-found' };
}
