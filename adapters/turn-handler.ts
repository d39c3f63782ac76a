import type { Incoming, Reply } from '../flows/types';

/**
 * What every adapter calls: one user message in, one reply out. The signal is aborted when the
 * platform's deadline has passed, so the turn stops before writing what the user never sees.
 */
export type TurnHandler = (incoming: Incoming, signal: AbortSignal) => Promise<Reply>;

export const TRY_AGAIN = '잠시 후 다시 시도해 주세요. 입력하신 내용은 그대로 있습니다.';

export type DeadlineResult = { kind: 'reply'; reply: Reply } | { kind: 'late' } | { kind: 'failed'; error: unknown };

/** Runs a turn against the platform's clock: a reply, "late" when the budget ran out, or the failure. */
export async function withinDeadline(handler: TurnHandler, incoming: Incoming, budgetMs: number): Promise<DeadlineResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DeadlineResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ kind: 'late' });
    }, budgetMs);
  });
  const work = handler(incoming, controller.signal).then(
    (reply): DeadlineResult => ({ kind: 'reply', reply }),
    (error): DeadlineResult => ({ kind: 'failed', error }),
  );
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
