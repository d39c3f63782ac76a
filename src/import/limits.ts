/**
 * What an uploaded list may be. 20,000 rows is the ceiling (a national crisis list for a
 * district is several hundred; a utility's arrears list a few thousand). 20 MB holds 20,000 rows
 * of a wide CSV several times over; anything larger is refused before it is read.
 */
export const MAX_ROWS = 20_000;
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_COLUMNS = 100;
export const MAX_CELL_CHARS = 2_000;

/** XLSX is a zip: a sheet of 20,000 rows inflates to tens of MB, never hundreds. */
export const ZIP_MAX_ENTRIES = 2_000;
export const ZIP_MAX_TOTAL_BYTES = 300 * 1024 * 1024;
/** Ratio beyond which an entry is a bomb (real sheets compress 5–20×; zeros compress 1000×). */
export const ZIP_MAX_RATIO = 200;
export const ZIP_RATIO_FLOOR_BYTES = 1024 * 1024;
