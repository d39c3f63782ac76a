import { expect } from 'chai';
import { openRepositories } from '../../src/repositories';
import { testDatabase } from '../support/database';

/**
 * Receipt numbers when many reporters press 접수 at once through one instance: FerretDB's `$inc`
 * is not atomic, so an instance queues its increments, and the filings waiting meanwhile share
 * one increment: each still gets its own number, with none skipped or given twice.
 */
describe('receipt numbers drawn by simultaneous filings', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  before(async () => {
    db = await testDatabase('receipt_counter');
  });
  after(() => db.drop());

  it('gives forty filings at once forty consecutive numbers, a block reserved meanwhile none of theirs, and the next filing the one after', async () => {
    const { counter } = openRepositories(db.connection);
    const first = await counter.next('seodaemun', 2026);
    const [drawn, block] = await Promise.all([
      Promise.all(Array.from({ length: 40 }, () => counter.next('seodaemun', 2026))),
      counter.reserveBlock('seodaemun', 2026, 10),
      // another district's counter is its own
      counter.next('mapo', 2026),
    ]);
    const blockNumbers = Array.from({ length: 10 }, (_, i) => block + i);
    const all = [...drawn, ...blockNumbers].sort((a, b) => a - b);
    expect(new Set(all).size, 'no number twice').to.equal(50);
    expect(all, 'none skipped').to.deep.equal(Array.from({ length: 50 }, (_, i) => first + 1 + i));
    expect(await counter.next('seodaemun', 2026)).to.equal(first + 51);
    expect(await counter.next('mapo', 2026)).to.equal(2);
  });
});
