import { partnerMayFile } from '../domain/partner-may-file';
import { createHash } from 'node:crypto';
import { importRuns } from '../metrics/metrics';
import type { District } from '../domain/district';
import type { Report } from '../domain/report/report';
import type { AddressGeocoder } from '../domain/geocoding';
import { mayBeLinked } from '../domain/list-import/list-match';
import type { Repositories } from '../ports';
import type { ListImport, OutcomeCounts } from '../domain/list-import/list-import';
import { classify, type RowPlan } from './classify';
import { ImportFileError } from './errors';
import {
  fileListRows,
  receiptBlocks,
  rowSubmissionId,
  type BatchFilingDeps,
  type ListContext,
  type PendingRow,
} from './file-row';
import { filedRowsOfImport } from './import-reports';
import { adaptMapping, guessMapping, mappingProblems } from './mapping';
import { type Mapping } from '../domain/list-import/mapping';
import { openCases } from './open-cases';
import type { FileSource } from '../domain/list-import/file-source';
import { openTable, type Table } from './read/table';

export interface ImportDeps {
  /** Only the repositories a list import reads or writes. */
  repos: Pick<Repositories, 'imports' | 'importFiles' | 'reports' | 'partners' | 'counter'>;
  district: District;
  geocoder?: AddressGeocoder;
  /**
   * Opens the wait for a 확인 of a report filed as 즉시 위험 (src/delivery/urgent-open.ts; once per
   * report by its own unique claim). The console and the CLI pass it; a preview never files.
   */
  openUrgent?: (report: Pick<Report, 'id' | 'receiptNo' | 'receivedAt'>) => Promise<unknown>;
}

/**
 * The commit lock's lease: renewed every RENEW_EVERY_MS while the commit runs (a timer, and the
 * rows themselves by the app clock), so a commit whose process died is resumable within a minute.
 */
export const COMMIT_LEASE_MS = 45_000;
const RENEW_EVERY_MS = 15_000;
const PREVIEW_LIST_LIMIT = 2_000;

export const emptyCounts = (): OutcomeCounts => ({
  rows: 0,
  create: 0,
  link: 0,
  in_file: 0,
  unresolved: 0,
  rejected: 0,
});

export async function contentHashOf(source: FileSource): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source.stream()) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The import's id: the same file in the same district is the same import, whoever uploads it. */
export const importIdOf = (district: string, contentHash: string) =>
  createHash('sha256').update(`${district}:${contentHash}`).digest('hex').slice(0, 24);

async function openChecked(source: FileSource, encoding?: 'utf8' | 'cp949'): Promise<Table> {
  const table = await openTable(source, encoding);
  let rows = 0;
  for await (const _ of table.rows()) rows++; // reads every row once: formulas, broken quotes, limits
  if (!rows) throw new ImportFileError('no_rows');
  return table;
}

/** Opens the stored file of an import again (from the database, or a path for the CLI). */
export async function tableOf(deps: ImportDeps, item: ListImport, source?: FileSource): Promise<Table> {
  const src =
    source ?? (item.fileId ? deps.repos.importFiles.source(item.fileId, item.fileChunks, item.fileSize) : undefined);
  if (!src) throw new Error('the import has no stored file; pass the file again');
  return openTable(src, item.encoding === 'cp949' || item.encoding === 'utf8' ? item.encoding : undefined);
}

/**
 * Registers an uploaded file as an import, once per content: the file is read through first (so
 * a formula on row 19,000 refuses it now, not half-way through), then the record is created with
 * the mapping remembered for this partner, or a guessed one. A second upload of the same file
 * returns the first import.
 */
export async function startImport(
  deps: ImportDeps,
  input: {
    source: FileSource;
    contentHash: string;
    fileName: string;
    file: { fileId: string; chunks: number } | null;
    partnerId: string;
    listName: string;
    encoding?: 'utf8' | 'cp949';
    by: string;
    now: Date;
  },
): Promise<{ created: boolean; item: ListImport } | { error: 'unknown_partner' }> {
  const prepared = await prepareImport(deps, input);
  if ('error' in prepared || !prepared.created) return prepared;
  return deps.repos.imports.createOnce(prepared.item);
}

/** The import startImport would create, without storing it (the CLI's dry run), or the stored one. */
export async function prepareImport(
  deps: ImportDeps,
  input: Parameters<typeof startImport>[1],
): Promise<{ created: boolean; item: ListImport } | { error: 'unknown_partner' }> {
  const partner = await deps.repos.partners.byId(input.partnerId);
  // a revoked partner files nothing, by chat or by list (domain/partner-may-file.ts)
  if (partnerMayFile(partner) !== 'ok') return { error: 'unknown_partner' };
  if (!partner) return { error: 'unknown_partner' };
  const id = importIdOf(deps.district.id, input.contentHash);
  const existing = await deps.repos.imports.byId(id);
  if (existing) return { created: false, item: existing };
  const table = await openChecked(input.source, input.encoding);
  const remembered = await deps.repos.imports.rememberedMapping(deps.district.id, partner.id);
  const mapping = remembered
    ? adaptMapping(remembered, table.headers, deps.district)
    : guessMapping(table.headers, deps.district);
  const item: ListImport = {
    id,
    district: deps.district.id,
    contentHash: input.contentHash,
    fileName: input.fileName.slice(0, 200),
    fileSize: input.source.size,
    format: table.kind.kind,
    encoding: table.kind.kind === 'csv' ? table.kind.encoding : null,
    fileId: input.file?.fileId ?? null,
    fileChunks: input.file?.chunks ?? 0,
    partner: { id: partner.id, name: partner.name, kind: partner.kind },
    listName: input.listName,
    createdAt: input.now,
    createdBy: input.by,
    headers: table.headers,
    mapping,
    dongChoices: {},
    status: 'uploaded',
    preview: null,
    commit: null,
    lockNo: 0,
  };
  return { created: true, item };
}

export type PreviewResult = NonNullable<ListImport['preview']>;

/**
 * Checks every row without storing a report: counts per outcome, each refused row with its row
 * number and Korean reason, the rows whose dong needs a person's choice. Stores the mapping (and
 * remembers it for the partner) and the preview on the import.
 */
export async function previewImport(
  deps: ImportDeps,
  item: ListImport,
  mapping: Mapping,
  now: Date,
  source?: FileSource,
): Promise<{ ok: true; preview: PreviewResult } | { ok: false; problems: string[] }> {
  const result = await runPreview(deps, item, mapping, now, source);
  if (!result.ok) return result;
  await deps.repos.imports.update(item.id, {
    mapping,
    preview: result.preview,
    ...(item.status === 'uploaded' ? { status: 'previewed' as const } : {}),
  });
  await deps.repos.imports.rememberMapping(deps.district.id, item.partner.id, mapping, now);
  return result;
}

/** The preview's checks alone: reads the file and the open reports, stores nothing. */
export async function runPreview(
  deps: ImportDeps,
  item: ListImport,
  mapping: Mapping,
  now: Date,
  source?: FileSource,
): Promise<{ ok: true; preview: PreviewResult } | { ok: false; problems: string[] }> {
  const problems = mappingProblems(mapping, item.headers, deps.district);
  if (problems.length) return { ok: false, problems };
  const table = await tableOf(deps, item, source);
  const open = await openCases(deps.repos.reports, deps.district);
  const counts = emptyCounts();
  const rejected: PreviewResult['rejected'] = [];
  const unresolved: PreviewResult['unresolved'] = [];
  for await (const plan of classify({
    importId: item.id,
    table,
    mapping,
    district: deps.district,
    open,
    geocoder: deps.geocoder,
    dongChoices: item.dongChoices,
    now,
  })) {
    counts.rows++;
    counts[plan.outcome]++;
    if (plan.outcome === 'rejected' && rejected.length < PREVIEW_LIST_LIMIT)
      rejected.push({ row: plan.rowNo, reason: plan.reason });
    if (plan.outcome === 'unresolved' && unresolved.length < PREVIEW_LIST_LIMIT) {
      unresolved.push({ row: plan.row.row, address: plan.row.address, candidates: plan.candidates.map((d) => d.code) });
    }
  }
  return { ok: true, preview: { at: now, counts, rejected, unresolved } };
}

export type CommitResult =
  | { ok: true; counts: OutcomeCounts; item: ListImport }
  | { ok: false; code: 'busy' | 'not_previewed' };

/**
 * Files the list: creates a report per new row (assigned to its dong, or left for the call
 * center), notes on an open report that the list names its household again (a list match, shown
 * in its history), skips duplicates within the file and refused rows. Safe to run again at any time:
 * rows already filed are recognised by their submissionId, links by the match's unique id,
 * and a lock (a unique-index insert with a short lease, renewed while it runs) keeps two commits
 * of one import apart and lets a commit whose process died be resumed within a minute.
 */
export async function commitImport(
  deps: ImportDeps,
  item: ListImport,
  by: string,
  now: () => Date,
  source?: FileSource,
): Promise<CommitResult> {
  try {
    const result = await commitOnce(deps, item, by, now, source);
    importRuns.inc({ result: result.ok ? 'committed' : result.code });
    return result;
  } catch (err) {
    importRuns.inc({ result: 'failed' });
    throw err;
  }
}

async function commitOnce(
  deps: ImportDeps,
  item: ListImport,
  by: string,
  now: () => Date,
  source?: FileSource,
): Promise<CommitResult> {
  if (!item.mapping || !item.preview) return { ok: false, code: 'not_previewed' };
  const lockedAt = now();
  const lock = await deps.repos.imports.lock(item, by, lockedAt, COMMIT_LEASE_MS);
  if (!lock) return { ok: false, code: 'busy' };
  let renewedAt = lockedAt.getTime();
  let lost = false;
  const renew = async () => {
    renewedAt = now().getTime();
    if (!(await deps.repos.imports.extendLock(item.id, lock.no, new Date(renewedAt + COMMIT_LEASE_MS)))) lost = true;
  };
  const timer = setInterval(() => void renew().catch(() => undefined), RENEW_EVERY_MS);
  timer.unref();
  try {
    const startedAt = now();
    await deps.repos.imports.update(item.id, {
      status: 'committing',
      commit: { startedAt: item.commit?.startedAt ?? startedAt, finishedAt: null, counts: null, by },
    });
    const table = await tableOf(deps, item, source);
    const open = await openCases(deps.repos.reports, deps.district);
    const snapshotAt = startedAt; // before the open cases were read: their age is never understated
    const filed = new Set(
      (await filedRowsOfImport(deps.repos.reports, deps.district.id, item.id)).map((r) => r.submissionId),
    );
    const list: ListContext = { importId: item.id, listName: item.listName, partner: item.partner };
    const counts = emptyCounts();
    const linked = new Set<string>();
    const filing = batchDeps(deps);
    let sinceHeartbeat = 0;
    let urgentRows = 0;
    const pending: PendingRow[] = [];
    const flush = async () => {
      await fileListRows(filing, list, pending.splice(0), now());
      // let chat turns waiting on the database go first between batches
      await new Promise((r) => setImmediate(r));
    };
    // every batch of rows: renew when the app clock says it is time, and stop if another commit took over
    const heartbeat = async () => {
      if (lost) throw new Error('list import: the commit lock was taken over (this commit was presumed dead)');
      if (++sinceHeartbeat < BATCH_ROWS) return;
      sinceHeartbeat = 0;
      if (now().getTime() - renewedAt >= RENEW_EVERY_MS) await renew();
    };
    for await (const plan of classify({
      importId: item.id,
      table,
      mapping: item.mapping,
      district: deps.district,
      open,
      geocoder: deps.geocoder,
      dongChoices: item.dongChoices,
      now: startedAt,
    })) {
      counts.rows++;
      if (plan.outcome !== 'rejected' && plan.outcome !== 'in_file' && plan.row.urgency === 'immediate') urgentRows++;
      const outcome = await commitRow(deps, list, plan, filed, pending, by, now, snapshotAt);
      counts[outcome]++;
      if (outcome === 'link' && plan.outcome === 'link') linked.add(plan.receiptNo);
      if (pending.length >= BATCH_ROWS) await flush();
      await heartbeat();
    }
    await flush();
    // rows filed as 즉시 위험 (now or by a commit that stopped half-way): each its wait for a 확인
    if (urgentRows && deps.openUrgent) {
      for (const r of await filedRowsOfImport(deps.repos.reports, deps.district.id, item.id))
        if (r.urgency === 'immediate' && r.status !== 'closed') await deps.openUrgent(r);
    }
    const commit = {
      startedAt: item.commit?.startedAt ?? startedAt,
      finishedAt: now(),
      counts,
      by,
      linked: [...linked],
    };
    await deps.repos.imports.update(item.id, { status: 'committed', commit });
    return { ok: true, counts, item: { ...item, status: 'committed', commit } };
  } finally {
    clearInterval(timer);
    await deps.repos.imports.releaseLock(item.id, lock.no, now());
  }
}

/**
 * Rows per insert command: large enough to share a round trip, small enough that a chat turn waits
 * little behind it (50 measured no faster at 10,000 rows, and the chat's p99 rose by about 70 ms).
 */
export const COMMIT_BATCH_ROWS = 25;
const BATCH_ROWS = COMMIT_BATCH_ROWS;
/** Receipt numbers reserved per counter step (a commit that stops leaves at most this many unused). */
const RECEIPT_BLOCK = 200;

const batchDeps = (deps: ImportDeps): BatchFilingDeps => ({
  districtId: deps.district.id,
  numbers: receiptBlocks(deps.repos.counter, deps.district.id, RECEIPT_BLOCK),
  reports: deps.repos.reports,
  counter: deps.repos.counter,
  insertMany: (reports) => deps.repos.reports.insertMany(reports, 'hot'),
});

/**
 * Notes on an open report that this list names its household again (once per list: a resumed
 * commit finds the note made). The report as the commit read it from the open copies, brought up
 * to date through its newer claims (no read of the working set); a report closed since is not
 * linked. The claims are kept an hour, so a snapshot older than half of that is not trusted: the
 * report is read whole instead.
 */
async function linkRow(
  deps: ImportDeps,
  list: ListContext,
  plan: Extract<RowPlan, { outcome: 'link' }>,
  by: string,
  now: () => Date,
  snapshotAt: Date,
): Promise<boolean> {
  const fresh = now().getTime() - snapshotAt.getTime() < SNAPSHOT_TRUSTED_MS;
  const report = fresh
    ? await deps.repos.reports.latestSince(plan.report)
    : await deps.repos.reports.current(plan.reportId);
  if (!report || !mayBeLinked(report)) return false;
  await deps.repos.reports.noteListMatch({
    reportId: report.id,
    district: deps.district.id,
    importId: list.importId,
    listName: list.listName,
    line: plan.row.row,
    at: now(),
    by,
  });
  return true;
}
const SNAPSHOT_TRUSTED_MS = 30 * 60_000;

/** Decides one row at commit: links it now, or queues it for the next batch of new reports. */
async function commitRow(
  deps: ImportDeps,
  list: ListContext,
  plan: RowPlan,
  filed: Set<string>,
  pending: PendingRow[],
  by: string,
  now: () => Date,
  snapshotAt: Date,
): Promise<keyof Omit<OutcomeCounts, 'rows'>> {
  if (plan.outcome === 'rejected' || plan.outcome === 'in_file') return plan.outcome;
  if (plan.outcome === 'link' && (await linkRow(deps, list, plan, by, now, snapshotAt))) return 'link';
  // a link target closed or changed since the preview: the household gets a report of its own
  const outcome = plan.outcome === 'unresolved' ? 'unresolved' : 'create';
  if (filed.has(rowSubmissionId(list.importId, plan.row.row))) return outcome;
  pending.push({
    row: plan.row,
    dong: plan.outcome === 'create' ? plan.dong : null,
    by: plan.outcome === 'create' ? plan.by : 'unassigned',
  });
  return outcome;
}
