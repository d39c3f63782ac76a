import { CRISIS_LEVELS, type CrisisLevel } from './report/crisis';
import type { District, LinkedService, Sign } from './district';

/**
 * The district's editable lists: the signs a partner picks in the chat, the services the call
 * center links at the first consultation, and the follow-up cadence by crisis level. The files in
 * data/districts/ are the starting point; an admin's edits are stored as numbered versions.
 *
 * Reports keep sign and service codes, so an item is never deleted: it is retired (no longer
 * offered) and keeps its label for the reports that carry it. Codes never change.
 */
export interface ListItem {
  code: string;
  label: string;
  labelEn?: string;
  active: boolean;
}

export interface DistrictLists {
  signs: ListItem[];
  services: ListItem[];
  followUpCadenceDays: Record<CrisisLevel, number>;
}

export interface StoredLists {
  version: number;
  lists: DistrictLists;
  savedBy: string;
  savedAt: Date;
}

/** The stored versions; a version number is taken by exactly one insert (unique _id). */
export interface DistrictListsRepository {
  latest(district: string): Promise<StoredLists | undefined>;
  /** False when another admin stored this version first. */
  insert(district: string, stored: StoredLists): Promise<boolean>;
}

export const LIST_NAMES = ['signs', 'services'] as const;
export type ListName = (typeof LIST_NAMES)[number];

/** What fits where the lists are shown: a KakaoTalk quick reply holds 14 characters and a message 10 replies (one is "done"). */
export const LIST_RULES = {
  signLabelMax: 14,
  serviceLabelMax: 30,
  labelEnMax: 40,
  maxActiveSigns: 9,
  maxActiveServices: 20,
  cadenceMin: 1,
  cadenceMax: 365,
} as const;

export type ListsChange =
  | { kind: 'edit'; list: ListName; code: string; label: string; labelEn?: string; active: boolean }
  | { kind: 'add'; list: ListName; label: string; labelEn?: string }
  | { kind: 'cadence'; days: Record<CrisisLevel, number> };

export type ListsError = 'no_item' | 'bad_label' | 'same_label' | 'none_active' | 'too_many' | 'bad_cadence' | 'busy';

export const LISTS_KO: Record<ListsError, string> = {
  no_item: '목록에 없는 항목입니다.',
  bad_label: `이름을 입력해 주세요 (징후 ${LIST_RULES.signLabelMax}자, 서비스 ${LIST_RULES.serviceLabelMax}자, 영문 이름 ${LIST_RULES.labelEnMax}자까지).`,
  same_label: '같은 이름의 항목이 이미 있습니다.',
  none_active: '사용 중인 항목이 하나는 있어야 합니다.',
  too_many: `사용 중인 징후는 ${LIST_RULES.maxActiveSigns}개, 서비스는 ${LIST_RULES.maxActiveServices}개까지입니다 (카카오톡 버튼 수).`,
  bad_cadence: `안부확인 주기는 ${LIST_RULES.cadenceMin}–${LIST_RULES.cadenceMax}일 사이의 정수로 입력해 주세요.`,
  busy: '다른 관리자와 동시에 저장하느라 실패했습니다. 다시 저장해 주세요.',
};

export type ListsResult<T> = { ok: true; value: T } | { ok: false; code: ListsError };
const fail = (code: ListsError) => ({ ok: false as const, code });

/** The lists as the district currently has them (active and retired). */
export function listsOf(d: District): DistrictLists {
  const item = (x: Sign | LinkedService, active: boolean): ListItem => ({
    code: x.code,
    label: x.label,
    ...('labelEn' in x ? { labelEn: x.labelEn } : {}),
    active,
  });
  return {
    signs: [...d.signs.map((s) => item(s, true)), ...d.retiredSigns.map((s) => item(s, false))],
    services: [...d.services.map((s) => item(s, true)), ...d.retiredServices.map((s) => item(s, false))],
    followUpCadenceDays: { ...d.followUpCadenceDays },
  };
}

/** Makes the district offer these lists from now on (reassigns, never mutates the old arrays). */
export function applyLists(d: District, lists: DistrictLists): void {
  const sign = (x: ListItem): Sign => ({ code: x.code, label: x.label, labelEn: x.labelEn ?? '' });
  const service = (x: ListItem): LinkedService => ({ code: x.code, label: x.label });
  d.signs = lists.signs.filter((x) => x.active).map(sign);
  d.retiredSigns = lists.signs.filter((x) => !x.active).map(sign);
  d.services = lists.services.filter((x) => x.active).map(service);
  d.retiredServices = lists.services.filter((x) => !x.active).map(service);
  d.followUpCadenceDays = { ...lists.followUpCadenceDays };
}

/** A fresh code for an added item: extra_a, extra_b, … (codes are letters and _ only). */
function freshCode(items: ListItem[]): string {
  const taken = new Set(items.map((x) => x.code));
  for (let n = 0; ; n++) {
    let s = '';
    for (let k = n; ; k = Math.floor(k / 26) - 1) {
      s = String.fromCharCode(97 + (k % 26)) + s;
      if (k < 26) break;
    }
    if (!taken.has(`extra_${s}`)) return `extra_${s}`;
  }
}

const clean = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Applies one admin change to the lists, or says in Korean why not. */
export function changeLists(current: DistrictLists, change: ListsChange): ListsResult<DistrictLists> {
  if (change.kind === 'cadence') {
    const ok = CRISIS_LEVELS.every(
      (l) =>
        Number.isInteger(change.days[l]) &&
        change.days[l] >= LIST_RULES.cadenceMin &&
        change.days[l] <= LIST_RULES.cadenceMax,
    );
    return ok ? { ok: true, value: { ...current, followUpCadenceDays: { ...change.days } } } : fail('bad_cadence');
  }
  const items = current[change.list];
  const label = clean(change.label);
  const labelEn = change.labelEn === undefined ? undefined : clean(change.labelEn);
  const max = change.list === 'signs' ? LIST_RULES.signLabelMax : LIST_RULES.serviceLabelMax;
  if (!label || [...label].length > max || (labelEn !== undefined && labelEn.length > LIST_RULES.labelEnMax))
    return fail('bad_label');
  let next: ListItem[];
  if (change.kind === 'add') {
    next = [
      ...items,
      { code: freshCode(items), label, ...(change.list === 'signs' ? { labelEn: labelEn ?? '' } : {}), active: true },
    ];
  } else {
    const at = items.findIndex((x) => x.code === change.code);
    if (at < 0) return fail('no_item');
    next = items.map((x, i) =>
      i === at
        ? {
            ...x,
            label,
            ...(change.list === 'signs' ? { labelEn: labelEn ?? x.labelEn ?? '' } : {}),
            active: change.active,
          }
        : x,
    );
  }
  const active = next.filter((x) => x.active);
  // the chat matches a typed sign by its label, so two alike would be one button too many
  if (new Set(next.map((x) => x.label)).size !== next.length) return fail('same_label');
  if (active.length === 0) return fail('none_active');
  if (active.length > (change.list === 'signs' ? LIST_RULES.maxActiveSigns : LIST_RULES.maxActiveServices))
    return fail('too_many');
  return { ok: true, value: { ...current, [change.list]: next } };
}

export interface ListsDeps {
  lists: DistrictListsRepository;
  district: District;
}

/**
 * Stores one change as the next version and applies it. Two admins saving at once both read the
 * same version; the unique insert lets one through and the other re-reads and re-applies its
 * change to the winner's lists, so neither edit is lost.
 */
export async function saveListsChange(
  deps: ListsDeps,
  change: ListsChange,
  by: string,
  now: Date,
): Promise<ListsResult<StoredLists>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await deps.lists.latest(deps.district.id);
    const base = latest?.lists ?? listsOf(deps.district);
    const next = changeLists(base, change);
    if (!next.ok) return next;
    const stored: StoredLists = { version: (latest?.version ?? 0) + 1, lists: next.value, savedBy: by, savedAt: now };
    if (await deps.lists.insert(deps.district.id, stored)) {
      applyLists(deps.district, stored.lists);
      return { ok: true, value: stored };
    }
  }
  return fail('busy');
}

/** Brings the district up to the stored lists (at start, and periodically for other instances' edits). */
export async function refreshLists(deps: ListsDeps): Promise<number> {
  const latest = await deps.lists.latest(deps.district.id);
  if (latest) applyLists(deps.district, latest.lists);
  return latest?.version ?? 0;
}
