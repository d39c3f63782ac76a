/** How soon reporters heard back (the dashboard): reports counted once, by their first news told or shown. */
export interface HeardBack {
  /** Reports whose reporter got a first news within a day of reporting. */
  withinDay: number;
  withinWeek: number;
  /** Reports whose reporter got any news at all. */
  any: number;
}

const DAY_MS = 86_400_000;

export function heardBack(
  outcomes: { receiptNo: string; receivedAt: Date; decidedAt: Date; outcome: string }[],
): HeardBack {
  const first = new Map<string, number>();
  for (const o of outcomes) {
    if (o.outcome !== 'told' && o.outcome !== 'shown') continue;
    const after = o.decidedAt.getTime() - o.receivedAt.getTime();
    first.set(o.receiptNo, Math.min(first.get(o.receiptNo) ?? Number.POSITIVE_INFINITY, after));
  }
  const waits = [...first.values()];
  return {
    withinDay: waits.filter((w) => w <= DAY_MS).length,
    withinWeek: waits.filter((w) => w <= 7 * DAY_MS).length,
    any: waits.length,
  };
}
