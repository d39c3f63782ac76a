import type { District } from '../domain/district';
import { deliveries } from '../metrics/metrics';
import { redactSecrets } from './redact';
import { weekLabelKo, parseWeek, type IsoWeek } from '../domain/weekly/iso-week';
import { weeklyListText } from '../domain/weekly/text';
import { buildWeeklyLists, type WeeklyList } from '../domain/weekly/weekly-list';
import { weeklyListXlsx } from '../sheets/weekly-xlsx';
import { log } from '../log';
import type { Repositories } from '../ports';
import type { DongCenter } from '../domain/dong-center/dong-center';
import type { StaffTargetKind, TargetKind, WeeklyDelivery } from '../domain/weekly/weekly-delivery';
import type { OutgoingList, Sender } from './sender';

/** Waits after the 1st, 2nd, … failed attempt; after the last one the delivery stays failed. */
export const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
/**
 * Longer than a live attempt can take (the list queries' 10 min timeout plus a sender's 1–2 min),
 * so only an attempt whose instance died is ever taken over.
 */
export const LEASE_MS = 30 * 60_000;

export interface DeliveryDeps {
  /** With accessRecords, every list sent is an access record (an export of personal data by the job). */
  repos: Pick<Repositories, 'reports' | 'dongCenters' | 'weeklyDeliveries'> &
    Partial<Pick<Repositories, 'accessRecords'>>;
  district: District;
  senders: Record<TargetKind, Sender>;
  /** This instance, as recorded in the attempts it claims. */
  owner: string;
  now: () => Date;
  leaseMs?: number;
  /** Aborted when the instance shuts down: the send in progress finishes, no further one starts. */
  signal?: AbortSignal;
}

export type Outcome = 'sent' | 'failed' | 'already_sent' | 'in_progress' | 'waiting' | 'gave_up';

export interface DeliveryResult {
  dongName: string;
  target: TargetKind;
  outcome: Outcome;
  error?: string;
}

/** The `week` of an alert's delivery record: alerts reuse the weekly lists' records and claims. */
export const ALERT_WEEK = 'alert';
/** The `week` of a reporter's news push (src/delivery/reporter-news.ts). */
export const REPORTER_WEEK = 'reporter';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function targetsOf(
  center: Pick<DongCenter, 'slackChannel' | 'telegramChatId' | 'emails'> & { webhookUrl?: string | null },
): { target: StaffTargetKind; address: string }[] {
  const out: { target: StaffTargetKind; address: string }[] = [];
  if (center.slackChannel) out.push({ target: 'slack', address: center.slackChannel });
  if (center.telegramChatId) out.push({ target: 'telegram', address: center.telegramChatId });
  if (center.emails.length) out.push({ target: 'email', address: center.emails.join(', ') });
  if (center.webhookUrl) out.push({ target: 'webhook', address: center.webhookUrl });
  return out;
}

/** The message for a dong's list, built from the reports as they are at sending time. */
export async function composeList(list: WeeklyList): Promise<OutgoingList> {
  const { week } = list;
  return {
    subject: `[${list.district.name}] ${list.dong.name} 주간 복지사각지대 신고 목록 ${week.id} (${weekLabelKo(week)})`,
    text: weeklyListText(list),
    attachment: {
      filename: `${list.dong.name}_${week.id}_주간신고목록.xlsx`,
      content: await weeklyListXlsx(list),
      contentType: XLSX_TYPE,
    },
  };
}

/**
 * One step of one delivery. Whoever inserts attempt N+1 first owns it (unique index), so two
 * instances never send the same attempt; an attempt whose lease ran out (its instance died) is
 * superseded by the next number; a failed one is retried after its back-off.
 */
export async function advance(
  deps: DeliveryDeps,
  d: WeeklyDelivery,
  address: string,
  content: () => Promise<OutgoingList>,
): Promise<{ outcome: Outcome; error?: string }> {
  const store = deps.repos.weeklyDeliveries;
  if (d.status === 'sent') return { outcome: 'already_sent' };
  const now = deps.now();
  const latest = await store.latestAttempt(d.id);
  let next = 1;
  if (latest) {
    if (latest.finishedAt === null && latest.leaseUntil > now) return { outcome: 'in_progress' };
    if (latest.ok) {
      // its instance stopped between sending and recording: the record catches up
      await store.record(d.id, {
        status: 'sent',
        attempts: latest.attemptNo,
        sentAt: latest.finishedAt,
        nextAttemptAt: null,
      });
      return { outcome: 'already_sent' };
    }
    if (latest.finishedAt !== null) {
      if (latest.attemptNo >= MAX_ATTEMPTS) return { outcome: 'gave_up', error: latest.error ?? undefined };
      const due = latest.finishedAt.getTime() + BACKOFF_MS[latest.attemptNo - 1]!;
      if (due > now.getTime()) return { outcome: 'waiting', error: latest.error ?? undefined };
    }
    next = latest.attemptNo + 1;
  }
  if (next > MAX_ATTEMPTS) {
    await store.record(d.id, { status: 'failed', nextAttemptAt: null, lastError: 'abandoned by a stopped instance' });
    return { outcome: 'gave_up' };
  }
  const claim = await store.claim(d.id, next, deps.owner, now, deps.leaseMs ?? LEASE_MS);
  if (!claim) return { outcome: 'in_progress' };
  if (latest && latest.finishedAt === null)
    await store.finishAttempt(latest.id, false, 'lease expired: its instance stopped', now);
  if (address !== d.address) await store.record(d.id, { address });

  let error: string | null = null;
  try {
    const sender = deps.senders[d.target];
    await sender.send(address, await content());
  } catch (err) {
    error = redactSecrets((err as Error).message).slice(0, 500);
  }
  const done = deps.now();
  await store.finishAttempt(claim.id, error === null, error, done);
  if (error === null) {
    await store.record(d.id, {
      status: 'sent',
      attempts: next,
      lastAttemptAt: done,
      sentAt: done,
      lastError: null,
      nextAttemptAt: null,
    });
    log.info({ week: d.week, dong: d.dongCode, target: d.target, run: d.run, attempt: next }, 'delivered');
    log.info({ week: d.week, dong: d.dongCode, target: d.target, attempt: next }, 'weekly list delivered');
    await deps.repos.accessRecords
      ?.append({
        at: done,
        actor: 'job:weekly-delivery',
        role: 'system',
        address: 'local',
        channel: 'job',
        action: 'export',
        receiptNos: [],
        scope: `week=${d.week} dong=${d.dongCode}`,
        rowCount: 0,
        detail: d.target,
      })
      .catch((err: Error) =>
        log.error({ error: err.name, week: d.week, dong: d.dongCode }, 'access record of a sent weekly list failed'),
      );
    deliveries.inc({ kind: d.week === ALERT_WEEK ? 'alert' : 'weekly', result: 'sent' });
    return { outcome: 'sent' };
  }
  deliveries.inc({
    kind: d.week === ALERT_WEEK ? 'alert' : 'weekly',
    result: next < MAX_ATTEMPTS ? 'failed' : 'gave_up',
  });
  const retryAt = next < MAX_ATTEMPTS ? new Date(done.getTime() + BACKOFF_MS[next - 1]!) : null;
  await store.record(d.id, {
    status: 'failed',
    attempts: next,
    lastAttemptAt: done,
    lastError: error,
    nextAttemptAt: retryAt,
  });
  log.warn(
    { week: d.week, dong: d.dongCode, target: d.target, run: d.run, attempt: next, error, retryAt },
    'delivery failed',
  );
  return { outcome: 'failed', error };
}

/**
 * Builds a week's lists (two district-wide queries) and each dong's message at most once per
 * pass, and only when something is actually to be sent.
 */
function contentCache(deps: DeliveryDeps) {
  const weeks = new Map<string, Promise<Map<string, WeeklyList>>>();
  const messages = new Map<string, Promise<OutgoingList>>();
  return (dongCode: string, week: IsoWeek) => () => {
    const key = `${week.id}:${dongCode}`;
    if (!messages.has(key)) {
      if (!weeks.has(week.id))
        weeks.set(week.id, buildWeeklyLists({ reports: deps.repos.reports, district: deps.district }, week));
      messages.set(
        key,
        weeks.get(week.id)!.then((lists) => composeList(lists.get(dongCode)!)),
      );
    }
    return messages.get(key)!;
  };
}

/**
 * Sends a week's list to every target of the given dong centers (all by default). The scheduled
 * run is recorded once per (week, dong, target), so calling this again sends nothing new;
 * `force` records a separate manual run that sends again.
 */
export async function deliverWeek(
  deps: DeliveryDeps,
  week: IsoWeek,
  opts: { dongCodes?: string[]; force?: boolean } = {},
): Promise<DeliveryResult[]> {
  const centers = (await deps.repos.dongCenters.list(deps.district.id)).filter(
    (c) => !opts.dongCodes || opts.dongCodes.includes(c.code),
  );
  const content = contentCache(deps);
  const run = opts.force ? `manual:${deps.now().toISOString()}` : 'scheduled';
  const results: DeliveryResult[] = [];
  // one read for the week's records, so a sweep over lists already sent costs no writes
  const known = new Map(
    (await deps.repos.weeklyDeliveries.ofWeek(deps.district.id, week.id)).map((d) => [
      `${d.dongCode}:${d.target}:${d.run}`,
      d,
    ]),
  );
  for (const center of centers) {
    for (const { target, address } of targetsOf(center)) {
      if (deps.signal?.aborted) return results; // left pending: the next pass of any instance sends it
      const d =
        known.get(`${center.code}:${target}:${run}`) ??
        (await deps.repos.weeklyDeliveries.ensure(
          { district: deps.district.id, week: week.id, dongCode: center.code, target, run },
          address,
          deps.now(),
        ));
      const r = await advance(deps, d, address, content(center.code, week));
      results.push({ dongName: center.name, target, ...r });
    }
  }
  return results;
}

/** Failed deliveries whose back-off is over, whatever week or run they belong to. */
export async function retryDueDeliveries(deps: DeliveryDeps): Promise<DeliveryResult[]> {
  // alerts and reporters' news share the records and claims but are retried by their own sweeps
  // (src/delivery/alerts.ts, src/delivery/reporter-news.ts)
  const due = (await deps.repos.weeklyDeliveries.dueRetries(deps.district.id, deps.now())).filter(
    (d) => d.week !== ALERT_WEEK && d.week !== REPORTER_WEEK,
  );
  const content = contentCache(deps);
  const results: DeliveryResult[] = [];
  for (const d of due) {
    if (deps.signal?.aborted) return results;
    const week = parseWeek(d.week);
    const center = await deps.repos.dongCenters.byCode(deps.district.id, d.dongCode);
    const current = center && targetsOf(center).find((t) => t.target === d.target);
    if (!week || !current) {
      // the target was removed from the center: nothing left to retry to
      await deps.repos.weeklyDeliveries.record(d.id, {
        nextAttemptAt: null,
        lastError: `${d.lastError ?? ''} (target removed; not retried)`.trim(),
      });
      continue;
    }
    const r = await advance(deps, d, current.address, content(d.dongCode, week));
    results.push({ dongName: center!.name, target: d.target, ...r });
  }
  return results;
}
