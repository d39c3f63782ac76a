import type { Config } from '../config';
import type { AccessChannel } from '../domain/access/access-record';
import { anonymisedFields, historyWithoutNotes, retentionCutoff } from '../domain/retention/anonymise';
import { runRetention, type RetentionOutcome, type RetentionStores } from '../domain/retention/retention-job';
import type { Report } from '../domain/report/report';
import { isOpen } from '../domain/report/status';
import type { Repositories } from '../ports';

/** The history entry an anonymised case gets: who did what when stays, the job says it was here. */
const RETENTION_ACTOR = 'job:retention';
/** Enough for many racing changes; each retry re-reads one document. */
const MAX_ATTEMPTS = 20;

/**
 * The retention job's stores over the report store: each case is anonymised as a claimed revision
 * (never a blind write), so a console action or another instance racing it is either applied
 * before (and the case is re-read: reopened means no longer due) or decided again after it.
 */
/** The repositories a retention pass reads and changes. */
export type RetentionRepos = Pick<Repositories, 'reports' | 'partners' | 'identities' | 'accessRecords' | 'photos'>;

export function retentionStores(repos: RetentionRepos, years: number): RetentionStores {
  return {
    dueReports: (cutoff) => repos.reports.closedBefore(cutoff),
    async anonymise(report: Report, now: Date) {
      const cutoff = retentionCutoff(now, years);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const current = await repos.reports.current(report.id);
        if (
          !current ||
          isOpen(current.status) ||
          current.anonymisedAt ||
          !current.closedAt ||
          current.closedAt >= cutoff
        )
          return false;
        const next: Report = {
          ...current,
          ...anonymisedFields(current, now),
          history: [
            ...historyWithoutNotes(current.history),
            { at: now, by: RETENTION_ACTOR, action: 'anonymise', from: 'closed', to: 'closed' },
          ],
        };
        if (await repos.reports.changeInPlace(current, next)) {
          // the photos go with the case; a stop before this leaves them unlisted, and the sweep takes them
          if (current.photoIds?.length) await repos.photos.remove(current.photoIds);
          // the lists that named the household go with its details (a stop before this leaves only list names and rows)
          await repos.reports.forgetListMatches(current.id);
          return true;
        }
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
      return false;
    },
    async revokedPartnerIds() {
      return (await repos.partners.list()).filter((p) => !p.active).map((p) => p.id);
    },
    countIdentities: (ids) => repos.identities.countForPartners(ids),
    removeIdentities: (ids) => repos.identities.removeForPartners(ids),
    forgetReporters: (cutoff) => repos.reports.forgetReportersOlderThan(cutoff),
    async record(entry) {
      await repos.accessRecords.append({ ...entry, at: new Date() });
    },
  };
}

const DAY_MS = 86_400_000;

/**
 * Removes photos that no report lists: sent in a conversation that was cancelled or expired, or
 * left behind by a retention run that stopped half-way; and the bytes of photo writes that
 * stopped before the photo was whole. Looks only at photos received in the
 * week before `now − (conversation TTL + 1 day)`, so a daily pass checks each photo a few times
 * and never rescans years of photos; each check is two `_id` reads.
 */
export async function sweepUnlistedPhotos(
  repos: Pick<Repositories, 'reports' | 'photos'>,
  now: Date,
  ttlHours: number,
): Promise<number> {
  const to = new Date(now.getTime() - ttlHours * 3_600_000 - DAY_MS);
  const from = new Date(to.getTime() - 7 * DAY_MS);
  // writes that stopped half-way (an hour is far longer than any write takes)
  await repos.photos.clearUnfinished(new Date(now.getTime() - 3_600_000));
  const unlisted: string[] = [];
  for (const photo of await repos.photos.receivedBetween(from, to)) {
    const report = await repos.reports.current(photo.submissionId);
    if (!report?.photoIds?.includes(photo.id)) unlisted.push(photo.id);
  }
  return unlisted.length ? repos.photos.remove(unlisted) : 0;
}

/** One retention pass as the purge job or the CLI runs it. */
export function retentionPass(
  config: Config,
  repos: RetentionRepos,
  opts: { now: Date; apply: boolean; actor: string; role: string; channel: AccessChannel },
): Promise<RetentionOutcome> {
  return runRetention(retentionStores(repos, config.RETENTION_CLOSED_YEARS), {
    ...opts,
    years: config.RETENTION_CLOSED_YEARS,
  });
}
