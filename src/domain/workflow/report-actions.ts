import { z } from 'zod';
import type { ReportStatus } from '../report/status';
import { CRISIS_LEVELS, VISIT_CRISIS_ANSWERS } from '../report/crisis';
import { ageSchema } from '../report/age';
import { CALL_OUTCOMES, CONSULT_OUTCOMES } from '../report/follow-up';
import { URGENCY_CODES } from '../report/urgency';
import { LIMITS } from '../report/text-limits';
import { REPORT_STATUSES } from '../report/status';

/**
 * The actions staff and dong centers take on a report, as one validated union. The API, the
 * console and the admin CLI all go through `applyReportAction`, so the rules live only here.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const reportActionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('consult'),
    result: text(2000),
    supportLinked: text(1000).optional(),
    callOutcome: z.enum(CONSULT_OUTCOMES).optional(),
    /** A changed urgency or crisis level, as the call showed it. */
    urgency: z.enum(URGENCY_CODES).optional(),
    crisisLevel: z.enum(CRISIS_LEVELS).optional(),
    /** Codes from the district's services list; checked against it in applyReportAction. */
    services: z
      .array(z.string().regex(/^[a-z_]{1,40}$/))
      .max(30)
      .optional(),
  }),
  /** The counsellor in charge (담당 상담원): a console username, or null to clear. */
  z.object({ type: z.literal('set_assignee'), assignee: z.string().trim().toLowerCase().min(1).max(64).nullable() }),
  z.object({ type: z.literal('follow_up_call'), outcome: z.enum(CALL_OUTCOMES), note: text(1000).optional() }),
  z.object({
    type: z.literal('set_cadence'),
    cadenceDays: z.coerce.number().int().min(1).max(365),
    reason: text(1000),
  }),
  z.object({ type: z.literal('end_follow_up'), reason: text(1000) }),
  z.object({ type: z.literal('assign'), dongCode: z.string().regex(/^\d{10}$/) }),
  z.object({ type: z.literal('request_visit'), reason: text(1000).optional() }),
  z
    .object({
      type: z.literal('visit_result'),
      reached: z.boolean(),
      /** What was done and found; for a visit where nobody was met, what was seen at the door. */
      investigationResult: text(2000),
      supportProvided: text(1000).optional(),
      /** Asked only when the household was met (a visit where nobody was met has nothing to enter). */
      enteredInSystem: z.boolean().optional(),
      /** 모름 ("unknown") is an answer: the visit did not show the crisis level. */
      crisisLevel: z.enum(VISIT_CRISIS_ANSWERS).optional(),
      followUpNeeded: z.boolean().optional(),
      /** When the visit happened, Seoul wall time (YYYY-MM-DDTHH:mm); absent: when it is recorded. */
      visitedAt: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'a Seoul date and time as YYYY-MM-DDTHH:mm')
        .optional(),
      /** A visit where nobody was met: when the dong center plans to go again (재방문 예정). */
      revisitOn: dateOnly.optional(),
    })
    .superRefine((v, ctx) => {
      if (!v.reached) return;
      for (const key of ['enteredInSystem', 'crisisLevel', 'followUpNeeded'] as const) {
        if (v[key] === undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'required when the household was met' });
      }
    }),
  z.object({ type: z.literal('follow_up'), dueDate: dateOnly, note: text(1000).optional() }),
  z.object({ type: z.literal('close'), reason: text(1000) }),
  z.object({ type: z.literal('reopen'), reason: text(1000) }),
  z.object({ type: z.literal('merge_duplicate'), note: text(1000).optional() }),
  z.object({ type: z.literal('keep_separate'), note: text(1000).optional() }),
  // Someone acknowledged an urgent alert (console 확인 or the alert's link): the escalation stops.
  z.object({ type: z.literal('acknowledge_urgent'), note: text(300).optional() }),
  // The reporter completes a report filed at once as 즉시 위험 (only what they give is set).
  // Corrections after a call (정정, domain/report/correction.ts): null clears a value to "unknown".
  z.object({ type: z.literal('correct_name'), name: z.string().trim().min(1).max(30).nullable() }),
  z.object({
    type: z.literal('correct_phone'),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[\d\s-]{7,20}$/, 'a phone number')
      .nullable(),
  }),
  z.object({ type: z.literal('correct_sex'), sex: z.enum(['female', 'male']).nullable() }),
  z.object({ type: z.literal('correct_age'), age: ageSchema.nullable() }),
  /** The address and the dong it was resolved to (the console resolves it; null: not placed). */
  z.object({
    type: z.literal('correct_address'),
    text: text(LIMITS.address.max).min(LIMITS.address.min),
    dongCode: z
      .string()
      .regex(/^\d{10}$/)
      .nullable(),
  }),
  z.object({
    type: z.literal('add_details'),
    signs: z
      .array(z.string().regex(/^[a-z_]+$/))
      .max(30)
      .optional(),
    name: z.string().max(30).nullable().optional(),
    age: ageSchema.nullable().optional(),
    sex: z.enum(['female', 'male']).nullable().optional(),
    phone: z.string().max(20).nullable().optional(),
    situation: text(1000).optional(),
  }),
]);
export type ReportAction = z.infer<typeof reportActionSchema>;
export type ReportActionType = ReportAction['type'];

/** From which statuses each action may be taken. */
export const ALLOWED_FROM: Record<ReportActionType, readonly ReportStatus[]> = {
  consult: ['received', 'consulted', 'assigned', 'visit_requested'],
  assign: ['received', 'consulted', 'assigned', 'visit_requested', 'visited', 'follow_up'],
  request_visit: ['received', 'consulted', 'assigned', 'follow_up'],
  visit_result: ['assigned', 'visit_requested', 'follow_up', 'consulted', 'received'],
  follow_up: ['consulted', 'assigned', 'visited', 'follow_up'],
  close: ['received', 'consulted', 'assigned', 'visit_requested', 'visited', 'follow_up'],
  reopen: ['closed'],
  merge_duplicate: ['received', 'consulted', 'assigned', 'visit_requested', 'visited', 'follow_up'],
  keep_separate: ['received', 'consulted', 'assigned', 'visit_requested', 'visited', 'follow_up'],
  set_assignee: ['received', 'consulted', 'assigned', 'visit_requested', 'visited', 'follow_up'],
  follow_up_call: ['follow_up'],
  set_cadence: ['follow_up'],
  end_follow_up: ['follow_up'],
  add_details: ['received', 'consulted', 'assigned', 'visit_requested', 'visited', 'follow_up'],
  // a case closed before anyone acknowledged still records who stopped the alerts
  acknowledge_urgent: ['received', 'consulted', 'assigned', 'visit_requested', 'visited', 'follow_up', 'closed'],
  // what the person is called and where they live can be put right at any stage
  correct_name: REPORT_STATUSES,
  correct_phone: REPORT_STATUSES,
  correct_sex: REPORT_STATUSES,
  correct_age: REPORT_STATUSES,
  correct_address: REPORT_STATUSES,
};

const CORRECTIONS = ['correct_name', 'correct_phone', 'correct_sex', 'correct_age', 'correct_address'] as const;

/** The call center's actions (staff and admins alike): everything but a reporter's details. */
const CALL_CENTER_ACTIONS: readonly ReportActionType[] = [
  ...CORRECTIONS,
  'consult',
  'assign',
  'request_visit',
  'visit_result',
  'follow_up',
  'close',
  'reopen',
  'merge_duplicate',
  'keep_separate',
  'set_assignee',
  'follow_up_call',
  'set_cadence',
  'end_follow_up',
  'acknowledge_urgent',
];

/**
 * Who may take which action: a dong center reports visits; the call center does everything else;
 * the reporter (by chat, on their own report only) adds the details of an urgent report.
 */
export const ACTIONS_BY_ROLE: Record<'admin' | 'staff' | 'dong' | 'reporter', readonly ReportActionType[]> = {
  admin: CALL_CENTER_ACTIONS,
  staff: CALL_CENTER_ACTIONS,
  dong: ['visit_result'],
  reporter: ['add_details'],
};

/** Korean reasons for a refused transition, for the console and the CLI. */
export const REFUSAL_KO: Record<string, string> = {
  not_allowed: '현재 상태에서는 할 수 없는 처리입니다.',
  no_dong: '먼저 관할 동을 배정해 주세요.',
  unknown_dong: '이 구에 없는 행정동입니다.',
  forbidden_role: '이 처리를 할 권한이 없습니다.',
  no_duplicate: '중복 의심으로 표시된 신고가 아닙니다.',
  unknown_service: '이 구의 연계 서비스 목록에 없는 항목입니다.',
  unknown_assignee: '콜센터 상담원 계정이 아닙니다.',
  changed: '다른 사용자가 방금 이 신고를 처리했습니다. 새로 고친 뒤 다시 시도해 주세요.',
  bad_visit_time: '방문한 때는 지금보다 늦거나 30일보다 이를 수 없습니다.',
  bad_revisit_day: '재방문 예정일은 오늘부터 60일 안의 날짜로 적어 주세요.',
};

/** Korean hints for a form field the schema refused, by field name (the console shows them on the page). */
export const FIELD_KO: Record<string, string> = {
  result: '상담 결과를 적어 주세요.',
  investigationResult: '조사 결과(만나지 못했다면 본 것)를 적어 주세요.',
  enteredInSystem: '사통망 입력 여부를 골라 주세요.',
  crisisLevel: '위기도를 골라 주세요 (알 수 없으면 "모름").',
  followUpNeeded: '사후관리 필요 여부를 골라 주세요.',
  reached: '대상자를 만났는지 골라 주세요.',
  visitedAt: '방문한 때를 날짜와 시각으로 적어 주세요.',
  revisitOn: '재방문 예정일을 날짜로 적어 주세요.',
  dueDate: '날짜를 YYYY-MM-DD 형식으로 적어 주세요.',
  name: '이름은 30자까지 적어 주세요.',
  phone: '전화번호를 숫자와 -로 적어 주세요 (예: 010-1234-5678).',
  age: '나이(0~120세), 나이대 또는 출생연도(1900년 이후)를 적어 주세요.',
  text: '주소를 2~200자로 적어 주세요.',
  dongCode: '이 구의 행정동을 골라 주세요.',
  reason: '사유를 적어 주세요.',
  cadenceDays: '안부 전화 주기를 1~365일로 적어 주세요.',
  outcome: '통화 결과를 골라 주세요.',
};

/** Actions taken by the system rather than from a form (the console offers no form for them). */
export const SYSTEM_ACTIONS: readonly ReportActionType[] = ['acknowledge_urgent'];
