/** How urgent a report is, as the reporter judged it; the order is the queue's order. */
export const URGENCIES = [
  { value: 'immediate', label: '즉시 위험' },
  { value: 'prompt', label: '빠른 확인 필요' },
  { value: 'normal', label: '일반' },
] as const;
export type Urgency = (typeof URGENCIES)[number]['value'];
export const URGENCY_CODES = URGENCIES.map((u) => u.value) as [Urgency, ...Urgency[]];

export const URGENCY_LABELS = Object.fromEntries(URGENCIES.map((u) => [u.value, u.label])) as Record<Urgency, string>;

/** 0 immediate, 1 prompt, 2 normal: stored with the report so the queue sorts urgent-first. */
export const URGENCY_RANK: Record<Urgency, number> = { immediate: 0, prompt: 1, normal: 2 };
