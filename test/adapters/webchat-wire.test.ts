import { expect } from 'chai';
import { browserMessage, toIncoming, toWebReplies } from '../../adapters/webchat/wire';

describe('web chat wire format', () => {
  it('shows one bubble per text with the buttons under the last one', () => {
    const out = toWebReplies({ texts: ['첫째', '둘째'], choices: [{ label: '✓ 우편물', value: 'mail_piled' }] });
    expect(out).to.deep.equal([
      { type: 'message', text: '첫째' },
      { type: 'message', text: '둘째', quick_replies: [{ title: '✓ 우편물', payload: 'mail_piled' }] },
    ]);
  });

  it('drops the user id a browser sends, so only the cookie can name the user', () => {
    const parsed = browserMessage.parse({ type: 'message', text: ' 신고 ', user: 'someone-else', channel: 'x' });
    expect(parsed).to.deep.equal({ type: 'message', text: '신고' });
  });

  it('turns a page load into a read-only resume and a pressed button into a choice', () => {
    expect(toIncoming({ userId: 'u1', type: 'hello', text: '' })).to.deep.equal({
      channel: 'web',
      userId: 'u1',
      text: '',
      resume: true,
    });
    expect(toIncoming({ userId: 'u1', type: 'message', text: '맞음', choice: 'yes' })).to.deep.include({
      text: '맞음',
      choice: 'yes',
    });
    expect(toIncoming({ userId: 'u1', type: 'message', text: '맞음' }).resume).to.equal(undefined);
  });
});
