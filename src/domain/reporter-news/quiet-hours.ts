import { seoulDate, seoulHour } from '../time';

/** No pushes between 21:00 and 08:00 in Seoul: work messages wait for the morning. */
export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL_HOUR = 8;

export const isQuietHour = (d: Date): boolean => {
  const h = seoulHour(d);
  return h >= QUIET_FROM_HOUR || h < QUIET_UNTIL_HOUR;
};

/**
 * When something that happened at `d` may be pushed: at once in the day, else the next 08:00 in
 * Seoul (the same morning after midnight, the next morning before it). Everything held for one
 * reporter shares that instant, so it goes as one message.
 */
export function releaseAt(d: Date): Date {
  if (!isQuietHour(d)) return d;
  const h = seoulHour(d);
  const day = h < QUIET_UNTIL_HOUR ? seoulDate(d) : seoulDate(new Date(d.getTime() + 12 * 3_600_000));
  return new Date(`${day}T${String(QUIET_UNTIL_HOUR).padStart(2, '0')}:00:00+09:00`);
}
