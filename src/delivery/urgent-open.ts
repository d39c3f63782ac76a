import type { Config } from '../config';
import type { District } from '../domain/district';
import type { Report } from '../domain/report/report';
import { log } from '../log';
import type { Repositories } from '../ports';
import { configuredKinds } from './senders';
import { routeUrgent } from './urgent-route';

/** Opens the wait for a 확인 of a report that became 즉시 위험; true when the on-call target was alerted. */
export type OpenUrgent = (report: Pick<Report, 'id' | 'receiptNo' | 'receivedAt'>) => Promise<boolean>;

/**
 * The one entry every source of an urgent case calls (chat filing, list import, staff raising the
 * urgency): routeUrgent with the configuration's kinds and wait, never throwing — a failure is
 * logged and the case is still on the today page's urgent section (the next-step rule).
 */
export function urgentOpener(opts: {
  config: Config;
  repos: Pick<Repositories, 'onCall' | 'alertTargets'>;
  district: District;
  now: () => Date;
}): OpenUrgent {
  const deps = {
    repos: opts.repos,
    district: opts.district,
    configured: configuredKinds(opts.config),
    now: opts.now,
    ackMinutes: opts.config.URGENT_ACK_MINUTES,
    alertWindowMs: opts.config.ALERT_WINDOW_HOURS * 3_600_000,
  };
  return (report) =>
    routeUrgent(deps, report).catch((err: Error) => {
      log.error(
        { error: err.name, detail: err.message, receiptNo: report.receiptNo },
        'opening the urgent wait failed',
      );
      return false;
    });
}
