import { expect } from 'chai';
import { particleFor, withParticle } from '../../src/domain/text/particle';

/** Korean particles chosen by the sound a word ends on, never "와(과)". */
describe('Korean particles by the final consonant (es-hangul)', () => {
  it('chooses 와/과, 이/가, 을/를, 은/는 and 으로/로 after Hangul', () => {
    expect(withParticle('서대문우체국', '을/를')).to.equal('서대문우체국을');
    expect(withParticle('한국전력 서대문지사', '을/를')).to.equal('한국전력 서대문지사를');
    expect(withParticle('홍제1동', '와/과')).to.equal('홍제1동과');
    expect(withParticle('신촌동', '이/가')).to.equal('신촌동이');
    expect(withParticle('마포구', '은/는')).to.equal('마포구는');
    expect(withParticle('천연동', '으로/로')).to.equal('천연동으로');
    expect(withParticle('홍은1동 주민센터', '으로/로')).to.equal('홍은1동 주민센터로');
  });

  it('reads a trailing digit aloud, as a receipt number is read (삼 → 과, 오 → 와)', () => {
    const expected: Record<string, string> = {
      0: '과',
      1: '과',
      2: '와',
      3: '과',
      4: '와',
      5: '와',
      6: '과',
      7: '과',
      8: '과',
      9: '와',
    };
    for (const [digit, particle] of Object.entries(expected))
      expect(particleFor(`2026-00021${digit}`, '와/과'), digit).to.equal(particle);
    expect(withParticle('2026-000213', '이/가')).to.equal('2026-000213이');
    expect(withParticle('2026-000205', '을/를')).to.equal('2026-000205를');
  });
});
