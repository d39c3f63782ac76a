import type { Connection } from 'mongoose';
import { OPEN_STATUSES } from '../../domain/report/status';
import { packedCopies } from './packed-copies';

/**
 * `reports_open`: a copy of every open report, so the console's open queue and its counts, the
 * weekly lists' carried-over cases and the import's duplicate check read a few hundred packed
 * documents instead of the working set. FerretDB decodes every stored document of a collection
 * for any query that is not an `_id` equality, at a cost that follows its number of values
 * (≈0.8 ms for a report with seven history entries): the working set of a district with years of
 * reports holds thousands of reports, most of them closed.
 */
export const openCopies = (conn: Connection) =>
  packedCopies(conn, {
    model: 'ReportOpen',
    collection: 'reports_open',
    holds: (doc) => OPEN_STATUSES.includes(doc.status),
    tokenPrefix: '',
  });

export type OpenCopies = ReturnType<typeof openCopies>;
