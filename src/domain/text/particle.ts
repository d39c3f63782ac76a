import { josa } from 'es-hangul';

/** The pairs Korean chooses by the previous syllable's final consonant (받침). */
export type ParticlePair = '와/과' | '이/가' | '을/를' | '은/는' | '으로/로' | '이에요/예요';

/** How a trailing digit is read aloud: es-hangul judges Hangul only, and receipt numbers end in digits. */
const DIGIT_READING = ['영', '일', '이', '삼', '사', '오', '육', '칠', '팔', '구'] as const;

/**
 * A word followed by its particle, chosen by the sound it ends on (es-hangul's `josa`), instead
 * of writing both as "와(과)":
 *
 *     withParticle('서대문우체국', '을/를') // '서대문우체국을'
 *     withParticle('2026-000213', '와/과')  // '2026-000213과' (삼)
 */
export function withParticle(word: string, pair: ParticlePair): string {
  return `${word}${particleFor(word, pair)}`;
}

/** The particle alone, for markup that keeps the word in its own element. */
export function particleFor(word: string, pair: ParticlePair): string {
  const last = word.trim().slice(-1);
  const spoken = /\d/.test(last) ? DIGIT_READING[Number(last)]! : word.trim();
  return josa.pick(spoken, pair);
}
