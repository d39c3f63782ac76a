import { log } from '../log';
import { onAlertKick } from './alert-kick';

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
  onPass?: () => void,
  kicked = true,
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
  tick();
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  const unsubscribe = kicked ? onAlertKick(tick) : () => {};
  return async () => {
    stopped = true;
    unsubscribe();
    clearInterval(timer);
    await running;
  };
}
