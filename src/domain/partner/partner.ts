import { randomInt } from 'node:crypto';

/** What kind of institution a partner is (the console's and the counts' grouping). */
export const PARTNER_KINDS = ['police', 'post', 'utility', 'delivery', 'health', 'volunteer', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** A partner institution whose field workers report by chat, linked by its invite code. */
export interface Partner {
  id: string;
  name: string;
  kind: PartnerKind;
  inviteCode: string;
  active: boolean;
  createdAt: Date;
  revokedAt?: Date;
  /**
   * Whether its workers get news of their reports pushed to their chat (issue 26). Some agencies
   * forbid work messages on private phones: their admin turns this off, and the news waits for
   * the worker's next message instead. Absent means on.
   */
  newsPushes: boolean;
  /** The institution's contact person and phone, for the call center (issue 25); blank when not given. */
  contactName: string | null;
  contactPhone: string | null;
}

/** A partner's name, normalized: two partners whose names match so are the same institution. */
export const partnerNameKey = (name: string) =>
  name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\p{P}]/gu, '');

// no 0/O/1/I/L: codes are read aloud over the phone and typed on small screens
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const newInviteCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
export const formatInviteCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
