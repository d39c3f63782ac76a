import { log } from '../log';
import { onAlertKick } from './alert-kick';

export interface SweepLoopOptions {
  /** Called after every pass, failed or not (the health heartbeat). */
  onPass?: () => void;
  /** Whether an alert kick in this process runs a pass at once (default true). */
  kicked?: boolean;
  /** The first pass's delay after the start (default 0: at once); kicks run passes meanwhile. */
  firstPassAfterMs?: number;
}

/**
 * Runs `pass` every `seconds` and, when `kicked`, right after any alert kick in this process, never two at once:
 * a kick during a pass runs one more pass after it (a change may have been read before it was
 * stored). A failed pass is logged and the next one retries. Returns the stop function, which
 * waits for the pass in progress.
 */
export function startSweepLoop(
  name: string,
  pass: () => Promise<unknown>,
  seconds: number,
  { onPass, kicked = true, firstPassAfterMs = 0 }: SweepLoopOptions = {},
): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  let again = false;
  let stopped = false;
  const tick = () => {
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((err: Error) =>
        log.warn({ error: err.name, detail: err.message }, `${name} failed; the next sweep retries`),
      )
      .finally(() => {
        running = undefined;
        onPass?.();
        if (again && !stopped) {
          again = false;
          tick();
        }
      });
  };
  const first = runFirst(tick, firstPassAfterMs);
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  const unsubscribe = kicked ? onAlertKick(tick) : () => {};
  return async () => {
    stopped = true;
    unsubscribe();
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}

/** Runs `fn` now, or after `ms` (a timer that does not hold the process open; returned for the stop). */
export function runFirst(fn: () => void, ms: number): NodeJS.Timeout | undefined {
  if (ms <= 0) {
    fn();
    return undefined;
  }
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}
