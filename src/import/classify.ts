import type { District, Dong } from '../domain/district';
import type { Report } from '../domain/report/report';
import { resolveDong, type DongResolution } from '../domain/dong-resolver';
import type { AddressGeocoder } from '../domain/geocoding';
import { householdKey, HouseholdIndex } from './household';
import type { Mapping } from '../domain/list-import/mapping';
import { ROW_ERROR_KO } from './messages';
import type { OpenCase } from './open-cases';
import type { Table } from './read/table';
import { checkRow, type CheckedRow } from './row-check';

/** What one row of a list will become. */
export type RowPlan =
  | { outcome: 'create'; row: CheckedRow; dong: Dong | null; by: string }
  | { outcome: 'unresolved'; row: CheckedRow; candidates: Dong[] }
  | { outcome: 'link'; row: CheckedRow; receiptNo: string; reportId: string; report: Report }
  | { outcome: 'in_file'; row: CheckedRow; firstRow: number }
  | { outcome: 'rejected'; rowNo: number; cells: string[]; reason: string };

export interface ClassifyInput {
  importId: string;
  table: Table;
  mapping: Mapping;
  district: District;
  open: HouseholdIndex<OpenCase>;
  geocoder?: AddressGeocoder;
  /** Rows whose dong a person chose after the preview ('' = the call center assigns later). */
  dongChoices?: Record<string, string>;
  now: Date;
}

/**
 * Decides every row, streaming: checked values, the dong (the chat's resolver), a duplicate of an
 * earlier row of the same file, a duplicate of an open report. Deterministic for the same file,
 * mapping, choices and open reports, so the commit (or its resumption) repeats the preview.
 * Reports this import created are not duplicates of its own rows.
 */
export async function* classify(input: ClassifyInput): AsyncGenerator<RowPlan> {
  const { table, mapping, district, open, importId } = input;
  const seen = new HouseholdIndex<number>();
  const resolved = new Map<string, DongResolution>();
  for await (const raw of table.rows()) {
    const checked = checkRow(raw, table.headers, mapping, district, input.now);
    if (!checked.ok) {
      yield { outcome: 'rejected', rowNo: raw.row, cells: raw.cells, reason: checked.reason };
      continue;
    }
    const row = checked.value;
    const cacheKey = row.address.replace(/\s+/g, ' ');
    let where = resolved.get(cacheKey);
    if (!where) {
      where = await resolveDong(district, row.address, input.geocoder);
      if (resolved.size < 50_000) resolved.set(cacheKey, where);
    }
    if (where.kind === 'outside') {
      yield { outcome: 'rejected', rowNo: raw.row, cells: raw.cells, reason: ROW_ERROR_KO.outside(where.place) };
      continue;
    }
    const household = { key: householdKey(row.address, district), name: row.name, phone: row.phone };
    const earlier = seen.find(household);
    if (earlier !== undefined) {
      yield { outcome: 'in_file', row, firstRow: earlier };
      continue;
    }
    seen.add(household, row.row);
    const match = open.find(household, (c) => c.importId !== importId);
    if (match) {
      yield { outcome: 'link', row, receiptNo: match.receiptNo, reportId: match.reportId, report: match.report };
      continue;
    }
    if (where.kind === 'resolved') {
      yield { outcome: 'create', row, dong: where.dong, by: where.by };
      continue;
    }
    const choice = input.dongChoices?.[String(row.row)];
    if (choice !== undefined) {
      const dong = choice ? district.dongByCode(choice) : undefined;
      yield { outcome: 'create', row, dong: dong ?? null, by: dong ? 'staff' : 'unassigned' };
      continue;
    }
    yield { outcome: 'unresolved', row, candidates: where.dongs };
  }
}
