import { z } from 'zod';
import type { District } from '../domain/district';
import { seoulMidnight } from '../domain/time';
import { OPEN_STATUSES, REPORT_STATUSES } from '../domain/report/status';
import { URGENCY_CODES } from '../domain/report/urgency';
import type { ReportFilter } from '../store/report/report-query';
import { QUEUE_SORTS } from '../domain/report/scope';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(seoulMidnight(d).getTime()), 'a real date');
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodTypeAny>(s: T) => z.preprocess(blankToUndefined, s.optional());

/** The queue's filters as they arrive in a query string or a form: strings, validated here. */
export const reportFilterSchema = z.object({
  status: opt(z.enum([...REPORT_STATUSES, 'open', 'all'])),
  dong: opt(z.union([z.string().regex(/^\d{10}$/, 'a 10-digit administrative dong code'), z.literal('none')])),
  /** me = my cases (내 담당), none = no counsellor yet (담당 미배정). */
  assignee: opt(z.enum(['me', 'none'])),
  sort: opt(z.enum(QUEUE_SORTS)),
  partner: opt(z.string().regex(/^[a-f0-9]{24}$/, 'a partner id')),
  urgency: opt(z.enum(URGENCY_CODES)),
  sign: opt(z.string().regex(/^[a-z_]{1,40}$/)),
  from: opt(date),
  to: opt(date),
  q: opt(z.string().trim().min(1).max(100)),
  duplicates: opt(z.enum(['1', 'true'])),
  page: opt(z.coerce.number().int().min(1).max(10_000)),
  pageSize: opt(z.coerce.number().int().min(1).max(100)),
});
export type ReportFilterInput = z.infer<typeof reportFilterSchema>;

const nextDay = (d: string) => new Date(seoulMidnight(d).getTime() + 86_400_000);

/**
 * `me` is the signed-in user's username, for the "내 담당" filter. `reporterName`: the search text
 * also finds the reporter (the partner's field worker) by name: the call center's search, never a
 * dong center's (it does not see who reported).
 */
export function toReportFilter(
  input: ReportFilterInput,
  district: District,
  me?: string,
  opts: { reporterName?: boolean } = {},
): ReportFilter | { error: string } {
  if (input.dong && input.dong !== 'none' && !district.dongByCode(input.dong))
    return { error: 'dong: no such dong in this district' };
  const status = input.status ?? 'open';
  return {
    statuses: status === 'all' ? undefined : status === 'open' ? [...OPEN_STATUSES] : [status],
    dongCode: input.dong === 'none' ? undefined : input.dong,
    noDong: input.dong === 'none',
    assignee: input.assignee === 'me' ? (me ?? null) : input.assignee === 'none' ? null : undefined,
    sort: input.sort,
    partnerId: input.partner,
    urgency: input.urgency,
    sign: input.sign,
    receivedFrom: input.from ? seoulMidnight(input.from) : undefined,
    receivedBefore: input.to ? nextDay(input.to) : undefined,
    text: input.q,
    textInReporter: Boolean(input.q && opts.reporterName),
    duplicatesOnly: Boolean(input.duplicates),
  };
}

export const paging = (input: ReportFilterInput) => {
  const limit = input.pageSize ?? 50;
  const page = input.page ?? 1;
  return { skip: (page - 1) * limit, limit, page };
};
