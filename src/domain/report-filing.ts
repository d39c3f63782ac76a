import type { CompletedDraft } from '../../flows/report/draft';
import type { Channel } from '../../flows/types';
import type { Report } from './report/report';
import type { ReportRepository } from './report/repository';
import { addressKey, DUPLICATE_WINDOW_MS } from './address-key';
import { URGENCY_RANK } from './report/urgency';
import { partnerMayFile, type MayNotFile } from './partner-may-file';
import { formatReceiptNo } from './receipt';
import { seoulParts } from './time';

export interface FilingDeps {
  districtId: string;
  reports: ReportRepository;
  partners: { byId(id: string): Promise<{ id: string; name: string; kind: string; active: boolean } | undefined> };
  counter: { next(district: string, year: number): Promise<number> };
}

/** Refused: why (a code from partnerMayFile), and the partner's name when it is known, for the refusal's words. */
export type FilingResult = { ok: true; report: Report } | { ok: false; reason: MayNotFile; partnerName?: string };

/**
 * Stores a completed draft as one report document in one insert, whose `_id` is the draft's
 * submissionId: pressing "접수" twice, or running the filing again after a crash, stores it once
 * and returns the first receipt. Reads only small working sets (the partner, the month's
 * addresses): never the reports, whatever their number.
 */
export async function fileReport(
  deps: FilingDeps,
  draft: CompletedDraft,
  reporter: { channel: Channel; userId: string } | null,
  now: Date,
): Promise<FilingResult> {
  // Same household reported within 30 days: link to the latest earlier report for staff to judge.
  // Read beside the partner (independent reads: a filing turn's time is its chain of round trips).
  const key = addressKey(draft.address);
  const [partner, earlier] = await Promise.all([
    deps.partners.byId(draft.partnerId),
    key ? deps.reports.latestAtAddress(deps.districtId, key, new Date(now.getTime() - DUPLICATE_WINDOW_MS)) : undefined,
  ]);
  const may = partnerMayFile(partner);
  if (may !== 'ok') return { ok: false, reason: may, partnerName: partner?.name };
  if (!partner) throw new Error('partnerMayFile allowed an unknown partner'); // unreachable: narrows the type

  const duplicate = { addressKey: key, duplicateOf: earlier?.receiptNo ?? null, duplicateState: earlier ? ('suspected' as const) : null };

  const { year } = seoulParts(now);
  for (let attempt = 1; ; attempt++) {
    const receiptNo = formatReceiptNo(year, await deps.counter.next(deps.districtId, year));
    const filed = await deps.reports.file({ ...newReport(deps.districtId, receiptNo, draft, partner, reporter, now), ...duplicate });
    if ('stored' in filed) {
      const report = filed.stored;
      // Small indexes for the chat's next turns; idempotent, so a second run repeats them harmlessly.
      // A later report of the household links to the first one, the case staff already know.
      await Promise.all([
        key && deps.reports.rememberAddress(deps.districtId, key, { receiptNo: report.duplicateOf ?? report.receiptNo, receivedAt: report.receivedAt }),
        reporter &&
          deps.reports.rememberForReporter(reporter.channel, reporter.userId, {
            id: report.id,
            receiptNo: report.receiptNo,
            receivedAt: report.receivedAt,
            dongCode: report.assignedDongCode,
            addressText: report.address.text,
          }),
      ]);
      return { ok: true, report };
    }
    // The receipt number was taken by another instance's filing (numbers are handed out per
    // process): the unique index is the real guard, and a fresh number is drawn (a gap, never a duplicate).
    if (attempt >= MAX_NUMBER_ATTEMPTS) throw new Error('no free receipt number after many attempts');
  }
}

const MAX_NUMBER_ATTEMPTS = 50;

/** The report a completed draft becomes at filing (also the demo seed's starting point). */
export function newReport(
  districtId: string,
  receiptNo: string,
  draft: CompletedDraft,
  partner: { id: string; name: string; kind: string },
  reporter: { channel: Channel; userId: string } | null,
  now: Date,
): Omit<Report, 'id' | 'rev'> {
  return {
    district: districtId,
    receiptNo,
    submissionId: draft.submissionId,
    receivedAt: now,
    partner: { id: partner.id, name: partner.name, kind: partner.kind },
    reporter: reporter ?? { channel: 'list', userId: '' },
    reporterContact: draft.reporterContact ?? null,
    address: {
      text: draft.address,
      dongCode: draft.dong?.code ?? null,
      dongName: draft.dong?.name ?? null,
      resolvedBy: draft.dongBy ?? 'reporter',
    },
    signs: draft.signs,
    person: { name: draft.name ?? null, age: draft.age ?? null, phone: draft.phone ?? null, sex: draft.sex ?? null },
    situation: draft.situation,
    urgency: draft.urgency,
    status: 'received',
    urgencyRank: URGENCY_RANK[draft.urgency],
    assignedDongCode: draft.dong?.code ?? null,
    history: [{ at: now, by: `partner:${partner.id}`, action: 'received', to: 'received' }],
    ...(draft.photoIds?.length ? { photoIds: draft.photoIds } : {}),
  };
}
