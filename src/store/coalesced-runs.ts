/**
 * Runs of one job per key, one after another, where each call is answered by a run that began
 * after it: calls that arrive while a run is under way share the next one. Ten callers within one
 * run's time cost two runs, not ten.
 */
export function coalescedRuns(run: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const queues = new Map<string, { last: Promise<void>; waiting?: Promise<void> }>();
  return (key) => {
    const queue = queues.get(key) ?? { last: Promise.resolve() };
    if (queue.waiting) return queue.waiting;
    const next: Promise<void> = queue.last
      .catch(() => {}) // a failed run failed its own callers; the next one runs regardless
      .then(() => {
        queue.waiting = undefined; // begun: a later call waits for the run after this one
        return run(key);
      });
    queue.waiting = next;
    queue.last = next;
    queues.set(key, queue);
    const forget = () => {
      if (queue.last === next) queues.delete(key);
    };
    next.then(forget, forget);
    return next;
  };
}
