import type { District } from '../../src/domain/district';
import type { IsoWeek } from '../../src/domain/weekly/iso-week';
import { buildWeeklyList, buildWeeklyLists } from '../../src/domain/weekly/weekly-list';
import { weeklyListXlsx } from '../../src/sheets/weekly-xlsx';
import type { ReportRepository } from '../../src/domain/report/repository';
import { median } from './stats';

export interface WeeklyRun {
  week: string;
  /** One dong's list, its queries and its XLSX (what the console's download builds), median of 3. */
  oneDong: number;
  oneDongRows: number;
  /** Every dong's list from the district-wide queries, and every XLSX (what the weekly job builds). */
  allDongs: number;
  allRows: number;
  dongsWithRows: number;
}

/** The weekly lists for `week`: one dong's (the first, which an older generator left empty) and all dongs'. */
export async function runWeekly(reports: ReportRepository, district: District, week: IsoWeek): Promise<WeeklyRun> {
  const deps = { reports, district };
  const dong = district.dongs[0]!.code;
  const times: number[] = [];
  let oneDongRows = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const list = await buildWeeklyList(deps, dong, week);
    await weeklyListXlsx(list);
    times.push(performance.now() - t);
    oneDongRows = list.thisWeek.length + list.carried.length;
  }
  const t = performance.now();
  const lists = [...(await buildWeeklyLists(deps, week)).values()];
  for (const list of lists) await weeklyListXlsx(list);
  const allDongs = performance.now() - t;
  const rows = (l: (typeof lists)[number]) => l.thisWeek.length + l.carried.length;
  return {
    week: week.id,
    oneDong: median(times),
    oneDongRows,
    allDongs,
    allRows: lists.reduce((n, l) => n + rows(l), 0),
    dongsWithRows: lists.filter((l) => l.thisWeek.length > 0).length,
  };
}
