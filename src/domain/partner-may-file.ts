/**
 * Whether reports may be filed for a partner: the one place this is decided (the chat flow asks it
 * before the first question, the filing asks it again at the insert). Codes, not words: each
 * caller says them in its own voice (the chat: flows/report/messages.ts `mayNotFile`).
 */
export type MayFile = 'ok' | 'unknown' | 'inactive';
export type MayNotFile = Exclude<MayFile, 'ok'>;

export function partnerMayFile(partner: { active: boolean } | undefined): MayFile {
  if (!partner) return 'unknown';
  return partner.active ? 'ok' : 'inactive';
}
