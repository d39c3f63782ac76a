import { defaultCalendar, nextStep } from '../domain/casework/next-step';
import type { District } from '../domain/district';
import type { Repositories } from '../ports';
import { backupLastBytes, backupLastFailed, backupLastSuccess, dbRoundTrip, openCases, overdueCases } from './metrics';
import { backupState } from '../store/backup/backup-state';

export interface ScrapeDeps {
  repos: Pick<Repositories, 'reports' | 'backupRuns'>;
  district: District;
  ping: () => Promise<void>;
  now: () => Date;
  visitReportBusinessDays: number;
}

/** Times one database ping into the round-trip histogram. */
export async function timedPing(ping: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await ping();
  const seconds = (performance.now() - started) / 1000;
  dbRoundTrip.observe(seconds);
  return seconds;
}

/**
 * The gauges read at scrape time: open and overdue cases per owner from the open reports' copies
 * (a few hundred packed documents, the console's open queue's read), the database's round trip,
 * and the last scheduled backup. Counters are counted where things happen.
 */
export async function collectAtScrape(deps: ScrapeDeps): Promise<void> {
  await timedPing(deps.ping);
  const now = deps.now();
  const open = await deps.repos.reports.openReports(deps.district.id);
  const owner = (r: { assignedDongCode: string | null }) => r.assignedDongCode ?? 'callcenter';
  openCases.reset();
  overdueCases.reset();
  for (const dong of deps.district.dongs) {
    openCases.set({ owner: dong.code }, 0);
    overdueCases.set({ owner: dong.code }, 0);
  }
  openCases.set({ owner: 'callcenter' }, 0);
  overdueCases.set({ owner: 'callcenter' }, 0);
  for (const r of open) openCases.inc({ owner: owner(r) });
  // Overdue: the case's next step is past its due time, counted for whoever that step belongs to.
  const calendar = defaultCalendar(deps.visitReportBusinessDays);
  for (const r of open) {
    const step = nextStep(r, now, calendar);
    if (step?.state === 'overdue')
      overdueCases.inc({ owner: step.owner.kind === 'dong' ? step.owner.dongCode : 'callcenter' });
  }
  const backup = backupState(await deps.repos.backupRuns.latest(10), now);
  backupLastSuccess.set(backup.lastSuccess ? backup.lastSuccess.finishedAt!.getTime() / 1000 : 0);
  backupLastBytes.set(backup.lastSuccess?.bytes ?? 0);
  backupLastFailed.set(backup.latestFailed ? 1 : 0);
}
