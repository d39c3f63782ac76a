/**
 * The ports through which an address is placed in a district and a dong. The domain (the dong
 * resolver, the list import) takes these functions; src/geo/ implements them over Kakao Local and
 * the government road-name address search.
 */

export interface GeocodedAddress {
  sidoName: string;
  districtName: string;
  /** 10-digit administrative dong code, empty when Kakao did not give one. */
  hCode: string;
}

/** An address → where it is; undefined when unknown or the lookup failed. */
export type AddressGeocoder = (query: string) => Promise<GeocodedAddress | undefined>;

export interface RoadAddressMatch {
  sidoName: string;
  districtName: string;
  /** The legal dongs of the matching addresses in that district (one when the address is exact). */
  legalDongCodes: string[];
}

/** An address → the legal dongs of the matching road-name addresses; undefined when none or failed. */
export type RoadAddressSearch = (query: string) => Promise<RoadAddressMatch | undefined>;
