import { expect } from 'chai';
import { addressKey } from '../../src/domain/address-key';
import { normalizeDeep, normalizeText } from '../../src/domain/text/normalize';

describe('normalizeText: one form for text at every boundary', () => {
  it('removes NUL and other control characters but keeps newline and tab', () => {
    expect(normalizeText('홍제동\u0000 12\u0007-3\u001B[31m')).to.equal('홍제동 12-3[31m');
    expect(normalizeText('첫 줄\r\n둘째\r셋째\t끝\u0085')).to.equal('첫 줄\n둘째\n셋째\t끝\n');
  });
  it('removes bidi controls that would reorder text in the console and the CSV', () => {
    expect(normalizeText('홍길동\u202E0105-4321-010\u202C')).to.equal('홍길동0105-4321-010');
    expect(normalizeText('\u2066a\u2067b\u2068c\u2069\u200E\u200F\u061C')).to.equal('abc');
  });
  it('removes zero-width characters and composes combining marks (NFC)', () => {
    const decomposed = '홍길동'.normalize('NFD');
    expect(decomposed).not.to.equal('홍길동');
    expect(normalizeText(`${decomposed}\u200B\u200D\u200C\uFEFF\u2060`)).to.equal('홍길동');
    expect(normalizeText('e\u0301')).to.equal('\u00e9');
  });
  it('makes addresses that differ only in invisible characters the same duplicate key', () => {
    expect(addressKey('홍제동 1\u200B23-4\u202E')).to.equal(addressKey('홍제동 123-4'));
    expect(addressKey('홍제동 123-4'.normalize('NFD'))).to.equal(addressKey('홍제동 123-4'));
  });
  it('normalises every string of a body but leaves passwords as typed', () => {
    const out = normalizeDeep({
      note: 'a\u0000b',
      nested: [{ text: '\u202Ec' }],
      password: 'p\u200Bw',
      currentPassword: 'x\u0000',
    }) as Record<string, unknown>;
    expect(out).to.deep.equal({
      note: 'ab',
      nested: [{ text: 'c' }],
      password: 'p\u200Bw',
      currentPassword: 'x\u0000',
    });
  });
  it('replaces lone surrogates instead of storing broken UTF-16', () => {
    expect(normalizeText('a\uD800b')).to.equal('a\uFFFDb');
    expect(normalizeText('😀')).to.equal('😀');
  });
});
