/**
 * "Something alertable just happened in this process": the console's actions and the chat
 * filing call `kickAlerts()`, and this instance's alert sweep runs at once instead of at its next
 * tick. The sweep's claims keep it exactly-once; the timer stays the safety net (another
 * instance's change, a crash between the change and the kick, a failed send's back-off).
 */
const listeners = new Set<() => void>();

export function kickAlerts(): void {
  for (const l of listeners) l();
}

/** Subscribes a sweep; returns the unsubscribe function. */
export function onAlertKick(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
