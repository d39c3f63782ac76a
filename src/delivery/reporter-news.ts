import { createHash } from 'node:crypto';
import { startSweepLoop } from './sweep-loop';
import { type WholeReads, wholeReadsAtOnce } from '../whole-reads';
import type { District } from '../domain/district';
import { isNewsChannel, milestonesOf } from '../domain/reporter-news/milestones';
import { NEWS_TITLE, newsMessage } from '../domain/reporter-news/news-text';
import { isQuietHour, releaseAt } from '../domain/reporter-news/quiet-hours';
import { seoulDate } from '../domain/time';
import type { Repositories } from '../ports';
import type { Partner } from '../domain/partner/partner';
import { newsId, outcomeOf, type NewsOutcomeKind, type QueuedNews } from '../domain/reporter-news/news';
import type { TargetKind } from '../domain/weekly/weekly-delivery';
import { DeliveryError, type Sender } from './sender';
import { advance, REPORTER_WEEK, type Outcome } from './weekly-delivery';

export { REPORTER_WEEK };

/**
 * The reporter hears back (issue 26): each milestone of a chat report (src/domain/reporter-news)
 * is told once to the worker who filed it, in the chat they filed from.
 *
 * 1. A sweep finds reports changed within the window and queues each milestone not yet decided
 *    (the queue's `_id` is the news id, so queuing twice is one entry).
 * 2. Each queued news is routed: pushed through the platform (Slack DM, Telegram, Kakao Event
 *    API) or, where pushes are off or impossible, shown at the reporter's next message
 *    (src/delivery/news-in-chat.ts). 알림 끄기, a revoked partner or a removed chat identity end it.
 * 3. A push reuses the alerts' delivery records and attempt claims (src/delivery/weekly-delivery.ts):
 *    one record per (reporter, release time), so news held over quiet hours (21:00–08:00) go as one
 *    message at 08:00; the attempt insert makes one instance send it; a failure is retried with the
 *    same back-off and listed in the alert log; a refusal that retrying cannot change
 *    (user_not_found, Telegram 403) ends it at once.
 * 4. Every news ends in one outcome insert (told, shown, failed, skipped), which the case page and
 *    the dashboard read; the outcome's unique `_id` is what makes a milestone told once.
 */

/** The owner (`dongCode`) of a reporter push's delivery record. */
export const REPORTER_OWNER = 'reporter';
/** News waiting in a chat nobody opens are given up after this long. */
export const CHAT_KEEP_MS = 30 * 86_400_000;
/** The sweep marks a chat as having news again for this long after queuing (a turn may have just cleared it). */
const REMARK_MS = 5 * 60_000;

/** Refusals that a retry cannot change: the push ends as failed with the platform's reason. */
const FINAL_ERRORS = [
  /\buser_not_found\b/,
  /\bchannel_not_found\b/,
  /\baccount_inactive\b/,
  /\buser_disabled\b/,
  /\bcannot_dm_bot\b/,
  /^telegram: 403\b/,
  /^telegram: 400 Bad Request: chat not found/,
];
export const isFinalPushError = (error: string): boolean => FINAL_ERRORS.some((r) => r.test(error));
const DAILY_CAP = 'daily_cap';

export interface NewsDeps {
  repos: Pick<
    Repositories,
    'reports' | 'dongCenters' | 'weeklyDeliveries' | 'reporterNews' | 'identities' | 'partners' | 'jobRuns'
  >;
  district: District;
  senders: Record<TargetKind, Sender>;
  owner: string;
  now: () => Date;
  /** Milestones older than this are not queued any more (a restart after a long stop does not flood). */
  windowMs: number;
  /** The Kakao Event API's daily message cap, or null when the district has not set it up. */
  kakaoEventCap: number | null;
  leaseMs?: number;
  /** Runs the full pass's read of the working set; the jobs pass one that lets one such read run at a time. */
  wholeReads?: WholeReads;
}

export interface NewsResult {
  receiptNos: string[];
  channel: string;
  outcome: Outcome | NewsOutcomeKind | 'held' | 'in_chat';
  reason?: string;
}

/** What one instance remembers between sweeps (nothing here is needed for correctness). */
export interface NewsSweepState {
  /** News this instance has queued or seen decided, with when (forgotten after the window). */
  known: Map<string, number>;
  /** Where this instance last found a free Kakao Event slot, per day. */
  kakaoHint: { day: string; next: number; full: boolean };
  partners: Map<string, Partner | undefined>;
  /** When this instance's last full queueing pass began: later passes read only what changed since. */
  lastQueued: number | null;
  /** When its last pass over the whole window began. */
  lastFull: number | null;
}

/**
 * A pass reads the whole window's changes every half hour; in between only the changes since the
 * last pass (a minute's overlap for writes still landing), which are in the open copies and the
 * hour's revision claims. The whole window is in the working set, whose read costs FerretDB ≈2.5 s
 * at 100,000 reports: one instance per half hour does it (the half hour claimed in `job_runs`),
 * and an instance that starts, or whose turn comes, in a half hour another one claimed reads the
 * changes since that pass began. A pass that fails after its claim leaves the half hour's news to
 * the next one.
 */
const FULL_PASS_MS = 30 * 60_000;
/** The job name of the half-hourly full pass in `job_runs` (with the district). */
const NEWS_FULL_PASS = 'news-full-pass';
const OVERLAP_MS = 60_000;

export const newSweepState = (): NewsSweepState => ({
  known: new Map(),
  kakaoHint: { day: '', next: 0, full: false },
  partners: new Map(),
  lastQueued: null,
  lastFull: null,
});

/** A stable stand-in for the reporter in run names and logs (never the platform's user id). */
const reporterTag = (channel: string, userId: string) =>
  createHash('sha256').update(`${channel}:${userId}`).digest('hex').slice(0, 16);
const runOf = (release: Date, channel: string, userId: string) =>
  `news:${release.getTime()}:${channel}:${reporterTag(channel, userId)}`;
const releaseOfRun = (run: string) => new Date(Number(run.split(':')[1]));

const pushTargetOf = (channel: string, deps: NewsDeps, state: NewsSweepState, day: string): TargetKind | null => {
  if (channel === 'slack' || channel === 'telegram') return channel;
  if (channel === 'kakao' && deps.kakaoEventCap)
    return state.kakaoHint.day === day && state.kakaoHint.full ? null : 'kakao';
  return null; // the web chat has no push: it shows news at the next visit
};

/**
 * Whether this pass reads the whole window ('full'): its half hour's full pass is due here and no
 * other instance claimed it. When one did, this instance goes on from when that pass began
 * ('continue'). Just after a start (`wholeReads.deferring()`) a full pass is put off ('later'):
 * news already queued still goes out, the window is read a minute later.
 */
async function fullPassHere(deps: NewsDeps, state: NewsSweepState, now: Date): Promise<'full' | 'continue' | 'later'> {
  const due = state.lastFull === null || state.lastQueued === null || now.getTime() - state.lastFull >= FULL_PASS_MS;
  if (!due) return 'continue';
  const job = `${NEWS_FULL_PASS}:${deps.district.id}`;
  const halfHour = Math.floor(now.getTime() / FULL_PASS_MS) * FULL_PASS_MS;
  let latest = await deps.repos.jobRuns.latest(job);
  if (latest === null || latest.getTime() < halfHour) {
    // nobody has read this half hour's window yet
    if (deps.wholeReads?.deferring()) return 'later';
    if (await deps.repos.jobRuns.claim(job, new Date(halfHour).toISOString(), deps.owner, now)) {
      await deps.repos.jobRuns.forgetBefore(job, new Date(now.getTime() - 86_400_000));
      return 'full';
    }
    latest = await deps.repos.jobRuns.latest(job);
  }
  const other = latest?.getTime() ?? now.getTime();
  // that pass queued the window up to its start; this instance's own passes, up to its last one
  state.lastFull = other;
  state.lastQueued = Math.max(state.lastQueued ?? other, other);
  return 'continue';
}

/** Step 1: queues every milestone of the window that no instance has decided yet. */
async function queueNew(deps: NewsDeps, state: NewsSweepState): Promise<void> {
  const now = deps.now();
  const since = new Date(now.getTime() - deps.windowMs);
  for (const [id, at] of state.known) if (at < since.getTime()) state.known.delete(id);
  const store = deps.repos.reporterNews;
  const pass = await fullPassHere(deps, state, now);
  if (pass === 'later') return;
  const full = pass === 'full';
  const changed = full
    ? await (deps.wholeReads ?? wholeReadsAtOnce)(() => deps.repos.reports.changedSince(deps.district.id, since))
    : await deps.repos.reports.changedRecently(deps.district.id, new Date(state.lastQueued! - OVERLAP_MS));
  for (const r of changed) {
    // a report from an institution's list has no chat reporter to tell; demo data has no real one
    if (r.source || r.demo || !isNewsChannel(r.reporter?.channel) || !r.reporter.userId) continue;
    for (const m of milestonesOf(r)) {
      if (m.at < since) continue;
      const id = newsId(deps.district.id, r.receiptNo, m.milestone);
      if (state.known.has(id)) continue;
      if (await store.outcome(id)) {
        state.known.set(id, now.getTime());
        continue;
      }
      // in quiet hours everything of a reporter waits for the same 08:00, so it goes as one message
      const release = isQuietHour(now) ? releaseAt(now) : m.at;
      const { channel, userId } = r.reporter;
      await store.enqueue({
        id,
        district: deps.district.id,
        receiptNo: r.receiptNo,
        milestone: m.milestone,
        at: m.at,
        receivedAt: r.receivedAt,
        channel,
        userId,
        run: runOf(release, channel, userId),
        route: null,
        createdAt: now,
      });
      state.known.set(id, now.getTime());
    }
  }
  // only a pass that went through moves the marks: after a failed one, the next reads from the last that did
  state.lastQueued = now.getTime();
  if (full) state.lastFull = now.getTime();
}

/** Ends news with one outcome each (the insert decides; a news already decided elsewhere is left as it is). */
async function decideAll(
  deps: NewsDeps,
  state: NewsSweepState,
  items: QueuedNews[],
  outcome: NewsOutcomeKind,
  how: { via?: string; text?: string; reason?: string },
): Promise<void> {
  const store = deps.repos.reporterNews;
  const now = deps.now();
  for (const it of items) {
    await store.decide(outcomeOf(it, outcome, how, now));
    state.known.set(it.id, now.getTime());
  }
  await store.dequeue(items.map((i) => i.id));
}

async function partnerOf(deps: NewsDeps, state: NewsSweepState, id: string): Promise<Partner | undefined> {
  if (!state.partners.has(id)) state.partners.set(id, await deps.repos.partners.byId(id));
  return state.partners.get(id);
}

const groupBy = <T>(items: T[], key: (t: T) => string) => {
  const out = new Map<string, T[]>();
  for (const it of items) out.set(key(it), [...(out.get(key(it)) ?? []), it]);
  return out;
};

/**
 * A run found sent: its members (marked before the send) are told — the sender stopped, or is
 * just now recording them; news queued after it went each go on with a run of their own.
 */
async function settleSent(
  deps: NewsDeps,
  state: NewsSweepState,
  target: TargetKind,
  run: string,
  items: QueuedNews[],
): Promise<void> {
  const store = deps.repos.reporterNews;
  const members: QueuedNews[] = [];
  for (const i of items) {
    if (await store.isMember(run, i.id)) members.push(i);
    else await store.setRoute([i.id], { run: `${run}:late:${i.receiptNo}:${i.milestone}` });
  }
  if (members.length) await decideAll(deps, state, members, 'told', { via: target, text: newsMessage(members) });
}

/** One push run: sent (or caught up, or ended) through the alerts' delivery record and attempt claims. */
async function pushRun(
  deps: NewsDeps,
  state: NewsSweepState,
  target: TargetKind,
  run: string,
  items: QueuedNews[],
): Promise<NewsResult> {
  const store = deps.repos.reporterNews;
  const { channel, userId } = items[0]!;
  const receiptNos = [...new Set(items.map((i) => i.receiptNo))];
  const now = deps.now();
  const d = await deps.repos.weeklyDeliveries.ensure(
    { district: deps.district.id, week: REPORTER_WEEK, dongCode: REPORTER_OWNER, target, run },
    userId,
    now,
  );
  if (d.status === 'sent') {
    await settleSent(deps, state, target, run, items);
    return { receiptNos, channel, outcome: 'already_sent' };
  }
  if (d.status === 'failed' && d.nextAttemptAt === null && d.attempts > 0) {
    await decideAll(deps, state, items, 'failed', { via: target, reason: d.lastError ?? 'failed' });
    return { receiptNos, channel, outcome: 'failed', reason: d.lastError ?? undefined };
  }
  // all of it decided meanwhile (shown in the chat after a partner's switch flipped): nothing to send
  const open: QueuedNews[] = [];
  for (const i of items) if (!(await store.outcome(i.id))) open.push(i);
  if (!open.length) {
    await store.dequeue(items.map((i) => i.id));
    return { receiptNos, channel, outcome: 'already_sent' };
  }
  let members = open;
  let text = '';
  const r = await advance({ ...deps, repos: deps.repos }, d, userId, async () => {
    // the winner of the attempt reads the run afresh: everything of it not yet decided
    members = [];
    // a news shown in the chat meanwhile (a partner's switch flipped) is not pushed as well
    for (const q of await store.queuedOf(channel, userId))
      if (q.run === run && !(await store.outcome(q.id))) members.push(q);
    if (!members.length) throw new DeliveryError(target, 'nothing left to tell');
    if (target === 'kakao') {
      const day = seoulDate(now);
      if (state.kakaoHint.day !== day) state.kakaoHint = { day, next: 0, full: false };
      const slot = await store.takeDailySlot(day, deps.kakaoEventCap ?? 0, state.kakaoHint.next, now);
      if (slot === undefined) {
        state.kakaoHint.full = true;
        throw new DeliveryError('kakao', DAILY_CAP);
      }
      state.kakaoHint.next = slot + 1;
    }
    text = newsMessage(members);
    for (const m of members) await store.markMember(run, m.id, now);
    return { subject: NEWS_TITLE, text };
  });
  if (r.outcome === 'sent') {
    await decideAll(deps, state, members, 'told', { via: target, text });
    return { receiptNos: [...new Set(members.map((i) => i.receiptNo))], channel, outcome: 'sent' };
  }
  if (r.outcome === 'already_sent') {
    await settleSent(deps, state, target, run, items);
    return { receiptNos, channel, outcome: 'already_sent' };
  }
  if (r.outcome === 'failed' && r.error?.includes(DAILY_CAP)) {
    // the district's paid messages for today are used up: the news waits for the reporter's next message
    await deps.repos.weeklyDeliveries.record(d.id, {
      nextAttemptAt: null,
      lastError: 'kakao: daily_cap (shown at the next message instead)',
    });
    // a run of their own for the day: should the worker not write before the cap resets, a later push may still tell them
    await store.setRoute(
      items.map((i) => i.id),
      { route: 'chat', run: `${run.split(':cap:')[0]}:cap:${seoulDate(now)}` },
    );
    await store.markWaiting(channel, userId, now);
    return { receiptNos, channel, outcome: 'in_chat', reason: DAILY_CAP };
  }
  if ((r.outcome === 'failed' && r.error && isFinalPushError(r.error)) || r.outcome === 'gave_up') {
    await deps.repos.weeklyDeliveries.record(d.id, { nextAttemptAt: null });
    await decideAll(deps, state, members, 'failed', { via: target, reason: r.error ?? 'gave up after the last retry' });
    return { receiptNos, channel, outcome: 'failed', reason: r.error };
  }
  return { receiptNos, channel, outcome: r.outcome, reason: r.error };
}

/** Step 2 and 3: every queued news routed, pushed, shown or ended. */
async function handleQueue(deps: NewsDeps, state: NewsSweepState): Promise<NewsResult[]> {
  const store = deps.repos.reporterNews;
  const now = deps.now();
  const day = seoulDate(now);
  state.partners.clear(); // a partner's switch or revocation counts from the next sweep on
  const results: NewsResult[] = [];
  const byReporter = groupBy(await store.queued(deps.district.id), (q) => `${q.channel}:${q.userId}`);
  for (const items of byReporter.values()) {
    const { channel, userId } = items[0]!;
    const receiptNos = [...new Set(items.map((i) => i.receiptNo))];
    const end = async (outcome: 'failed' | 'skipped', reason: string) => {
      await decideAll(deps, state, items, outcome, { reason });
      results.push({ receiptNos, channel, outcome, reason });
    };
    const identity = await deps.repos.identities.find(channel, userId);
    if (!identity) {
      await end('failed', 'no_identity');
      continue;
    }
    if (await store.isOff(channel, userId)) {
      await end('skipped', 'reporter_off');
      continue;
    }
    const partner = await partnerOf(deps, state, identity.partnerId);
    if (!partner?.active) {
      await end('skipped', 'partner_revoked');
      continue;
    }
    const target = partner.newsPushes ? pushTargetOf(channel, deps, state, day) : null;
    const route = target ? 'push' : 'chat';
    const rerouted = items.filter((i) => i.route !== route);
    await store.setRoute(
      rerouted.map((i) => i.id),
      { route },
    );
    if (!target) {
      const expired = items.filter((i) => i.createdAt.getTime() < now.getTime() - CHAT_KEEP_MS);
      if (expired.length) {
        await decideAll(deps, state, expired, 'failed', { via: 'chat', reason: 'not_seen' });
        results.push({
          receiptNos: [...new Set(expired.map((i) => i.receiptNo))],
          channel,
          outcome: 'failed',
          reason: 'not_seen',
        });
      }
      const waiting = items.filter((i) => !expired.includes(i));
      if (
        waiting.length &&
        (rerouted.length || waiting.some((i) => i.createdAt.getTime() >= now.getTime() - REMARK_MS))
      )
        await store.markWaiting(channel, userId, now);
      if (waiting.length)
        results.push({ receiptNos: [...new Set(waiting.map((i) => i.receiptNo))], channel, outcome: 'in_chat' });
      continue;
    }
    if (isQuietHour(now)) {
      results.push({ receiptNos, channel, outcome: 'held' });
      continue;
    }
    for (const [run, inRun] of groupBy(items, (i) => i.run)) {
      if (releaseOfRun(run) > now) {
        results.push({ receiptNos: [...new Set(inRun.map((i) => i.receiptNo))], channel, outcome: 'held' });
        continue;
      }
      results.push(await pushRun(deps, state, target, run, inRun));
    }
  }
  return results;
}

/** One pass of the reporters' news: queue what is new, then route, push, retry or end what is queued. */
export async function sweepNews(deps: NewsDeps, state: NewsSweepState = newSweepState()): Promise<NewsResult[]> {
  await queueNew(deps, state);
  return handleQueue(deps, state);
}

/** Runs the news sweep every `seconds` and right after an action in this instance; returns the stop function. */
export function startNewsSweep(deps: NewsDeps, seconds: number, firstPassAfterMs = 0): () => Promise<void> {
  const state = newSweepState();
  // at its interval only, not on every alert kick: a reporter's news can wait half a minute, while
  // each pass reads the hour's claims, which ten staff acting at once would have it do ten times
  return startSweepLoop('reporter news sweep', () => sweepNews(deps, state), seconds, {
    kicked: false,
    firstPassAfterMs,
  });
}
