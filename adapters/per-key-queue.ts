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
