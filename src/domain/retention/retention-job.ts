import type { AccessEntry } from '../access/access-record';
import type { Report } from '../report/report';
import { retentionCutoff } from './anonymise';

/** What the retention job needs from the stores; wired in src/jobs/retention.ts. */
export interface RetentionStores {
  /** Closed before `cutoff` and not yet anonymised. */
  dueReports(cutoff: Date): Promise<Report[]>;
  /** Anonymises one closed report; false when it was no longer due (reopened, or done by another run). */
  anonymise(report: Report, now: Date): Promise<boolean>;
  revokedPartnerIds(): Promise<string[]>;
  countIdentities(partnerIds: string[]): Promise<number>;
  removeIdentities(partnerIds: string[]): Promise<number>;
  /** Drops chat reporters' "조회" lists whose every report was received before `cutoff`; how many went. */
  forgetReporters(cutoff: Date): Promise<number>;
  record(entry: Omit<AccessEntry, 'at'>): Promise<void>;
}

export interface RetentionPlan {
  cutoff: Date;
  reports: string[];
  revokedPartners: number;
  identities: number;
}

export interface RetentionOutcome extends RetentionPlan {
  applied: boolean;
  anonymised: string[];
  identitiesRemoved: number;
  reportersForgotten: number;
}

/**
 * The retention purge: closed cases older than the retention period are anonymised
 * (src/domain/retention/anonymise.ts) and the chat accounts of revoked partners removed. A dry
 * run (the default) only says what would go. Idempotent: a case anonymised once is no longer
 * due, so a second run (or two at once) changes nothing more. Every anonymised case is in the
 * access records.
 */
export async function runRetention(
  stores: RetentionStores,
  opts: { now: Date; years: number; apply: boolean; actor: string; role: string; channel: AccessEntry['channel'] },
): Promise<RetentionOutcome> {
  const cutoff = retentionCutoff(opts.now, opts.years);
  const due = await stores.dueReports(cutoff);
  const partners = await stores.revokedPartnerIds();
  const plan: RetentionPlan = {
    cutoff,
    reports: due.map((r) => r.receiptNo),
    revokedPartners: partners.length,
    identities: await stores.countIdentities(partners),
  };
  if (!opts.apply) return { ...plan, applied: false, anonymised: [], identitiesRemoved: 0, reportersForgotten: 0 };

  const anonymised: string[] = [];
  for (const report of due) if (await stores.anonymise(report, opts.now)) anonymised.push(report.receiptNo);
  const base = { actor: opts.actor, role: opts.role, address: 'local', channel: opts.channel } as const;
  // one record per 500 cases, so a first run over years of cases stays readable
  for (let i = 0; i < anonymised.length; i += 500) {
    const slice = anonymised.slice(i, i + 500);
    await stores.record({
      ...base,
      action: 'anonymise',
      receiptNos: slice,
      scope: `closed before ${cutoff.toISOString().slice(0, 10)} (${opts.years} years)`,
      rowCount: slice.length,
      detail: 'reports',
    });
  }
  const identitiesRemoved = await stores.removeIdentities(partners);
  if (identitiesRemoved > 0)
    await stores.record({
      ...base,
      action: 'anonymise',
      receiptNos: [],
      scope: `chat identities of ${partners.length} revoked partner(s)`,
      rowCount: identitiesRemoved,
      detail: 'identities',
    });
  // the chat id → receipt link of reporters with nothing newer than the period is personal data too
  const reportersForgotten = await stores.forgetReporters(cutoff);
  if (reportersForgotten > 0)
    await stores.record({
      ...base,
      action: 'anonymise',
      receiptNos: [],
      scope: `chat reporters' report lists older than ${cutoff.toISOString().slice(0, 10)}`,
      rowCount: reportersForgotten,
      detail: 'reporter_lists',
    });
  return { ...plan, applied: true, anonymised, identitiesRemoved, reportersForgotten };
}
