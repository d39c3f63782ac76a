import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config';

describe('weekly delivery configuration', () => {
  it('defaults to Monday 09:00 with two weeks of catch-up', () => {
    const c = loadConfig({});
    expect(c).to.include({
      WEEKLY_DELIVERY_CRON: '0 9 * * 1',
      WEEKLY_DELIVERY_CATCHUP_WEEKS: 2,
      WEEKLY_DELIVERY_ENABLED: true,
      SMTP_PORT: 587,
      SMTP_SECURE: false,
    });
  });

  it("stops start-up with the variable's name on a cron expression croner cannot read", () => {
    expect(() => loadConfig({ WEEKLY_DELIVERY_CRON: 'every monday 9am' })).to.throw(
      ConfigError,
      'WEEKLY_DELIVERY_CRON',
    );
    expect(() => loadConfig({ WEEKLY_DELIVERY_CRON: '0 25 * * 1' })).to.throw(ConfigError, 'WEEKLY_DELIVERY_CRON');
    expect(loadConfig({ WEEKLY_DELIVERY_CRON: '30 8 * * MON' }).WEEKLY_DELIVERY_CRON).to.equal('30 8 * * MON');
    expect(() => loadConfig({ SMTP_SECURE: 'yes' })).to.throw(ConfigError, 'SMTP_SECURE');
  });
});
