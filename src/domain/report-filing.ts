import type { CompletedDraft } from '../../flows/report/draft';
import type { Channel } from '../../flows/types';
import type { receiptCounter } from '../store/counter/receipt-counter';
import type { PartnerRepository } from '../store/partner/partner';
import type { Report, ReportRepository } from '../store/report/report';
import { addressKey, DUPLICATE_WINDOW_MS } from './address-key';
import { URGENCY_RANK } from './report/urgency';
import { formatReceiptNo } from './receipt';
import { seoulParts } from './time';
import { isDuplicateKey } from '../store/duplicate-key';

export interface FilingDeps {
  districtId: string;
  reports: ReportRepository;
  partners: PartnerRepository;
  counter: ReturnType<typeof receiptCounter>;
}

export type FilingResult = { ok: true; report: Report } | { ok: false; reason: 'partner-inactive' };


/**
 * Stores a completed draft as one report document in one insert. The draft's submissionId is
 * unique, so pressing "접수" twice (or a retry after a lost answer) returns the first receipt.
 */
export async function fileReport(
  deps: FilingDeps,
  draft: CompletedDraft,
  reporter: { channel: Channel; userId: string },
  now: Date,
): Promise<FilingResult> {
  const existing = await deps.reports.bySubmissionId(draft.submissionId);
  if (existing) return { ok: true, report: existing };
  const partner = await deps.partners.byId(draft.partnerId);
  if (!partner?.active) return { ok: false, reason: 'partner-inactive' };

  // Same household reported within 30 days: link to the latest earlier report for staff to judge.
  const key = addressKey(draft.address);
  const earlier = key ? await deps.reports.latestAtAddress(deps.districtId, key, new Date(now.getTime() - DUPLICATE_WINDOW_MS)) : undefined;
  const duplicate = { addressKey: key, duplicateOf: earlier?.receiptNo ?? null, duplicateState: earlier ? ('suspected' as const) : null };

  const { year } = seoulParts(now);
  for (let attempt = 1; ; attempt++) {
    const receiptNo = formatReceiptNo(year, await deps.counter.next(deps.districtId, year));
    try {
      return { ok: true, report: await deps.reports.insert({ ...newReport(deps.districtId, receiptNo, draft, partner, reporter, now), ...duplicate }) };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const raced = await deps.reports.bySubmissionId(draft.submissionId); // the same draft filed by a parallel turn
      if (raced) return { ok: true, report: raced };
      // Else the receipt number was taken: FerretDB's $inc is not atomic under concurrent calls,
      // so the unique index is the real guard and a fresh number is drawn (a gap, never a duplicate).
      if (attempt >= MAX_NUMBER_ATTEMPTS) throw err;
    }
  }
}

const MAX_NUMBER_ATTEMPTS = 50;

function newReport(
  districtId: string,
  receiptNo: string,
  draft: CompletedDraft,
  partner: { id: string; name: string; kind: string },
  reporter: { channel: Channel; userId: string },
  now: Date,
): Omit<Report, 'id'> {
  return {
    district: districtId,
    receiptNo,
    submissionId: draft.submissionId,
    receivedAt: now,
    partner: { id: partner.id, name: partner.name, kind: partner.kind },
    reporter,
    reporterContact: draft.reporterContact ?? null,
    address: {
      text: draft.address,
      dongCode: draft.dong?.code ?? null,
      dongName: draft.dong?.name ?? null,
      resolvedBy: draft.dongBy ?? 'reporter',
    },
    signs: draft.signs,
    person: { name: draft.name ?? null, age: draft.age ?? null, phone: draft.phone ?? null },
    situation: draft.situation,
    urgency: draft.urgency,
    status: 'received',
    urgencyRank: URGENCY_RANK[draft.urgency],
    assignedDongCode: draft.dong?.code ?? null,
    history: [{ at: now, by: `partner:${partner.id}`, action: 'received', to: 'received' }],
  };
}
