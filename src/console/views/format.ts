// h23: midnight is 00:00 of the next day, never "24:00" of the day before (which hour12: false prints)
const fmt = new Intl.DateTimeFormat('ko-KR', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dayFmt = new Intl.DateTimeFormat('ko-KR', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
});

/** A Seoul date and time as staff read it. */
export const seoulDateTime = (d: Date | string) => fmt.format(typeof d === 'string' ? new Date(d) : d);

/**
 * A deadline that is the end of a business day (the next day's 00:00 as an instant), shown as
 * that day's last minute with its weekday: "2026. 11. 20. (금) 23:59까지" cannot be misread as
 * the end of the following day.
 */
export function deadlineText(endOfDay: Date | string): string {
  const last = new Date(new Date(endOfDay).getTime() - 60_000);
  return `${dayFmt.format(last)} ${fmt.format(last).slice(-5)}까지`;
}

/** A Seoul calendar date (YYYY-MM-DD) with its weekday: "2026. 11. 26. (목)". */
export const seoulDayText = (date: string) => dayFmt.format(new Date(`${date}T12:00:00+09:00`));

const shortFmt = new Intl.DateTimeFormat('ko-KR', {
  timeZone: 'Asia/Seoul',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A Seoul date and time without the year, for a list read on the day ("11. 25. 14:03"); another year keeps it. */
export const seoulShortDateTime = (d: Date | string, now: Date) => {
  const at = typeof d === 'string' ? new Date(d) : d;
  return fmt.format(at).slice(0, 5) === fmt.format(now).slice(0, 5) ? shortFmt.format(at) : fmt.format(at);
};

/**
 * How late a step is, in days a person counts: the deadline is the end of a day, so the first day
 * after it is "1일 지남".
 */
export function overdueText(endOfDay: Date | string, now: Date): string {
  const late = now.getTime() - new Date(endOfDay).getTime();
  return `${Math.max(1, Math.floor(late / 86_400_000) + 1)}일 지남`;
}

const shortDayFmt = new Intl.DateTimeFormat('ko-KR', {
  timeZone: 'Asia/Seoul',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
});

/** A day-end deadline in a list: "11. 27. (금)까지" (the whole day; the case page has the minute). */
export const shortDeadlineText = (endOfDay: Date | string) =>
  `${shortDayFmt.format(new Date(new Date(endOfDay).getTime() - 60_000))}까지`;
const DAY_MS = 86_400_000;
const seoulDay = (d: Date) => Math.floor((d.getTime() + 9 * 3_600_000) / DAY_MS);

/**
 * A deadline as it reads at `now`: before it, "…(금) 23:59까지"; after it, how long ago it
 * passed — "3일 지남" by Seoul calendar days since its last day, "2시간 지남" on that same day —
 * so an overdue row does not look like a date still to come.
 */
export function dueText(due: Date | string, now: Date): string {
  const end = new Date(due);
  if (now < end) return deadlineText(end);
  const days = seoulDay(now) - seoulDay(new Date(end.getTime() - 60_000));
  if (days >= 1) return `${days}일 지남`;
  const hours = Math.max(1, Math.floor((now.getTime() - end.getTime()) / 3_600_000));
  return `${hours}시간 지남`;
}
