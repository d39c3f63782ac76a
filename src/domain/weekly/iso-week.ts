/**
 * ISO weeks (Monday–Sunday) on the Seoul calendar, whatever the server's zone. Korea keeps a
 * fixed UTC+9 with no daylight saving, so a constant offset is exact.
 */
const SEOUL_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface IsoWeek {
  year: number;
  week: number;
  /** "2026-W47" */
  id: string;
  /** Monday 00:00 in Seoul, as an instant (inclusive). */
  start: Date;
  /** The next Monday 00:00 in Seoul (exclusive). */
  end: Date;
}

export const WEEK_ID = /^(\d{4})-W(\d{2})$/;

const formatId = (year: number, week: number) => `${year}-W${String(week).padStart(2, '0')}`;

/** Midnight UTC of the Monday that starts ISO week 1 of a year (the week holding January 4). */
function week1MondayUtc(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = new Date(jan4).getUTCDay() || 7;
  return jan4 - (dow - 1) * DAY_MS;
}

/** 53 when the year starts on a Thursday, or on a Wednesday in a leap year; else 52. */
export function weeksInYear(year: number): number {
  return (week1MondayUtc(year + 1) - week1MondayUtc(year)) / WEEK_MS;
}

function build(year: number, week: number): IsoWeek {
  const mondayUtc = week1MondayUtc(year) + (week - 1) * WEEK_MS;
  const start = new Date(mondayUtc - SEOUL_OFFSET_MS);
  return { year, week, id: formatId(year, week), start, end: new Date(start.getTime() + WEEK_MS) };
}

/** The ISO week an instant falls in, on the Seoul calendar. */
export function weekOf(instant: Date): IsoWeek {
  const seoul = instant.getTime() + SEOUL_OFFSET_MS;
  const dayStart = seoul - (((seoul % DAY_MS) + DAY_MS) % DAY_MS);
  const dow = new Date(dayStart).getUTCDay() || 7;
  const thursday = dayStart + (4 - dow) * DAY_MS; // the Thursday decides the ISO year
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - week1MondayUtc(year)) / WEEK_MS) + 1;
  return build(year, week);
}

/** Parses "2026-W47"; undefined for anything else, including a week the year does not have. */
export function parseWeek(id: string): IsoWeek | undefined {
  const m = WEEK_ID.exec(id.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 2000 || year > 2100 || week < 1 || week > weeksInYear(year)) return undefined;
  return build(year, week);
}

/** The week `n` weeks after (negative: before) the given one. */
export function addWeeks(w: IsoWeek, n: number): IsoWeek {
  return weekOf(new Date(w.start.getTime() + n * WEEK_MS));
}

/** "11월 16일(월)~11월 22일(일)" in Seoul terms, for titles. */
export function weekLabelKo(w: IsoWeek): string {
  const d = (t: number) => {
    const x = new Date(t + SEOUL_OFFSET_MS);
    return `${x.getUTCMonth() + 1}월 ${x.getUTCDate()}일`;
  };
  return `${d(w.start.getTime())}(월)~${d(w.end.getTime() - DAY_MS)}(일)`;
}

/** The week (Monday–Sunday, Seoul) holding a calendar date "YYYY-MM-DD"; undefined for a date that does not exist. */
export function weekOfDate(date: string): IsoWeek | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (year < 2000 || year > 2100 || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return undefined;
  return weekOf(new Date(utc.getTime() - SEOUL_OFFSET_MS + 12 * 3_600_000));
}

/** "11월 30일(월) ~ 12월 6일(일)": how a week is shown where people choose one. */
export function weekRangeKo(w: IsoWeek): string {
  return weekLabelKo(w).replace('~', ' ~ ');
}

/** A week named by its Monday, as people say it: "11월 30일 주" (with the year: "2026년 11월 30일 주"). */
export function weekStartKo(w: IsoWeek, withYear = false): string {
  const x = new Date(w.start.getTime() + SEOUL_OFFSET_MS);
  return `${withYear ? `${x.getUTCFullYear()}년 ` : ''}${x.getUTCMonth() + 1}월 ${x.getUTCDate()}일 주`;
}
