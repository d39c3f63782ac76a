import { addressKey } from '../domain/address-key';
import type { District } from '../domain/district';

/**
 * The address key of a household, without the city and district a list writes and a chat
 * report usually leaves out ("서울특별시 서대문구 홍제동 1" meets "홍제동 1").
 */
export function householdKey(address: string, district: District): string {
  const city = district.sidoName.replace(/특별시|광역시|특별자치시|특별자치도|도$/, '');
  const prefix = new RegExp(`^\\s*(${district.sidoName}|${city}시|${city})?\\s*(${district.name})?\\s*`);
  return addressKey(address.normalize('NFC').replace(prefix, ''));
}

export interface Household {
  key: string;
  name: string | null;
  phone: string | null;
}

const bareName = (n: string | null) => (n ? n.replace(/\s+/g, '') : null);
const bareDigits = (p: string | null) => (p ? p.replace(/\D/g, '') : null);

/**
 * The duplicate rule: the same normalised address, and — where both sides give them — the same
 * name or the same phone. When neither a name nor a phone can be compared, the address decides.
 */
export function sameHousehold(a: Household, b: Household): boolean {
  if (!a.key || a.key !== b.key) return false;
  const names = a.name && b.name ? bareName(a.name) === bareName(b.name) : null;
  const phones = a.phone && b.phone ? bareDigits(a.phone) === bareDigits(b.phone) : null;
  if (names === null && phones === null) return true;
  return names === true || phones === true;
}

/** Households by address key, for matching thousands of rows without a query per row. */
export class HouseholdIndex<T> {
  private readonly byKey = new Map<string, { household: Household; value: T }[]>();
  add(household: Household, value: T): void {
    const list = this.byKey.get(household.key) ?? [];
    list.push({ household, value });
    this.byKey.set(household.key, list);
  }
  find(household: Household, accept: (value: T) => boolean = () => true): T | undefined {
    return this.byKey.get(household.key)?.find((e) => accept(e.value) && sameHousehold(e.household, household))?.value;
  }
}
