import type { Age, Sex } from './age';
import type { Report, ReportSource } from './report';
import { URGENCY_RANK, type Urgency } from './urgency';

/**
 * What a new report is made of, wherever it comes from: a chat draft (flows/report/draft.ts's
 * `CompletedDraft` has this shape) or a row of an institution's list (src/import). null = "모름".
 */
export interface ReportFacts {
  submissionId: string;
  address: string;
  dong: { code: string; name: string } | null;
  /** How the dong was found (e.g. 'geocoder'); 'reporter' when not said. */
  dongBy?: string;
  signs: string[];
  name?: string | null;
  age?: Age | null;
  sex?: Sex | null;
  phone?: string | null;
  situation: string;
  urgency: Urgency;
  reporterContact?: { name: string; phone: string } | null;
  photoIds?: string[];
}

export interface NewReportContext {
  district: string;
  receiptNo: string;
  partner: { id: string; name: string; kind: string };
  /** Who sent it: a chat user, or for a list `{ channel: 'list', userId: importId }`. */
  reporter: { channel: string; userId: string };
  receivedAt: Date;
  /** The first history entry's note (a list names its row). */
  note?: string;
  /** The rest of the report as filed: the duplicate link, a list's source and extra columns. */
  more?: Pick<Report, 'addressKey' | 'duplicateOf' | 'duplicateState' | 'source' | 'extra'> & {
    source?: ReportSource | null;
  };
}

/**
 * The one builder of a new report (status `received`, its first history entry): chat filing
 * (report-filing.ts), list imports (src/import/file-row.ts) and the demo generator all start here.
 */
export function newReport(facts: ReportFacts, ctx: NewReportContext): Omit<Report, 'id' | 'rev'> {
  const { partner, receivedAt } = ctx;
  return {
    district: ctx.district,
    receiptNo: ctx.receiptNo,
    submissionId: facts.submissionId,
    receivedAt,
    partner: { id: partner.id, name: partner.name, kind: partner.kind },
    reporter: ctx.reporter,
    reporterContact: facts.reporterContact ?? null,
    address: {
      text: facts.address,
      dongCode: facts.dong?.code ?? null,
      dongName: facts.dong?.name ?? null,
      resolvedBy: facts.dongBy ?? 'reporter',
    },
    signs: facts.signs,
    person: { name: facts.name ?? null, age: facts.age ?? null, phone: facts.phone ?? null, sex: facts.sex ?? null },
    situation: facts.situation,
    urgency: facts.urgency,
    status: 'received',
    urgencyRank: URGENCY_RANK[facts.urgency],
    assignedDongCode: facts.dong?.code ?? null,
    history: [
      {
        at: receivedAt,
        by: `partner:${partner.id}`,
        action: 'received',
        to: 'received',
        ...(ctx.note ? { note: ctx.note } : {}),
      },
    ],
    ...ctx.more,
    ...(facts.photoIds?.length ? { photoIds: facts.photoIds } : {}),
  };
}
