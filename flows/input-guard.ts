import { charCount, overByteBound } from '../src/domain/report/text-limits';
import type { Incoming, Reply } from './types';

export interface InputGuardTexts {
  /** The message was longer than any answer can be. */
  tooLong: (length: number, max: number) => string;
  empty: string;
  onlySymbols: string;
}

/** Texts that are all punctuation or symbols but still mean something (help). */
const MEANINGFUL_SYMBOLS = new Set(['?']);

type Turn = (incoming: Incoming, signal: AbortSignal) => Promise<Reply>;

/**
 * Screens what a person typed before the flow sees it, the same on every channel: an empty
 * message, one longer than any answer, or one of only symbols or emoji gets a polite re-prompt
 * and the current question again (the turn runs as a "resume", so nothing changes). The size is
 * bounded by bytes before anything looks at characters, and counting characters is linear, so no
 * message can hold the event loop. Platforms' body limits still refuse real abuse; this is for
 * people, inside a normal answer.
 */
export function guardInput(turn: Turn, texts: InputGuardTexts, maxLength: number): Turn {
  return async (incoming, signal) => {
    if (incoming.resume) return turn(incoming, signal);
    let note: string | undefined;
    // Size first, from bytes alone, whatever else the message carries: a 64 kB text never
    // reaches per-character work (a pressed button's label or an image's caption included).
    if (overByteBound(incoming.text, maxLength)) note = texts.tooLong(codePoints(incoming.text), maxLength);
    else if (
      incoming.choice !== undefined ||
      incoming.location ||
      incoming.imageUrl ||
      incoming.photos ||
      incoming.isStart
    )
      return turn(incoming, signal);
    else {
      const text = incoming.text.normalize('NFC').trim();
      const length = charCount(text); // characters as people count them (one emoji is one), as the store does
      if (length > maxLength) note = texts.tooLong(length, maxLength);
      else if (length === 0) note = texts.empty;
      else if (!/[\p{L}\p{N}]/u.test(text) && !MEANINGFUL_SYMBOLS.has(text)) note = texts.onlySymbols;
    }
    if (!note) return turn(incoming, signal);
    const current = await turn({ ...incoming, text: '', choice: undefined, resume: true }, signal);
    return { ...current, texts: [note, ...current.texts] };
  };
}

/** Code points, for telling the person roughly how long a refused text was (one pass, no allocation). */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
