import { expect } from 'chai';
import { guardInput } from '../../flows/input-guard';
import { INPUT_GUARD_TEXTS, MAX_MESSAGE_LENGTH } from '../../flows/report/messages';
import type { Incoming, Reply } from '../../flows/types';
import { charCount, MAX_BYTES_PER_CHAR, overByteBound } from '../../src/domain/report/text-limits';

const segmenter = new Intl.Segmenter('ko', { granularity: 'grapheme' });
/** The plain count the linear one must equal. */
const reference = (text: string) => [...segmenter.segment(text)].length;

/** Pieces that test every grapheme rule a cut could break: ZWJ sequences, flags, jamo, combining marks, CR LF, lone surrogates. */
const PIECES = [
  '👨‍👩‍👧',
  '🇰🇷',
  '🇰',
  '가',
  '각',
  'a',
  '\u0301',
  '\u200d',
  '\r',
  '\n',
  '\r\n',
  '👍🏽',
  'ᄀ',
  'ᅡ',
  'ᆨ',
  '\uD83D',
  'x',
  '❤️',
  '\u0308',
  ' ',
];

describe('charCount: characters as people count them, in linear time', () => {
  it('equals the segmenter on 1,000 texts built from the hard cases (fixed seed)', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 1000; i++) {
      let text = '';
      const parts = 1 + Math.floor(random() * 400);
      for (let j = 0; j < parts; j++) text += PIECES[Math.floor(random() * PIECES.length)];
      expect(charCount(text), JSON.stringify(text)).to.equal(reference(text));
    }
  });

  it('counts long texts and one huge cluster right', () => {
    expect(charCount('')).to.equal(0);
    expect(charCount('가'.repeat(5000))).to.equal(5000);
    expect(charCount('🇰🇷'.repeat(700))).to.equal(700);
    expect(charCount(`a${'\u0301'.repeat(3000)}b`)).to.equal(2);
  });
});

describe('input guard: size by bytes before any per-character work', () => {
  const seen: Incoming[] = [];
  const turn = async (incoming: Incoming): Promise<Reply> => {
    seen.push(incoming);
    return { texts: ['지금 질문'], choices: [] };
  };
  const guard = guardInput(turn, INPUT_GUARD_TEXTS, MAX_MESSAGE_LENGTH);
  const send = (text: string, extra: Partial<Incoming> = {}) =>
    guard({ channel: 'web', userId: 'u', text, ...extra }, new AbortController().signal);

  it('bounds a message at MAX_BYTES_PER_CHAR bytes per allowed character', () => {
    expect(overByteBound('가'.repeat(MAX_MESSAGE_LENGTH), MAX_MESSAGE_LENGTH)).to.equal(false);
    expect(overByteBound('a'.repeat(MAX_MESSAGE_LENGTH * MAX_BYTES_PER_CHAR + 1), MAX_MESSAGE_LENGTH)).to.equal(true);
  });

  it('refuses 64 kB of any kind with the length and the current question, the flow seeing only a resume', async () => {
    const kinds = [
      '가'.repeat(21_000),
      'a'.repeat(64_000),
      ' '.repeat(63_999) + 'a',
      `a${'\u0301'.repeat(32_000)}`,
      '.'.repeat(64_000),
    ];
    for (const text of kinds) {
      seen.length = 0;
      const reply = await send(text);
      expect(reply.texts[0]).to.match(/^보내신 메시지가 너무 깁니다\. \([\d,]+자\)/);
      expect(reply.texts[1]).to.equal('지금 질문');
      expect(seen).to.have.length(1);
      expect(seen[0]!.resume).to.equal(true);
      expect(seen[0]!.text).to.equal('');
    }
  });

  it('refuses an over-long text that comes with a pressed button or a photo too (the label is no way around the bound)', async () => {
    for (const extra of [{ choice: '신고' }, { imageUrl: 'https://talk.kakaocdn.net/a.jpg' }]) {
      seen.length = 0;
      const reply = await send('a'.repeat(64_000), extra);
      expect(reply.texts[0]).to.contain('너무 깁니다');
      expect(seen[0]!.resume).to.equal(true);
    }
  });

  it('passes a 1,000-character answer and counts emoji as one each', async () => {
    seen.length = 0;
    await send('가'.repeat(1000));
    expect(seen[0]!.text).to.have.length(1000);
    seen.length = 0;
    await send('좋아요👍🏽'.repeat(250)); // 1,500 UTF-16 units, 1,000 characters
    expect(seen[0]!.resume).to.equal(undefined);
    const reply = await send('가'.repeat(1001));
    expect(reply.texts[0]).to.contain('(1,001자)');
  });
});
