import type { Channel } from './channel';
import { newReport, type ReportFacts } from './report/new-report';
import type { Report } from './report/report';
import type { ReportRepository } from './report/repository';
import { addressKey, DUPLICATE_WINDOW_MS } from './address-key';
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
  draft: ReportFacts & { partnerId: string },
  reporter: { channel: Channel; userId: string } | null,
  now: Date,
): Promise<FilingResult> {
  // Same household reported within 30 days: link to the latest earlier report for staff to judge.
  // Read beside the partner, and the receipt number drawn meanwhile (independent round trips: a
  // filing turn's time is their chain). A refused filing leaves its number unused: receipt numbers
  // may have gaps, never duplicates.
  const key = addressKey(draft.address);
  const { year } = seoulParts(now);
  const [partner, earlier, firstNumber] = await Promise.all([
    deps.partners.byId(draft.partnerId),
    key ? deps.reports.latestAtAddress(deps.districtId, key, new Date(now.getTime() - DUPLICATE_WINDOW_MS)) : undefined,
    deps.counter.next(deps.districtId, year),
  ]);
  const may = partnerMayFile(partner);
  if (may !== 'ok') return { ok: false, reason: may, partnerName: partner?.name };
  if (!partner) throw new Error('partnerMayFile allowed an unknown partner'); // unreachable: narrows the type

  const duplicate = {
    addressKey: key,
    duplicateOf: earlier?.receiptNo ?? null,
    duplicateState: earlier ? ('suspected' as const) : null,
  };

  // Small indexes for the chat's next turns, written beside the store's own follow-ups (idempotent:
  // an earlier try's filing repeats them harmlessly). A later report of the household links to the
  // first one, the case staff already know.
  const rememberFiling = (report: Report) =>
    Promise.all([
      key &&
        deps.reports.rememberAddress(deps.districtId, key, {
          receiptNo: report.duplicateOf ?? report.receiptNo,
          receivedAt: report.receivedAt,
        }),
      reporter &&
        deps.reports.rememberForReporter(reporter.channel, reporter.userId, {
          id: report.id,
          receiptNo: report.receiptNo,
          receivedAt: report.receivedAt,
          dongCode: report.assignedDongCode,
          addressText: report.address.text,
        }),
    ]);
  for (let attempt = 1; ; attempt++) {
    const receiptNo = formatReceiptNo(
      year,
      attempt === 1 ? firstNumber : await deps.counter.next(deps.districtId, year),
    );
    const filed = await deps.reports.file(
      newReport(draft, {
        district: deps.districtId,
        receiptNo,
        partner,
        reporter: reporter ?? { channel: 'list', userId: '' },
        receivedAt: now,
        more: duplicate,
      }),
      rememberFiling,
    );
    if ('stored' in filed) return { ok: true, report: filed.stored };
    // The receipt number was taken by another instance's filing (numbers are handed out per
    // process): the unique index is the real guard, and a fresh number is drawn (a gap, never a duplicate).
    if (attempt >= MAX_NUMBER_ATTEMPTS) throw new Error('no free receipt number after many attempts');
  }
}

const MAX_NUMBER_ATTEMPTS = 50;
