import { randomUUID } from 'node:crypto';
import { addressKey, DUPLICATE_WINDOW_MS } from '../domain/address-key';
import type { District, Dong } from '../domain/district';
import type { Age } from '../domain/report/age';
import { CRISIS_LEVELS, type CrisisLevel } from '../domain/report/crisis';
import type { Report } from '../domain/report/report';
import type { ReportStatus } from '../domain/report/status';
import type { Urgency } from '../domain/report/urgency';
import type { Channel } from '../domain/channel';
import { newReport, type ReportFacts } from '../domain/report/new-report';
import { seoulDate } from '../domain/time';
import { decideAction, type Actor } from '../domain/workflow/apply-action';
import type { ReportAction } from '../domain/workflow/report-actions';

/**
 * Synthetic reports for demos and benchmarks: a district's years of reports, built the way real
 * ones are (the filing's `newReport`, then each staff or dong-center action decided by the
 * workflow's `decideAction`), so their fields and histories look like the service's own.
 * Every name, address and phone is obviously fake (김가명, 가상로, 010-0000-xxxx), and every report
 * carries `demo: true`.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** How far back demo reports go. */
export const DEMO_YEARS = 3;

export interface DemoPartner {
  id: string;
  name: string;
  kind: string;
}

/** A seeded pseudo-random source (mulberry32): the same seed gives the same district. */
export function demoRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
export type DemoRandom = ReturnType<typeof demoRandom>;

/** When a demo report came in and for which dong, before it is built. */
export interface DemoSlot {
  receivedAt: Date;
  dong: Dong;
  /** One of the slots that give every dong its recent reports: always its own dong's, never a duplicate. */
  covering?: true;
}

/**
 * `count` receipt times over the last three years, oldest first. The first ones give every dong
 * a report every three days over the last five weeks, so each dong has reports in every recent
 * week (the weekly lists and their benchmark measure real lists); the rest fall anywhere.
 */
export function demoSlots(count: number, district: District, now: Date, rnd: DemoRandom): DemoSlot[] {
  const dongs = district.dongs;
  const covering = Math.min(dongs.length * 12, Math.floor(count / 2));
  const slots: DemoSlot[] = [];
  for (let i = 0; i < count; i++) {
    const ageDays = i < covering ? Math.floor(i / dongs.length) * 3 + rnd.next() * 2.9 : rnd.next() * DEMO_YEARS * 365;
    const dong = i < covering ? dongs[i % dongs.length]! : rnd.pick(dongs);
    const receivedAt = officeHours(new Date(now.getTime() - ageDays * DAY), now, rnd);
    slots.push(i < covering ? { receivedAt, dong, covering: true } : { receivedAt, dong });
  }
  return slots.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/** Most reports come in between 8:00 and 19:00 in Seoul; never after `now`. */
function officeHours(day: Date, now: Date, rnd: DemoRandom): Date {
  const midnight = new Date(`${seoulDate(day)}T00:00:00+09:00`).getTime();
  const at = new Date(midnight + (8 + rnd.next() * 11) * HOUR);
  return at <= now ? at : new Date(now.getTime() - rnd.next() * Math.min(HOUR, now.getTime() - midnight));
}

const SURNAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권'];
const GIVEN = ['가명', '예시', '무명', '샘플', '가상', '데모', '견본', '시범'];
const ROADS = ['가상로', '예시길', '데모로', '샘플길', '견본로'];
const BUILDINGS = ['가상빌라', '데모아파트', '예시맨션', '샘플하우스'];
const SIGN_WEIGHT: Record<string, number> = {
  utility_arrears: 5,
  mail_piled: 4,
  garbage_smell: 2,
  no_sign_of_life: 2,
  ill_immobile: 3,
  other: 1,
};
const SITUATIONS: Record<string, readonly string[]> = {
  utility_arrears: [
    '전기요금 독촉장이 현관에 붙어 있고 두 달째 밀렸다고 합니다.',
    '가스가 끊긴 상태로 겨울을 나고 계신 것 같습니다.',
    '수도 단수 예고문이 붙어 있습니다.',
  ],
  mail_piled: ['우편함에 고지서가 가득 차 넘쳐 있습니다.', '일주일 넘게 우편물이 문 앞에 쌓여 있습니다.'],
  garbage_smell: ['집 앞에 쓰레기가 쌓여 있고 악취가 납니다.', '이웃이 악취 때문에 여러 번 민원을 넣었다고 합니다.'],
  no_sign_of_life: ['며칠째 불이 꺼져 있고 인기척이 없습니다.', '초인종을 눌러도 대답이 없고 우유가 그대로 있습니다.'],
  ill_immobile: [
    '거동이 불편해 보이시고 식사를 제대로 못 하신다고 합니다.',
    '혼자 사시는데 지병이 있어 병원에 못 가고 계십니다.',
  ],
  other: ['이웃 주민이 걱정된다며 알려 주셨습니다.', '배달 중 만나 뵀는데 많이 힘들어 보이셨습니다.'],
};
const CONSULT_RESULTS = [
  '신고자와 통화해 상황을 확인했습니다.',
  '대상자와 통화 연결, 방문 필요.',
  '통화 안 됨, 주민센터 방문 요청.',
  '기존 수급 여부 확인 후 동 연계.',
];
const SIMPLE_CLOSE = ['단순 안내 후 종결', '이미 지원 중인 가구로 확인되어 종결', '전출 확인, 종결'];
const VISIT_RESULTS = [
  '독거 어르신, 건강 상태 양호하나 공과금 체납',
  '긴급지원 대상 여부 검토',
  '가족과 연락이 끊긴 1인 가구, 정기 안부 확인 필요',
  '주거 환경 열악, 주거 지원 연계',
  '부재, 이웃 통해 안부 확인',
];
const SUPPORT = ['긴급생계지원 연계', '에너지바우처 신청', '푸드뱅크 연계', '방문건강관리 연계', null, null];
const CLOSE_AFTER_VISIT = ['지원 연계 완료', '방문 결과 위기 없음', '사후관리 종료'];
const CHANNELS: readonly Channel[] = ['kakao', 'kakao', 'kakao', 'telegram', 'slack', 'web'];

/** Recent reports by address, for the occasional second report of the same household. */
export type DemoRecent = { text: string; dong: Dong; receiptNo: string; receivedAt: Date }[];

/**
 * One demo report received at `slot.receivedAt`, numbered `receiptNo`, taken as far through the
 * workflow as its age makes likely: older reports mostly closed after a visit, recent ones open.
 */
export function demoReport(
  ctx: { district: District; partners: readonly DemoPartner[]; now: Date; recent: DemoRecent },
  slot: DemoSlot,
  receiptNo: string,
  rnd: DemoRandom,
): Omit<Report, 'id'> {
  const { district, now } = ctx;
  const at = slot.receivedAt;
  // The same household again, within the duplicate window: linked for staff to merge or keep.
  const earlier = ctx.recent.filter((r) => at.getTime() - r.receivedAt.getTime() < DUPLICATE_WINDOW_MS);
  // Covering slots keep their dong whatever the draw (the weeks' lists promise every dong a report).
  const again = !slot.covering && earlier.length > 0 && rnd.chance(0.03) ? rnd.pick(earlier) : undefined;
  const dong = again?.dong ?? slot.dong;
  const address = again?.text ?? fakeAddress(district, dong, rnd);
  const partnerIndex = rnd.int(ctx.partners.length);
  const partner = ctx.partners[partnerIndex]!;
  const unknownDong = !again && !slot.covering && rnd.chance(0.05);
  const signs = pickSigns(district, rnd);
  const draft: ReportFacts & { partnerId: string } = {
    submissionId: randomUUID(),
    partnerId: partner.id,
    address,
    dong: unknownDong ? null : { code: dong.code, name: dong.name },
    dongBy: unknownDong
      ? undefined
      : rnd.pick(['dong-name', 'dong-name', 'geocoder', 'legal-dong', 'location'] as const),
    signs,
    name: rnd.chance(0.8) ? `${rnd.pick(SURNAMES)}${rnd.pick(GIVEN)}` : null,
    age: rnd.chance(0.7) ? fakeAge(rnd) : null,
    phone: rnd.chance(0.6) ? `010-0000-${String(rnd.int(10_000)).padStart(4, '0')}` : null,
    situation: rnd.pick(SITUATIONS[signs[0]!] ?? SITUATIONS.other!),
    urgency: rnd.pick([
      'immediate',
      'prompt',
      'prompt',
      'normal',
      'normal',
      'normal',
      'normal',
    ] as const satisfies readonly Urgency[]),
  };
  const reporter = rnd.chance(0.05)
    ? null
    : { channel: rnd.pick(CHANNELS), userId: `demo-${partnerIndex}-${rnd.int(4)}` };
  let report: Report = {
    id: draft.submissionId,
    rev: 1,
    ...newReport(draft, {
      district: district.id,
      receiptNo,
      partner,
      reporter: reporter ?? { channel: 'list', userId: '' },
      receivedAt: at,
    }),
    addressKey: addressKey(address),
    duplicateOf: again?.receiptNo ?? null,
    duplicateState: again ? 'suspected' : null,
    demo: true,
  };
  ctx.recent.push({ text: address, dong, receiptNo: again?.receiptNo ?? receiptNo, receivedAt: at });
  if (ctx.recent.length > 200) ctx.recent.shift();

  const { actions, span } = lifecycle(report, district, now, rnd);
  actions.forEach(([actor, action], k) => {
    const when = new Date(at.getTime() + (span * (k + 1)) / (actions.length + 0.5));
    const decided = decideAction(report, action, district, actor, when);
    if (!decided.ok) throw new Error(`demo lifecycle refused ${action.type} on ${report.status}: ${decided.reason}`);
    report = { ...decided.report, rev: (report.rev ?? 1) + 1 };
  });
  const { id: _id, ...stored } = report;
  return stored;
}

/** The actions a report of this age has seen, and over how long after its receipt they were spread. */
function lifecycle(
  report: Report,
  district: District,
  now: Date,
  rnd: DemoRandom,
): { actions: [Actor, ReportAction][]; span: number } {
  const age = now.getTime() - report.receivedAt.getTime();
  const ageDays = age / DAY;
  const openChance = ageDays < 3 ? 0.8 : ageDays < 10 ? 0.3 : ageDays < 35 ? 0.05 : 0.0015;
  const open = rnd.chance(openChance);
  const staff: Actor = { id: `demo-staff-${1 + rnd.int(4)}`, role: 'staff' };
  const dongCode = report.assignedDongCode ?? rnd.pick(district.dongs).code;
  const dongActor: Actor = { id: `demo-dong-${dongCode}`, role: 'dong', dongCode };
  const consult: [Actor, ReportAction] = [staff, { type: 'consult', result: rnd.pick(CONSULT_RESULTS) }];
  const assign: [Actor, ReportAction] = [staff, { type: 'assign', dongCode }];
  const requestVisit: [Actor, ReportAction] = [staff, { type: 'request_visit' }];
  const visitOnce = (followUpNeeded: boolean, reached: boolean): [Actor, ReportAction] => [
    dongActor,
    {
      type: 'visit_result',
      reached,
      investigationResult: rnd.pick(VISIT_RESULTS),
      ...(() => {
        const s = rnd.pick(SUPPORT);
        return s ? { supportProvided: s } : {};
      })(),
      enteredInSystem: rnd.chance(0.6),
      crisisLevel: crisis(rnd),
      followUpNeeded,
    },
  ];
  // Nobody home (부재) sends the case back for a second visit, which then meets the household.
  const visit = (followUpNeeded: boolean): [Actor, ReportAction][] =>
    rnd.chance(0.85) ? [visitOnce(followUpNeeded, true)] : [visitOnce(false, false), visitOnce(followUpNeeded, true)];
  const followUp = (from: number): [Actor, ReportAction] => [
    staff,
    { type: 'follow_up', dueDate: seoulDate(new Date(from + (14 + rnd.int(46)) * DAY)) },
  ];

  if (open) {
    // Old open reports are the long follow-ups; recent ones stand anywhere before closing.
    const stage =
      ageDays > 35
        ? 'follow_up'
        : rnd.pick([
            'received',
            'received',
            'consulted',
            'assigned',
            'assigned',
            'visit_requested',
            'visited',
            'follow_up',
          ] as const);
    const span = age * (0.3 + rnd.next() * 0.6);
    const path: Record<Exclude<ReportStatus, 'closed'>, [Actor, ReportAction][]> = {
      received: [],
      consulted: [consult],
      assigned: [consult, assign],
      visit_requested: [consult, assign, requestVisit],
      visited: [consult, assign, requestVisit, ...visit(false)],
      follow_up: [
        consult,
        assign,
        requestVisit,
        ...visit(true),
        followUp(now.getTime() - (ageDays > 35 ? 30 * DAY : 0)),
      ],
    };
    const actions = [...path[stage]];
    if (report.duplicateState === 'suspected' && rnd.chance(0.5)) actions.push([staff, { type: 'keep_separate' }]);
    return { actions, span };
  }
  // Closed: within days or weeks, never after now (recent closed ones in the time they had).
  const span = Math.min(age * 0.9, (2 + rnd.next() * 25) * DAY);
  if (report.duplicateState === 'suspected' && rnd.chance(0.7))
    return { actions: [consult, [staff, { type: 'merge_duplicate' }]], span };
  if (rnd.chance(0.15)) return { actions: [consult, [staff, { type: 'close', reason: rnd.pick(SIMPLE_CLOSE) }]], span };
  const actions: [Actor, ReportAction][] = [consult, assign, requestVisit];
  if (rnd.chance(0.2)) actions.push(...visit(true), followUp(report.receivedAt.getTime()), ...visit(false));
  else actions.push(...visit(false));
  actions.push([staff, { type: 'close', reason: rnd.pick(CLOSE_AFTER_VISIT) }]);
  return { actions, span };
}

function crisis(rnd: DemoRandom): CrisisLevel {
  const x = rnd.next();
  return x < 0.1 ? CRISIS_LEVELS[0] : x < 0.4 ? CRISIS_LEVELS[1] : x < 0.8 ? CRISIS_LEVELS[2] : CRISIS_LEVELS[3];
}

function pickSigns(district: District, rnd: DemoRandom): string[] {
  const weighted = district.signs.flatMap((s) => Array<string>(SIGN_WEIGHT[s.code] ?? 1).fill(s.code));
  const count = rnd.chance(0.6) ? 1 : rnd.chance(0.7) ? 2 : 3;
  const chosen = new Set<string>();
  for (let i = 0; i < count * 3 && chosen.size < count; i++) chosen.add(rnd.pick(weighted));
  return [...chosen];
}

function fakeAge(rnd: DemoRandom): Age {
  const x = rnd.next();
  if (x < 0.4) return { kind: 'decade', value: rnd.pick([50, 60, 70, 70, 80, 80, 90]) };
  if (x < 0.8) return { kind: 'age', value: 45 + rnd.int(50) };
  return { kind: 'birthYear', value: 1930 + rnd.int(50) };
}

function fakeAddress(district: District, dong: Dong, rnd: DemoRandom): string {
  const street = `${district.sidoName.replace('특별시', '')} ${district.name} ${dong.name} ${rnd.pick(ROADS)} ${1 + rnd.int(40)}길 ${1 + rnd.int(99)}`;
  return rnd.chance(0.5) ? `${street}, ${rnd.pick(BUILDINGS)} ${1 + rnd.int(5)}0${1 + rnd.int(4)}호` : street;
}
