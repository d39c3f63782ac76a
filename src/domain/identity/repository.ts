import type { ChatIdentity } from './chat-identity';

/** Chat accounts linked to partners (read on every chat turn); src/store/identity implements it. */
export interface ChatIdentityRepository {
  find(channel: string, channelUserId: string): Promise<ChatIdentity | undefined>;
  /** How many chat accounts each partner has linked, by partner id. */
  countByPartner(): Promise<Map<string, number>>;
  /** Links (or re-links) the account; answers the identity as linked (a re-linked reporter keeps their contact). */
  link(channel: string, channelUserId: string, partnerId: string, now: Date): Promise<ChatIdentity>;
  setContact(channel: string, channelUserId: string, contact: { name: string; phone: string }): Promise<void>;
  countForPartners(partnerIds: string[]): Promise<number>;
  removeForPartners(partnerIds: string[]): Promise<number>;
}
