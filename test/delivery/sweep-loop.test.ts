import { expect } from 'chai';
import { kickAlerts } from '../../src/delivery/alert-kick';
import { startSweepLoop } from '../../src/delivery/sweep-loop';

const settle = () => new Promise((r) => setImmediate(r));

/**
 * After a start the jobs' first passes are spread out (JOBS_START_STAGGER_SECONDS), so a restart's
 * first chat turns and staff actions do not meet them all at once; an urgent filing's kick must
 * still run its sweep at once.
 */
describe('a sweep whose first pass is put off after a start', () => {
  it('does not run before its time, runs at once on an alert kick, and stops with its first pass pending', async () => {
    let passes = 0;
    const stop = startSweepLoop(
      'test sweep',
      async () => {
        passes++;
      },
      600,
      { firstPassAfterMs: 3_600_000 },
    );
    await settle();
    expect(passes, 'the first pass waits for its turn').to.equal(0);
    kickAlerts();
    await settle();
    expect(passes, 'a kick is not put off').to.equal(1);
    await stop(); // the pending first pass is cleared with the interval: nothing keeps the process up
    kickAlerts();
    await settle();
    expect(passes, 'a stopped sweep ignores kicks').to.equal(1);
  });

  it('runs its first pass at once when nothing puts it off, and a news-like sweep ignores kicks', async () => {
    let kicked = 0;
    let quiet = 0;
    const stops = [
      startSweepLoop('kicked sweep', async () => void kicked++, 600),
      startSweepLoop('quiet sweep', async () => void quiet++, 600, { kicked: false }),
    ];
    await settle();
    expect([kicked, quiet]).to.deep.equal([1, 1]);
    kickAlerts();
    await settle();
    await settle();
    expect([kicked, quiet]).to.deep.equal([2, 1]);
    for (const stop of stops) await stop();
  });
});
