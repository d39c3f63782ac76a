import type { District } from '../domain/district';
import { demoRandom, demoReport, demoSlots, type DemoPartner, type DemoRecent } from '../demo/demo-reports';
import { formatReceiptNo } from '../domain/receipt';
import type { Report } from '../domain/report/report';
import { seoulParts } from '../domain/time';
import type { Repositories } from '../ports';
import type { PartnerKind } from '../domain/partner/partner';

/** The demo partners, two of every kind; their "[데모]" names mark them in the console and the CLI. */
const DEMO_PARTNERS: { name: string; kind: PartnerKind }[] = [
  { name: '[데모] 가상경찰서 지구대', kind: 'police' },
  { name: '[데모] 예시파출소', kind: 'police' },
  { name: '[데모] 가상우체국', kind: 'post' },
  { name: '[데모] 예시우편취급국', kind: 'post' },
  { name: '[데모] 가상전력 지사', kind: 'utility' },
  { name: '[데모] 예시도시가스 고객센터', kind: 'utility' },
  { name: '[데모] 가상우유 배달점', kind: 'delivery' },
  { name: '[데모] 예시도시락 나눔', kind: 'delivery' },
  { name: '[데모] 가상보건소 방문간호', kind: 'health' },
  { name: '[데모] 예시약국', kind: 'health' },
  { name: '[데모] 명예사회복지공무원 모임', kind: 'volunteer' },
  { name: '[데모] 이웃지킴이 봉사단', kind: 'volunteer' },
  { name: '[데모] 가상아파트 관리사무소', kind: 'other' },
  { name: '[데모] 예시편의점', kind: 'other' },
];

export interface DemoSeedResult {
  reports: number;
  hot: number;
  archive: number;
  byStatus: Record<string, number>;
  receipts: { year: number; first: string; last: string }[];
  seconds: number;
}

/**
 * Stores `count` demo reports (see src/demo/demo-reports.ts) through the report repository's
 * batch insert: old closed ones straight into the archive, the rest into the working set, as the
 * repository's window decides. Receipt numbers come from a block per year taken from the
 * district's receipt counter, so real filings (now or later) never meet them. Then the copies'
 * reconcile, as after a restore.
 */
export async function seedDemo(
  deps: { repos: Repositories; district: District; now?: Date; log?: (line: string) => void },
  opts: { reports: number; batch?: number; seed?: number },
): Promise<DemoSeedResult> {
  const { repos, district } = deps;
  const now = deps.now ?? new Date();
  const batch = opts.batch ?? 1_000;
  const log = deps.log ?? (() => {});
  const rnd = demoRandom(opts.seed ?? Math.floor(Math.random() * 2 ** 32));
  const started = performance.now();

  const partners = await demoPartners(repos, now);
  const slots = demoSlots(opts.reports, district, now, rnd);

  // One block of receipt numbers per year, in receipt order, as a day's filings would have them.
  const perYear = new Map<number, number>();
  for (const s of slots) {
    const { year } = seoulParts(s.receivedAt);
    perYear.set(year, (perYear.get(year) ?? 0) + 1);
  }
  const next = new Map<number, number>();
  const receipts: DemoSeedResult['receipts'] = [];
  for (const [year, n] of [...perYear].sort((a, b) => a[0] - b[0])) {
    const first = await repos.counter.reserveBlock(district.id, year, n);
    next.set(year, first);
    receipts.push({ year, first: formatReceiptNo(year, first), last: formatReceiptNo(year, first + n - 1) });
  }

  const result: DemoSeedResult = { reports: 0, hot: 0, archive: 0, byStatus: {}, receipts, seconds: 0 };
  const recent: DemoRecent = [];
  const ctx = { district, partners, now, recent };
  for (let offset = 0; offset < slots.length; offset += batch) {
    const hot: Omit<Report, 'id'>[] = [];
    const archive: Omit<Report, 'id'>[] = [];
    for (const slot of slots.slice(offset, offset + batch)) {
      const { year } = seoulParts(slot.receivedAt);
      const seq = next.get(year)!;
      next.set(year, seq + 1);
      const report = demoReport(ctx, slot, formatReceiptNo(year, seq), rnd);
      (repos.reports.belongsInArchive(report) ? archive : hot).push(report);
      result.byStatus[report.status] = (result.byStatus[report.status] ?? 0) + 1;
    }
    await insertRenumbering(repos, district, hot, 'hot');
    await insertRenumbering(repos, district, archive, 'archive');
    result.hot += hot.length;
    result.archive += archive.length;
    result.reports += hot.length + archive.length;
    log(
      `demo seed: ${result.reports.toLocaleString('en')} / ${slots.length.toLocaleString('en')} reports (working set ${result.hot}, archive ${result.archive}), ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  // The copies checked against the working set as the hourly pass would: the district's closed
  // copies are then known complete, so a recent week's list reads them at once (closed-copies.ts).
  await repos.reports.reconcileOpenCopies(district.id);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** The demo partners, created once and reused by later seeds. */
async function demoPartners(repos: Repositories, now: Date): Promise<DemoPartner[]> {
  const existing = await repos.partners.list();
  const out: DemoPartner[] = [];
  for (const p of DEMO_PARTNERS) {
    const found = existing.find((e) => e.name === p.name && e.active) ?? (await repos.partners.create({ ...p, now }));
    out.push({ id: found.id, name: found.name, kind: found.kind });
  }
  return out;
}

/**
 * Inserts a batch; a report whose receipt number a concurrent filing took meanwhile (FerretDB's
 * counter is not atomic between processes) gets a fresh number from the counter and is inserted again.
 */
async function insertRenumbering(
  repos: Repositories,
  district: District,
  reports: Omit<Report, 'id'>[],
  where: 'hot' | 'archive',
): Promise<void> {
  let pending = reports;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const { receiptTaken } = await repos.reports.insertMany(pending, where);
    if (receiptTaken.length === 0) return;
    if (attempt >= 5)
      throw new Error(`demo seed: ${receiptTaken.length} receipt number(s) still taken after ${attempt + 1} tries`);
    pending = await Promise.all(
      receiptTaken.map(async (r) => {
        const { year } = seoulParts(r.receivedAt);
        return { ...r, receiptNo: formatReceiptNo(year, await repos.counter.next(district.id, year)) };
      }),
    );
  }
}
