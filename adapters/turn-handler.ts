import type { Incoming, Reply } from '../flows/types';

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
export async function withinDeadline(handler: TurnHandler, incoming: Incoming, budgetMs: number): Promise<DeadlineResult> {
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
    ? await Promise.race([handler.unanswered(incoming, controller.signal).catch(() => fallback), timeout(SETTLE_MS, fallback)])
    : fallback;
  return { ...outcome, reply };
}
