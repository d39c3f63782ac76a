import pLimit from 'p-limit';

/**
 * Runs a background job's read of a whole report collection (on FerretDB a decode of every
 * stored document: ≈2–3 s of one database core at 100,000 reports, over a minute for the
 * retention pass). `deferring()`: true while the instance has just started and a job that can
 * put such a read off (to its next pass) should.
 */
export interface WholeReads {
  <T>(read: () => Promise<T>): Promise<T>;
  deferring(): boolean;
}

/**
 * One instance's whole-collection reads, one at a time: at a start the hourly working-set pass
 * and the news sweep's full pass would otherwise each hold a core of the 2-core database host
 * together, and every chat turn and console action would wait behind both. With the gate at most
 * one core is the jobs'. And for `afterMs` after the start they are put off, so the burst of chat
 * turns that a restart's clients retry goes first. `p-limit` (Sindre Sorhus, widely used): a
 * concurrency limit of one.
 */
export function wholeReadsOneAtATime(afterMs: number, now: () => number = Date.now): WholeReads {
  const limit = pLimit(1);
  const from = now() + afterMs;
  return Object.assign(<T>(read: () => Promise<T>) => limit(read), { deferring: () => now() < from });
}

/** No gate and no deferral (the CLI, tests that run one job alone). */
export const wholeReadsAtOnce: WholeReads = Object.assign(<T>(read: () => Promise<T>) => read(), {
  deferring: () => false,
});
