/** One row as read: its number in the file (1 = first row) and its cells as text. */
export interface RawRow {
  row: number;
  cells: string[];
}
