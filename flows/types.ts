import type { Channel } from '../src/domain/channel';

/** The channels Sagak talks on (a domain type); adapters translate each platform to and from the types below. */
export type { Channel };

/** One message from a user, whatever the platform. */
export interface Incoming {
  channel: Channel;
  /** The platform's stable id for the user (Kakao botUserKey, Slack user id, Telegram user id, web session). */
  userId: string;
  text: string;
  /** The value of a pressed quick reply or button, when the platform tells it apart from typed text. */
  choice?: string;
  location?: { lat: number; lng: number };
  /** The image reference as the platform sent it (a URL, a file id); the adapter fetches it into `photos`. */
  imageUrl?: string;
  /** Every image of the message when it carries several (Kakao's secure-image plugin, a Slack share). */
  imageUrls?: string[];
  /** The photos the adapter fetched (or could not), in the order sent: never text, never an answer. */
  photos?: PhotoInput[];
  /** The platform's own "start" event (Telegram /start, a web chat's welcome). */
  isStart?: boolean;
  /** The client came back (a web page reload): answer with where the conversation is, change nothing. */
  resume?: boolean;
  /**
   * Set by an adapter that showed choices as a numbered list: questions with at least this many
   * choices were numbered (Kakao numbers lists longer than its 10 quick replies; Telegram sends
   * a long button value as its position, 1). A typed number picks a choice only then; elsewhere
   * "75" is just text. `matchChoice` (flows/decide.ts) is the one place that reads it.
   */
  numberedChoices?: number;
}

export interface Choice {
  label: string;
  value: string;
  /** For toggles (multiple choice): whether it is chosen now. Undefined for plain choices. */
  selected?: boolean;
  /**
   * A call button: pressing it dials this number (digits only, e.g. "112") instead of answering.
   * Adapters show it as the platform's phone button (Kakao `phone`) or a `tel:` link; it is never
   * matched as an answer. Kept among the choices so every reply path carries it unchanged.
   */
  call?: string;
  /** "done": the button that ends a multiple choice (선택 완료); pages may set it apart from the options. */
  role?: 'done';
}

/** What the bot answers: texts in order, and the choices to show as quick replies, buttons or call buttons. */
export interface Reply {
  texts: string[];
  choices: Choice[];
}

/** The choices that answer the question (call buttons set apart). */
export const answerChoices = (choices: Choice[]): Choice[] => choices.filter((c) => c.call === undefined);
/** The call buttons of a reply. */
export const callChoices = (choices: Choice[]): (Choice & { call: string })[] =>
  choices.filter((c): c is Choice & { call: string } => c.call !== undefined);

export const reply = (texts: string | string[], choices: Choice[] = []): Reply => ({
  texts: Array.isArray(texts) ? texts : [texts],
  choices,
});

/** Choices whose label is also what they send, the common case. */
export const choicesOf = (...labels: string[]): Choice[] => labels.map((label) => ({ label, value: label }));

/** Why a photo could not be fetched from the platform (adapters/photo-fetch.ts). */
export type PhotoProblem = 'not_allowed' | 'expired' | 'unreachable' | 'too_large';

/** A photo as it reaches the flow: its bytes as fetched (checked later, by the domain), or why there are none. */
export type PhotoInput = { ok: true; bytes: Buffer } | { ok: false; problem: PhotoProblem };
