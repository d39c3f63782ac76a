import { formatReceiptNo } from '../domain/receipt';
import { addressKey } from '../domain/address-key';
import type { Dong } from '../domain/district';
import { newReport } from '../domain/report/new-report';
import { seoulParts } from '../domain/time';
import type { Report } from '../domain/report/report';
import type { receiptCounter } from '../store/counter/receipt-counter';
import type { InsertManyResult, ReportRepository } from '../domain/report/repository';
import { situationOf, type CheckedRow } from './row-check';

/** The row's receipt key: the same import and row always file the same report, once. */
export const rowSubmissionId = (importId: string, row: number) => `list:${importId}:${row}`;

export interface RowFilingDeps {
  districtId: string;
  reports: ReportRepository;
  counter: ReturnType<typeof receiptCounter>;
}

export interface BatchFilingDeps extends RowFilingDeps {
  /** Inserts many reports in one command, each document on its own (ordered: false). */
  insertMany(reports: Omit<Report, 'id'>[]): Promise<InsertManyResult>;
  /** Receipt numbers for a batch (see receiptBlocks). */
  numbers: ReceiptBlocks;
}

export interface PendingRow {
  row: CheckedRow;
  dong: Dong | null;
  by: string;
}

export type ReceiptBlocks = ReturnType<typeof receiptBlocks>;

/**
 * Receipt numbers handed out from blocks reserved from the counter `blockSize` at a time: one
 * counter step per block instead of one per batch. A commit that stops leaves the rest of its
 * block unused (a gap in the numbers, never a duplicate); a number of the block that a filing on
 * another instance also drew is caught by the unique receipt index (see fileListRows).
 */
export function receiptBlocks(counter: RowFilingDeps['counter'], districtId: string, blockSize: number) {
  let year = 0;
  let next = 0;
  let end = 0; // exclusive
  return {
    async take(forYear: number, n: number): Promise<number[]> {
      const out: number[] = [];
      if (forYear !== year) [year, next, end] = [forYear, 0, 0];
      while (out.length < n) {
        if (next >= end) {
          const size = Math.max(blockSize, n - out.length);
          next = await counter.reserveBlock(districtId, year, size);
          end = next + size;
        }
        out.push(next++);
      }
      return out;
    },
  };
}

/**
 * Stores rows as reports in one insert command, their receipt numbers drawn from a reserved block
 * (no counter step per row). Each document is inserted on its own, so a crash leaves every row
 * either stored whole or not at all. When the unique index refuses some (a row filed by an
 * earlier, interrupted commit, or a number of the block taken by a filing on another instance),
 * those rows not stored are filed one by one as fileListRow does.
 */
export async function fileListRows(
  deps: BatchFilingDeps,
  list: ListContext,
  rows: PendingRow[],
  now: Date,
): Promise<void> {
  if (!rows.length) return;
  const { year } = seoulParts(now);
  const numbers = await deps.numbers.take(year, rows.length);
  const docs = rows.map((r, i) => ({
    ...newListReport(deps.districtId, formatReceiptNo(year, numbers[i]!), list, r.row, r.dong, r.by, now),
    rev: 1,
  }));
  const { receiptTaken } = await deps.insertMany(docs);
  const refused = new Set(receiptTaken.map((r) => r.submissionId));
  for (const [i, r] of rows.entries())
    if (refused.has(docs[i]!.submissionId)) await fileListRow(deps, list, r.row, r.dong, r.by, now);
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
export async function fileListRow(
  deps: RowFilingDeps,
  list: ListContext,
  row: CheckedRow,
  dong: Dong | null,
  by: string,
  now: Date,
): Promise<'created' | 'existing'> {
  const { year } = seoulParts(now);
  for (let attempt = 1; ; attempt++) {
    const receiptNo = formatReceiptNo(year, await deps.counter.next(deps.districtId, year));
    const filed = await deps.reports.file(newListReport(deps.districtId, receiptNo, list, row, dong, by, now));
    if (!('receiptTaken' in filed)) return filed.fresh ? 'created' : 'existing';
    if (attempt >= 50) throw new Error('no free receipt number after 50 tries');
  }
}

function newListReport(
  districtId: string,
  receiptNo: string,
  list: ListContext,
  row: CheckedRow,
  dong: Dong | null,
  by: string,
  now: Date,
): Omit<Report, 'id' | 'rev'> {
  const facts = {
    submissionId: rowSubmissionId(list.importId, row.row),
    address: row.address,
    dong: dong ? { code: dong.code, name: dong.name } : null,
    dongBy: by,
    signs: row.signs,
    name: row.name,
    age: row.age,
    phone: row.phone,
    situation: situationOf(row, list.listName, list.partner.name),
    urgency: row.urgency,
  };
  return newReport(facts, {
    district: districtId,
    receiptNo,
    partner: list.partner,
    reporter: { channel: 'list', userId: list.importId },
    receivedAt: now,
    note: `「${list.listName}」 명단 ${row.row}행`,
    more: {
      addressKey: addressKey(row.address),
      duplicateOf: null,
      duplicateState: null,
      source: { kind: 'list', importId: list.importId, listName: list.listName, line: row.row },
      extra: Object.keys(row.extra).length ? row.extra : null,
    },
  });
}
