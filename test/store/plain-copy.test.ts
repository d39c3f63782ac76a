import { expect } from 'chai';
import { plainCopy } from '../../src/store/plain-copy';

/** What a chat turn starts from is its own: a change to one turn's state never reaches the next one's. */
describe('plainCopy: the copy a chat turn takes of its conversation', () => {
  it('copies as structuredClone does: dates stay dates, nested objects and arrays are new, odd values survive', () => {
    const state = {
      stepId: 'age',
      updatedAt: new Date('2026-12-05T01:02:03Z'),
      data: { name: '홍길동', signs: ['arrears', 'mail'], photos: [{ id: 'p1', at: new Date(0) }], note: null },
      bytes: Buffer.from('사진'),
      missing: undefined,
    };
    const copy = plainCopy(state);
    expect(copy).to.deep.equal(structuredClone(state));
    expect(copy.updatedAt).to.be.instanceOf(Date).and.not.equal(state.updatedAt);
    copy.data.signs.push('smell');
    copy.data.photos[0]!.at.setTime(5);
    copy.data.name = '김씨';
    expect(state.data.signs).to.deep.equal(['arrears', 'mail']);
    expect(state.data.photos[0]!.at.getTime()).to.equal(0);
    expect(state.data.name).to.equal('홍길동');
    expect('missing' in copy).to.equal(true);
  });
});
