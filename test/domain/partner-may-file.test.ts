import { expect } from 'chai';
import { msg } from '../../flows/report/messages';
import { partnerMayFile } from '../../src/domain/partner-may-file';

describe('whether a partner may file (one decision, said by the chat in its words)', () => {
  it('answers a code for a known, a revoked and an unknown partner', () => {
    expect(partnerMayFile({ active: true })).to.equal('ok');
    expect(partnerMayFile({ active: false })).to.equal('inactive');
    expect(partnerMayFile(undefined)).to.equal('unknown');
  });

  it('tells the reporter which partner lost its right to file, or their partner when it is not known', () => {
    expect(msg.mayNotFile('inactive', '서대문우체국')).to.equal(msg.partnerRevoked('서대문우체국'));
    expect(msg.mayNotFile('unknown')).to.equal(msg.partnerRevoked('소속 기관'));
  });
});
