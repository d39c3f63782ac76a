import { z } from 'zod';
import type { AddressGeocoder } from '../domain/geocoding';

/** The part of Kakao Local's address search answer that places an address in an administrative dong. */
const addressSearchAnswer = z.object({
  documents: z.array(
    z.object({
      address: z
        .object({
          region_1depth_name: z.string(),
          region_2depth_name: z.string(),
          h_code: z.string().optional().default(''),
        })
        .nullable()
        .optional(),
      road_address: z.object({ region_1depth_name: z.string(), region_2depth_name: z.string() }).nullable().optional(),
    }),
  ),
});

/**
 * Kakao Local "address search" (https://developers.kakao.com/docs/latest/ko/local/dev-guide).
 * Failures return undefined: geocoding is a convenience, and the reporter can still choose a dong.
 */
export function kakaoLocalGeocoder(opts: { apiKey: string; baseUrl: string; timeoutMs?: number }): AddressGeocoder {
  return async (query) => {
    const url = new URL('/v2/local/search/address.json', opts.baseUrl);
    url.searchParams.set('query', query);
    url.searchParams.set('size', '1');
    try {
      const res = await fetch(url, {
        headers: { Authorization: `KakaoAK ${opts.apiKey}` },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 1_500),
      });
      if (!res.ok) return undefined;
      const parsed = addressSearchAnswer.safeParse(await res.json());
      const doc = parsed.success ? parsed.data.documents[0] : undefined;
      const region = doc?.address ?? doc?.road_address;
      if (!doc || !region) return undefined;
      return {
        sidoName: region.region_1depth_name,
        districtName: region.region_2depth_name,
        hCode: doc.address?.h_code ?? '',
      };
    } catch {
      return undefined;
    }
  };
}
