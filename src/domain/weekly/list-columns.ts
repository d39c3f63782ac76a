import { PROGRESS_COLUMNS, withRate, type ListProgress } from '../list-progress';

/** A list's follow-up line: households, then each stage with its rate. */
export const LIST_COLUMNS = ['명단', ...PROGRESS_COLUMNS.map((c) => c.header)] as const;
export const listCells = (l: ListProgress) => [
  l.label,
  ...PROGRESS_COLUMNS.map((c) => (c.key === 'households' ? String(l.households) : withRate(l[c.key], l.households))),
];
