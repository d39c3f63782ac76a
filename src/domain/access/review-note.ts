import { z } from 'zod';
import { seoulMidnight } from '../time';

/**
 * The monthly review's result (점검 결과), as the 안전성 확보조치 기준 wants it kept: who reviewed
 * which month, on what day, what they found and what was done about it. Kept beside the access
 * records (never edited or removed from the console), with the chain's head at the time of writing.
 */
export interface ReviewNote {
  id: string;
  /** The month reviewed, YYYY-MM. */
  month: string;
  /** The reviewer's name as they sign it (not necessarily the account that typed it in). */
  reviewer: string;
  /** The day of the review, YYYY-MM-DD (Seoul). */
  reviewedOn: string;
  findings: string;
  actions: string;
  /** The account that wrote the note (`user:kim`) and when. */
  recordedBy: string;
  recordedAt: Date;
  /** The access-record chain's head when the note was written (seq and hash, for `access verify --head`). */
  head: { seq: number; hash: string };
}

export type ReviewNoteProblem = 'bad_month' | 'bad_reviewer' | 'bad_date' | 'bad_findings' | 'bad_actions';

/** Korean words for each refusal, shown on the page next to the form. */
export const REVIEW_NOTE_KO: Record<ReviewNoteProblem, string> = {
  bad_month: '점검한 달을 2026-11처럼 입력해 주세요.',
  bad_reviewer: '점검자 이름을 2–40자로 입력해 주세요.',
  bad_date: '점검일을 골라 주세요 (오늘 이후 날짜는 안 됩니다).',
  bad_findings: '점검 결과(발견 사항)를 2–2,000자로 적어 주세요. 없으면 "이상 없음"이라고 적습니다.',
  bad_actions: '조치 내용은 2,000자까지 적어 주세요.',
};

/** The form's fields; `today` (Seoul, YYYY-MM-DD) bounds the date: a review is not written ahead. */
export function reviewNoteSchema(today: string) {
  return z.object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'bad_month'),
    reviewer: z.string().trim().min(2, 'bad_reviewer').max(40, 'bad_reviewer'),
    reviewedOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'bad_date')
      .refine((d) => !Number.isNaN(seoulMidnight(d).getTime()) && d <= today, 'bad_date'),
    findings: z.string().trim().min(2, 'bad_findings').max(2000, 'bad_findings'),
    actions: z.string().trim().max(2000, 'bad_actions'),
  });
}
export type ReviewNoteInput = z.infer<ReturnType<typeof reviewNoteSchema>>;

/** The form as a note's fields, or the first refused field (its code names the field, its words say why). */
export function parseReviewNote(
  raw: Record<string, unknown>,
  today: string,
): { ok: true; value: ReviewNoteInput } | { ok: false; code: ReviewNoteProblem; field: keyof ReviewNoteInput } {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const parsed = reviewNoteSchema(today).safeParse({
    month: str(raw.month),
    reviewer: str(raw.reviewer),
    reviewedOn: str(raw.reviewedOn),
    findings: str(raw.findings),
    actions: str(raw.actions),
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, code: issue.message as ReviewNoteProblem, field: issue.path[0] as keyof ReviewNoteInput };
}
