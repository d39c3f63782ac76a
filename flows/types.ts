/** The channels Sagak talks on; adapters translate each platform to and from the types below. */
export type Channel = 'kakao' | 'slack' | 'telegram' | 'web';

/** One message from a user, whatever the platform. */
export interface Incoming {
  channel: Channel;
  /** The platform's stable id for the user (Kakao botUserKey, Slack user id, Telegram user id, web session). */
  userId: string;
  text: string;
  /** The value of a pressed quick reply or button, when the platform tells it apart from typed text. */
  choice?: string;
  location?: { lat: number; lng: number };
  imageUrl?: string;
  /** The platform's own "start" event (Telegram /start, a web chat's welcome). */
  isStart?: boolean;
  /** The client came back (a web page reload): answer with where the conversation is, change nothing. */
  resume?: boolean;
}

export interface Choice {
  label: string;
  value: string;
}

/** What the bot answers: texts in order, and the choices to show as quick replies or buttons. */
export interface Reply {
  texts: string[];
  choices: Choice[];
}

export const reply = (texts: string | string[], choices: Choice[] = []): Reply => ({
  texts: Array.isArray(texts) ? texts : [texts],
  choices,
});

/** Choices whose label is also what they send, the common case. */
export const choicesOf = (...labels: string[]): Choice[] => labels.map((label) => ({ label, value: label }));
