import { expect } from 'chai';
import { dailyPassDue } from '../../src/jobs/purge';

/** The daily retention pass runs at night (RETENTION_CRON, Seoul), not at every start. */
describe('when the daily retention pass is due', () => {
  const CRON = '30 3 * * *';
  const seoul = (iso: string) => new Date(`${iso}+09:00`);

  it('runs at once when it never ran (a new installation) or missed more than a day', () => {
    expect(dailyPassDue(CRON, seoul('2026-12-04T15:00:00'), null)).to.equal(true);
    expect(dailyPassDue(CRON, seoul('2026-12-04T15:00:00'), seoul('2026-12-03T01:00:00'))).to.equal(true);
  });

  it('does not run again on a restart the same day: the pass reads every stored report', () => {
    expect(dailyPassDue(CRON, seoul('2026-12-04T15:00:00'), seoul('2026-12-04T03:30:05'))).to.equal(false);
    expect(dailyPassDue(CRON, seoul('2026-12-04T02:00:00'), seoul('2026-12-03T03:30:05'))).to.equal(false);
  });

  it("runs once today's scheduled time has come, whoever ran yesterday's", () => {
    expect(dailyPassDue(CRON, seoul('2026-12-04T03:30:00'), seoul('2026-12-03T03:30:05'))).to.equal(true);
    expect(dailyPassDue(CRON, seoul('2026-12-04T09:10:00'), seoul('2026-12-03T03:30:05'))).to.equal(true);
  });
});
