import pLimit from 'p-limit';

/**
 * Runs a background job's read of a whole report collection (on FerretDB a decode of every
 * stored document: ≈2–3 s of one database core at 100,000 reports, over a minute for the
 * retention pass).
 */
export type WholeReads = <T>(read: () => Promise<T>) => Promise<T>;

/**
 * One instance's whole-collection reads, one at a time: at a start the hourly working-set pass
 * and the news sweep's full pass would otherwise each hold a core of the 2-core database host
 * together, and every chat turn and console action would wait behind both. With the gate at most
 * one core is the jobs'. `p-limit` (Sindre Sorhus, widely used): a concurrency limit of one.
 */
export function wholeReadsOneAtATime(): WholeReads {
  const limit = pLimit(1);
  return (read) => limit(read);
}

/** No gate (the CLI, tests that run one job alone). */
export const wholeReadsAtOnce: WholeReads = (read) => read();
