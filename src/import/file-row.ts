import { formatReceiptNo } from '../domain/receipt';
import { addressKey } from '../domain/address-key';
import type { Dong } from '../domain/district';
import { URGENCY_RANK } from '../domain/report/urgency';
import { seoulParts } from '../domain/time';
import type { Report } from '../domain/report/report';
import type { receiptCounter } from '../store/counter/receipt-counter';
import type { ReportRepository } from '../domain/report/repository';
import { situationOf, type CheckedRow } from './row-check';

/** The row's receipt key: the same import and row always file the same report, once. */
export const rowSubmissionId = (importId: string, row: number) => `list:${importId}:${row}`;

export interface RowFilingDeps {
  districtId: string;
  reports: ReportRepository;
  counter: ReturnType<typeof receiptCounter>;
}

export interface ListContext {
  importId: string;
  listName: string;
  partner: { id: string; name: string; kind: string };
}

/**
 * Stores one row as a report in one insert (the report and its first history entry together or
 * not at all). Exactly once rests on the unique submissionId: a row already filed (a resumed or
 * repeated commit) is reported as such and nothing is written. A taken receipt number (FerretDB's
 * counter is not atomic across instances) draws a fresh one, as chat filing does.
 */
export async function fileListRow(deps: RowFilingDeps, list: ListContext, row: CheckedRow, dong: Dong | null, by: string, now: Date): Promise<'created' | 'existing'> {
  const { year } = seoulParts(now);
  for (let attempt = 1; ; attempt++) {
    const receiptNo = formatReceiptNo(year, await deps.counter.next(deps.districtId, year));
    const filed = await deps.reports.file(newListReport(deps.districtId, receiptNo, list, row, dong, by, now));
    if (!('receiptTaken' in filed)) return filed.fresh ? 'created' : 'existing';
    if (attempt >= 50) throw new Error('no free receipt number after 50 tries');
  }
}

function newListReport(districtId: string, receiptNo: string, list: ListContext, row: CheckedRow, dong: Dong | null, by: string, now: Date): Omit<Report, 'id' | 'rev'> {
  return {
    district: districtId,
    receiptNo,
    submissionId: rowSubmissionId(list.importId, row.row),
    receivedAt: now,
    partner: list.partner,
    reporter: { channel: 'list', userId: list.importId },
    address: { text: row.address, dongCode: dong?.code ?? null, dongName: dong?.name ?? null, resolvedBy: by },
    signs: row.signs,
    person: { name: row.name, age: row.age, phone: row.phone },
    situation: situationOf(row, list.listName, list.partner.name),
    urgency: row.urgency,
    status: 'received',
    urgencyRank: URGENCY_RANK[row.urgency],
    assignedDongCode: dong?.code ?? null,
    addressKey: addressKey(row.address),
    duplicateOf: null,
    duplicateState: null,
    source: { kind: 'list', importId: list.importId, listName: list.listName, line: row.row },
    extra: Object.keys(row.extra).length ? row.extra : null,
    history: [{ at: now, by: `partner:${list.partner.id}`, action: 'received', to: 'received', note: `「${list.listName}」 명단 ${row.row}행` }],
  };
}
