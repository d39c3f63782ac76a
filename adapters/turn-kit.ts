import type { ErrorRequestHandler } from 'express';
import type { Incoming, Reply } from '../flows/types';

/**
 * What every channel adapter shares, written once: the turn handler's shape and its deadline,
 * claim a platform delivery once, run the turn within the platform's budget, time and report it,
 * one turn at a time per user, and answer a bad body in JSON. An adapter keeps only its
 * platform's verification and translation.
 */

/** The one logger adapters get (SDK troubles, failed platform calls): never message text. */
export interface AdapterLog {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * What every adapter calls: one user message in, one reply out. The signal is aborted when the
 * platform's deadline has passed, so the turn stops before writing what the user never sees.
 * `unanswered` then gives the honest "try again": whether the message changed anything.
 */
export interface TurnHandler {
  (incoming: Incoming, signal: AbortSignal): Promise<Reply>;
  unanswered?(incoming: Incoming, signal: AbortSignal): Promise<Reply>;
}

/** Said when not even the honest answer could be had in time: it claims nothing about what was kept. */
export const TRY_AGAIN = '잠시 후 다시 시도해 주세요. 방금 보내신 내용이 반영되었는지는 다음 메시지에서 알려 드립니다.';

/** How long the honest "try again" may take on top of the budget (one insert). */
const SETTLE_MS = 700;

export type DeadlineResult =
  | { kind: 'reply'; reply: Reply }
  | { kind: 'late'; reply: Reply }
  | { kind: 'failed'; error: unknown; reply: Reply };

const timeout = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms).unref());

/** Runs a turn against the platform's clock: a reply, "late" when the budget ran out, or the failure. */
export async function withinDeadline(
  handler: TurnHandler,
  incoming: Incoming,
  budgetMs: number,
): Promise<DeadlineResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ kind: 'late' }>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ kind: 'late' });
    }, budgetMs);
  });
  const work = handler(incoming, controller.signal).then(
    (reply) => ({ kind: 'reply' as const, reply }),
    (error: unknown) => ({ kind: 'failed' as const, error }),
  );
  const outcome = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (outcome.kind === 'reply') return outcome;
  controller.abort();
  const fallback: Reply = { texts: [TRY_AGAIN], choices: [] };
  const reply = handler.unanswered
    ? await Promise.race([
        handler.unanswered(incoming, controller.signal).catch(() => fallback),
        timeout(SETTLE_MS, fallback),
      ])
    : fallback;
  return { ...outcome, reply };
}

/**
 * Exactly-once per platform delivery (a Slack event_id, a Telegram update_id, a web client's
 * message id): `claim` is true the first time a key is seen. The composition root passes the
 * store's unique-index claim; adapters never reach the database themselves.
 */
export interface DeliveryClaims {
  claim(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

/** How a turn went, as an adapter must act on it. */
export type TurnOutcome =
  /** Already handled (a platform's redelivery): nothing to run, nothing to send. */
  | { kind: 'redelivery' }
  /** The turn took the message; `reply` is its answer. */
  | { kind: 'answered'; reply: Reply }
  /** Late, failed, or the claim itself failed: `reply` is the honest "try again". */
  | { kind: 'unanswered'; reply: Reply };

export interface Delivery {
  key: string;
  /** A redelivery is dropped (`skip`: the platform needs no answer) or shown where the conversation is (`resume`). */
  redelivered: 'skip' | 'resume';
  /** Lets the sender's retry of an unanswered message run (the web page retries; Slack and Telegram do not). */
  releaseIfUnanswered?: boolean;
}

export type TurnReport = (result: DeadlineResult, incoming: Incoming, ms: number) => void;

export interface TurnKitOptions {
  handle: TurnHandler;
  /** The platform's reply deadline, less the time to send. */
  budgetMs: number;
  deliveries?: DeliveryClaims;
  report?: TurnReport;
  log?: AdapterLog;
}

export interface TurnKit {
  /** `budgetMs` overrides the platform's budget for this turn (Kakao's callback allows a minute). */
  run(incoming: Incoming, delivery?: Delivery, budgetMs?: number): Promise<TurnOutcome>;
  log: AdapterLog;
  /** The platform's budget for a turn (an adapter that fetched a photo first gives the turn what is left). */
  budgetMs: number;
}

const silent: AdapterLog = { warn() {}, error() {} };

export function turnKit(opts: TurnKitOptions): TurnKit {
  const report = opts.report ?? (() => {});
  return {
    log: opts.log ?? silent,
    budgetMs: opts.budgetMs,
    async run(incoming, delivery, budgetMs = opts.budgetMs) {
      let claimed = false;
      if (delivery && opts.deliveries) {
        const claim = await opts.deliveries.claim(delivery.key).catch((error: unknown) => ({ error }));
        if (claim === false) {
          if (delivery.redelivered === 'skip') return { kind: 'redelivery' };
          incoming = { ...incoming, text: '', choice: undefined, resume: true };
        } else if (claim !== true) {
          // no claim, no turn: without the database a redelivery cannot be told from a new message
          const reply: Reply = { texts: [TRY_AGAIN], choices: [] };
          report({ kind: 'failed', error: claim.error, reply }, incoming, 0);
          return { kind: 'unanswered', reply };
        } else claimed = true;
      }
      const started = performance.now();
      const result = await withinDeadline(opts.handle, incoming, budgetMs);
      report(result, incoming, performance.now() - started);
      if (result.kind === 'reply') return { kind: 'answered', reply: result.reply };
      // the engine fenced the turn (or marked it unseen), so the sender's retry may run
      if (claimed && delivery?.releaseIfUnanswered) await opts.deliveries!.release(delivery.key).catch(() => {});
      return { kind: 'unanswered', reply: result.reply };
    },
  };
}

/**
 * Runs tasks one after another per key (a chat user), in arrival order, while different keys
 * run side by side. Platforms that acknowledge first and work after (Slack) can otherwise start
 * two turns of the same conversation at once, and the second would lose to the first.
 */
export function perKeyQueue() {
  const tails = new Map<string, Promise<void>>();
  return function enqueue(key: string, task: () => Promise<void>): Promise<void> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task); // tails never reject
    const tail = run.catch(() => {});
    tails.set(key, tail);
    // forget the key once its last task is done, so the map holds only busy users
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

/** Body-parser errors on a channel's endpoint (bad JSON, too large) as JSON, never an HTML page. */
export function jsonBodyErrors(): ErrorRequestHandler {
  return (err: { status?: number; type?: string }, _req, res, next) => {
    if (!err.status || err.status >= 500) return next(err);
    res
      .status(err.status)
      .json({ error: err.status === 413 ? 'too_large' : 'bad_request', message: err.type ?? 'invalid body' });
  };
}

/** A zod failure as the same JSON error: the first issue's path and message. */
export function badRequest(issue: { path: PropertyKey[]; message: string }): { error: 'bad_request'; message: string } {
  return { error: 'bad_request', message: `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` };
}
