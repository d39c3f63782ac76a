import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config';

describe('channel configuration', () => {
  const base = { NODE_ENV: 'test', LOG_LEVEL: 'silent' };

  it("stops start-up when only one of a channel's two secrets is set, naming the missing one", () => {
    expect(() => loadConfig({ ...base, SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).to.throw(
      ConfigError,
      'SLACK_SIGNING_SECRET',
    );
    expect(() => loadConfig({ ...base, SLACK_SIGNING_SECRET: 'a'.repeat(32) })).to.throw(
      ConfigError,
      'SLACK_BOT_TOKEN',
    );
    expect(() => loadConfig({ ...base, TELEGRAM_BOT_TOKEN: '123:AAAAAAAAAAAAAAAAAAAAAAAA' })).to.throw(
      ConfigError,
      'TELEGRAM_WEBHOOK_SECRET',
    );
    expect(() => loadConfig({ ...base, TELEGRAM_WEBHOOK_SECRET: 'b'.repeat(20) })).to.throw(
      ConfigError,
      'TELEGRAM_BOT_TOKEN',
    );
  });

  it('refuses a Telegram secret Telegram itself would refuse, and a token of the wrong form', () => {
    const token = '123:AAAAAAAAAAAAAAAAAAAAAAAA';
    expect(() =>
      loadConfig({ ...base, TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: 'has spaces and is long' }),
    ).to.throw(ConfigError, 'TELEGRAM_WEBHOOK_SECRET');
    expect(() =>
      loadConfig({ ...base, SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 'a'.repeat(32) }),
    ).to.throw(ConfigError, 'SLACK_BOT_TOKEN');
  });

  it('leaves both channels off by default and turns each on with its pair', () => {
    const off = loadConfig(base);
    expect([off.SLACK_BOT_TOKEN, off.TELEGRAM_BOT_TOKEN]).to.deep.equal([undefined, undefined]);
    const on = loadConfig({
      ...base,
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 'a'.repeat(32),
      TELEGRAM_BOT_TOKEN: '123:AAAAAAAAAAAAAAAAAAAAAAAA',
      TELEGRAM_WEBHOOK_SECRET: 'b'.repeat(20),
    });
    expect(on.SLACK_BOT_ID).to.equal('B00000000');
    expect(on.TELEGRAM_API_ROOT).to.equal('https://api.telegram.org');
  });
});
