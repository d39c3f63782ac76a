import { expect } from 'chai';
import mongoose from 'mongoose';
import { filedRowsOfImport, reportsByReceipts, reportsOfImport } from '../../src/import/import-reports';
import type { ReportFilter, ReportScope } from '../../src/domain/report/scope';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { insertReports, reportDoc } from '../support/report-fixtures';

/**
 * Production runs on MongoDB, where a console or list query without a fitting index reads the
 * whole collection. Every query the console, the weekly lists, the today page, the alerts and the
 * archive sweep send to `reports`, `reports_archive` or the open and closed copies (`reports_open`, `reports_closed`) is captured from the driver and checked
 * against the indexes the collection really has: an index must lead with exactly the fields the
 * query pins by equality (district, status, dong), or be pinned whole, so MongoDB can walk it (the rule of equality
 * first, then sort and range). On MongoDB (`TEST_MONGODB_URI`) each captured query is also
 * explained, and its winning plan must not be a collection scan.
 */
describe('every console and list query has an index on MongoDB', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let monitored: mongoose.Connection;
  let app: RunningApp;
  const captured: { collection: string; name: string; command: Record<string, unknown> }[] = [];
  const DONG = '1141064000';

  before(async () => {
    db = await testDatabase('index_coverage');
    monitored = await mongoose
      .createConnection(db.uri, { monitorCommands: true, autoIndex: false, ignoreUndefined: true })
      .asPromise();
    monitored.getClient().on('commandStarted', (e) => {
      const collection = e.command[e.commandName];
      if (
        typeof collection === 'string' &&
        collection.startsWith('reports') &&
        ['find', 'count', 'aggregate'].includes(e.commandName)
      ) {
        captured.push({ collection, name: e.commandName, command: e.command as Record<string, unknown> });
      }
    });
    app = await startTestApp(monitored);
    const day = 86_400_000;
    await insertReports(app.repos.reports, [
      reportDoc({ receivedAt: new Date(Date.now() - 2 * day) }),
      reportDoc({ receivedAt: new Date(Date.now() - 3 * day), assignedDongCode: null }),
      reportDoc({
        receivedAt: new Date(Date.now() - 400 * day),
        status: 'closed',
        closedAt: new Date(Date.now() - 390 * day),
      }),
    ]);
  });
  after(async () => {
    await app.close();
    await monitored.close();
    await db.drop();
  });

  it('leads an index with the fields each query pins, in the working set and the archive', async () => {
    const reports = app.repos.reports;
    const district = 'seodaemun';
    const staff: ReportScope = { kind: 'district', district };
    const dong: ReportScope = { kind: 'dong', district, dongCode: DONG };
    const open: ReportFilter = {
      statuses: ['received', 'consulted', 'assigned', 'visit_requested', 'visited', 'follow_up'],
    };
    const page = { skip: 0, limit: 50 };
    const since = new Date(Date.now() - 7 * 86_400_000);
    const longAgo = new Date(Date.now() - 500 * 86_400_000);
    captured.length = 0;
    // the console queue as staff and as a dong center, with the filters and sorts people use
    for (const scope of [staff, dong]) {
      for (const filter of [
        open,
        { ...open, sort: 'received' } as ReportFilter,
        { ...open, sort: 'dong' } as ReportFilter,
        {},
        { statuses: ['closed'] } as ReportFilter,
      ]) {
        await reports.search(scope, filter, page);
        await reports.count(scope, filter);
      }
    }
    await reports.search(staff, { ...open, dongCode: DONG }, page);
    await reports.search(staff, { ...open, noDong: true }, page);
    await reports.search(staff, { text: '통일로' }, page);
    // the today page, the alert sweep, the weekly lists (recent and old weeks), lookups, the sweep
    await reports.openCasework(staff);
    await reports.openCasework(dong);
    await reports.alertable(district, since);
    await reports.assignedBetween(district, DONG, since, new Date());
    await reports.assignedBetween(district, DONG, longAgo, since);
    await reports.openAssignedBefore(district, DONG, since);
    await reports.receivedBetween(district, since, new Date());
    await reports.receivedBetween(district, longAgo, since);
    await reports.openBefore(district, since);
    await reports.openReports(district);
    await reports.list({ district, dongCode: DONG, since: longAgo });
    await reports.byReceiptNo(district, '2026-000001');
    await reports.inScope(dong, '2026-000001');
    await reports.archiveSweep(district);
    // a recent week's list once the sweep made the closed copies complete (closed-copies.ts)
    await reports.assignedBetween(district, DONG, since, new Date());
    // an imported list's page: the reports it created and those it was linked to
    await reportsOfImport(reports, district, 'a'.repeat(24));
    // a commit's filed rows (slim)
    await filedRowsOfImport(reports, district, 'a'.repeat(24));
    await reportsByReceipts(reports, district, ['2026-000001']);

    expect(captured.length).to.be.greaterThan(30);
    expect(new Set(captured.map((c) => c.collection))).to.have.keys([
      'reports',
      'reports_archive',
      'reports_open',
      'reports_closed',
    ]);

    const indexes = new Map<string, string[][]>();
    for (const name of ['reports', 'reports_archive', 'reports_open', 'reports_closed']) {
      const list = await monitored.db!.collection(name).listIndexes().toArray();
      indexes.set(
        name,
        list.map((i) => Object.keys(i.key as object)),
      );
    }
    const unserved = captured
      .map((c) => ({ ...c, pinned: pinnedFields(filterOf(c)) }))
      .filter((c) => !c.pinned.every((f) => f === '_id') || c.pinned.length === 0)
      .filter((c) => !indexes.get(c.collection)!.some((keys) => leadsWith(keys, c.pinned)))
      .map((c) => `${c.collection} ${c.name} pinning [${c.pinned.join(', ')}]`);
    expect(unserved, 'queries no index leads with their pinned fields').to.deep.equal([]);

    // On MongoDB the planner itself must agree: no collection scan in any winning plan.
    const build = await monitored.db!.admin().command({ buildInfo: 1 });
    if (!('ferretdbVersion' in build)) {
      const scans: string[] = [];
      for (const c of captured) {
        const { lsid: _l, $db: _d, $clusterTime: _t, ...command } = c.command;
        const plan = await monitored.db!.command({ explain: command, verbosity: 'queryPlanner' });
        if (JSON.stringify(plan.queryPlanner?.winningPlan ?? plan).includes('COLLSCAN'))
          scans.push(`${c.collection} ${c.name} ${JSON.stringify(filterOf(c))}`);
      }
      expect(scans, 'collection scans on MongoDB').to.deep.equal([]);
    }
  });
});

function filterOf(c: { name: string; command: Record<string, unknown> }): Record<string, unknown> {
  if (c.name === 'aggregate') {
    const match = (c.command.pipeline as Record<string, unknown>[]).find((s) => '$match' in s);
    return (match?.$match as Record<string, unknown>) ?? {};
  }
  return (c.command.filter ?? c.command.query ?? {}) as Record<string, unknown>;
}

/** The top-level fields a filter pins to one value or a list of values (what an index leads with). */
function pinnedFields(filter: Record<string, unknown>): string[] {
  return Object.entries(filter)
    .filter(
      ([k, v]) =>
        !k.startsWith('$') &&
        (typeof v !== 'object' || v === null || v instanceof Date || '$in' in (v as object) || '$eq' in (v as object)),
    )
    .filter(([, v]) => !(v && typeof v === 'object' && '$in' in v && (v.$in as unknown[]).length === 0))
    .map(([k]) => k);
}

/**
 * True when the index's first keys are exactly the pinned fields (in any order), or when every key
 * of the index is pinned (a point lookup such as the unique receipt number; the rest is checked
 * on the one document found).
 */
function leadsWith(keys: string[], pinned: string[]): boolean {
  if (pinned.length === 0) return false;
  if (keys.every((k) => pinned.includes(k))) return true;
  if (keys.length < pinned.length) return false;
  const lead = new Set(keys.slice(0, pinned.length));
  return pinned.every((f) => lead.has(f));
}
