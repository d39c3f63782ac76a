/**
 * One definition of a character for every limit on what people type: a grapheme cluster, what a
 * person counts on screen ("👍🏽" and "한" are one each). The flow checks it and the store checks
 * the same, so a text the flow accepts is always storable (mongoose's maxlength would count
 * UTF-16 units and refuse 600 emoji the flow had accepted).
 */
const segmenter = new Intl.Segmenter('ko', { granularity: 'grapheme' });

/** Text in which every UTF-16 code unit is a grapheme cluster of its own. */
const ONE_UNIT_CLUSTERS = /^[\t\n\x20-\x7e\uac00-\ud7a3]*$/;

/** Code units handed to the segmenter at once: V8's segment iterator costs grow with the square of the text it holds. */
const PIECE = 256;

/**
 * Grapheme clusters in `text`, in time linear in its length. The segmenter sees the text in
 * pieces; each piece's last cluster may continue past the cut, so it is not counted and the next
 * piece starts where it starts, a true boundary (grapheme rules look back no further than the
 * cluster they are in; regional-indicator pairs keep their parity from a boundary). A cut never
 * splits a surrogate pair. A piece that holds a single cluster is doubled until it holds two.
 */
export function charCount(text: string): number {
  // Printable ASCII, tabs, line feeds and precomposed Hangul syllables are a cluster each (no
  // CR, which pairs with LF, and no jamo, which join syllables): most answers, counted at once.
  if (ONE_UNIT_CLUSTERS.test(text)) return text.length;
  let counted = 0;
  let pos = 0;
  let size = PIECE;
  for (;;) {
    let end = Math.min(text.length, pos + size);
    const before = text.charCodeAt(end - 1);
    if (end < text.length && before >= 0xd800 && before <= 0xdbff) end--;
    let n = 0;
    let last = 0;
    for (const s of segmenter.segment(text.slice(pos, end))) {
      n++;
      last = s.index;
    }
    if (end === text.length) return counted + n;
    if (n > 1) {
      counted += n - 1;
      pos += last;
      size = PIECE;
    } else size *= 2;
  }
}

/** UTF-8 bytes one character (grapheme) may take on average before a text is refused
 * without counting: Hangul takes 3, an emoji with a skin tone 8. It also bounds the code units any
 * later per-character work (the flow's parsers) sees. */
export const MAX_BYTES_PER_CHAR = 8;

/**
 * Whether a text may be longer than `max` characters, decided from its size alone and before any
 * per-character work: more than MAX_BYTES_PER_CHAR bytes per allowed character.
 */
export const overByteBound = (text: string, max: number): boolean =>
  Buffer.byteLength(text, 'utf8') > max * MAX_BYTES_PER_CHAR;

export const LIMITS = {
  address: { min: 2, max: 200 },
  situation: { min: 5, max: 1000 },
  name: { max: 30 },
} as const;

export const fitsLimit = (text: string, limit: { min?: number; max: number }): boolean => {
  const n = charCount(text);
  return n >= (limit.min ?? 0) && n <= limit.max;
};
