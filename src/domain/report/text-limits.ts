/**
 * One definition of a character for every limit on what people type: a grapheme cluster, what a
 * person counts on screen ("👍🏽" and "한" are one each). The flow checks it and the store checks
 * the same, so a text the flow accepts is always storable (mongoose's maxlength would count
 * UTF-16 units and refuse 600 emoji the flow had accepted).
 */
const segmenter = new Intl.Segmenter('ko', { granularity: 'grapheme' });

export function charCount(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

export const LIMITS = {
  address: { min: 2, max: 200 },
  situation: { min: 5, max: 1000 },
  name: { max: 30 },
} as const;

export const fitsLimit = (text: string, limit: { min?: number; max: number }): boolean => {
  const n = charCount(text);
  return n >= (limit.min ?? 0) && n <= limit.max;
};
