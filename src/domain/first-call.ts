import { isBusinessDay } from './same-day';
import { seoulDate, seoulHour } from './time';

/** The call center's working hours in Seoul (public offices: 09:00–18:00). */
export const BUSINESS_HOURS = { start: 9, end: 18 } as const;

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/**
 * When the call center will first pick a report up, as the receipt promises it: today when it
 * arrives within working hours of a business day, else the next business day (weekends and
 * public holidays from the same calendar as the console's same-day deadline, domain/same-day.ts).
 */
export function firstCallDay(receivedAt: Date): { today: boolean; date: string } {
  const today = seoulDate(receivedAt);
  const hour = seoulHour(receivedAt);
  if (isBusinessDay(today) && hour >= BUSINESS_HOURS.start && hour < BUSINESS_HOURS.end)
    return { today: true, date: today };
  // before opening on a business day, it is still that day's work, but not "now"
  let day = isBusinessDay(today) && hour < BUSINESS_HOURS.start ? today : addDays(today, 1);
  while (!isBusinessDay(day)) day = addDays(day, 1);
  return { today: false, date: day };
}

/** "11월 24일(화)" for a YYYY-MM-DD date. */
export function koreanDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = '일월화수목금토'[d.getUTCDay()];
  return `${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일(${weekday})`;
}
