import type { Partner, PartnerKind } from './partner';

/** The partner institutions; src/store/partner implements it. */
export interface PartnerRepository {
  /** Creates the partner unless one of the same name (partnerNameKey) exists: then 'taken'. */
  createUnique(input: { name: string; kind: PartnerKind; now: Date }): Promise<Partner | 'taken'>;
  create(input: { name: string; kind: PartnerKind; now: Date }): Promise<Partner>;
  list(): Promise<Partner[]>;
  byId(id: string): Promise<Partner | undefined>;
  byInviteCode(code: string): Promise<Partner | undefined>;
  setNewsPushes(id: string, on: boolean): Promise<Partner | undefined>;
  newInviteCode(id: string): Promise<Partner | undefined>;
  rename(id: string, name: string, now: Date): Promise<Partner | 'taken' | undefined>;
  setContact(id: string, contact: { name: string | null; phone: string | null }): Promise<Partner | undefined>;
  revoke(id: string, now: Date): Promise<Partner | undefined>;
}
