// Built once: constructing an Intl.DateTimeFormat costs far more than formatting with one (it
// was a list import's largest cost, once per row).
const SEOUL_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const SEOUL_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hourCycle: 'h23' });

/** Calendar parts of an instant in Korea, where the district works, whatever the server's zone. */
export function seoulParts(d: Date): { year: number; month: number; day: number } {
  const parts = SEOUL_DAY.formatToParts(d);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** The hour (0–23) of an instant in Seoul. */
export const seoulHour = (d: Date): number => Number(SEOUL_HOUR.format(d));

export function seoulDate(d: Date): string {
  const { year, month, day } = seoulParts(d);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Midnight in Seoul of a YYYY-MM-DD date, as an instant. */
export function seoulMidnight(date: string): Date {
  return new Date(`${date}T00:00:00+09:00`);
}
