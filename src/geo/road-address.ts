import { z } from 'zod';
import type { RoadAddressSearch } from '../domain/geocoding';

/**
 * The government road-name address search (도로명주소 검색 API, 행정안전부, business.juso.go.kr):
 * a second way to place an address when Kakao Local is not configured or fails. It answers with
 * the 10-digit legal-dong code (admCd), which the district data maps to administrative dongs.
 */
const jusoAnswer = z.object({
  results: z.object({
    common: z.object({ errorCode: z.string(), errorMessage: z.string().optional(), totalCount: z.coerce.number() }),
    juso: z
      .array(
        z.object({
          roadAddr: z.string(),
          jibunAddr: z.string().optional(),
          admCd: z.string().regex(/^\d{10}$/),
          siNm: z.string(),
          sggNm: z.string(),
          emdNm: z.string().optional(),
          rn: z.string().optional(),
          bdNm: z.string().optional(),
        }),
      )
      .nullish(),
  }),
});

/** Characters the API refuses in a keyword (its guide lists them with SQL words it also refuses). */
const REFUSED = /[%=><[\]"'`;\\{}$]/g;

/**
 * Searches at most 10 addresses and keeps those in the first match's district. Failures (no key,
 * an error code, a timeout) return undefined: the reporter can still choose a dong.
 */
export function jusoRoadAddressSearch(opts: { apiKey: string; url: string; timeoutMs?: number }): RoadAddressSearch {
  return async (query) => {
    const keyword = query.replace(REFUSED, ' ').replace(/\s+/g, ' ').trim();
    if (keyword.length < 2) return undefined;
    const url = new URL(opts.url);
    url.searchParams.set('confmKey', opts.apiKey);
    url.searchParams.set('currentPage', '1');
    url.searchParams.set('countPerPage', '10');
    url.searchParams.set('keyword', keyword);
    url.searchParams.set('resultType', 'json');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 1_500) });
      if (!res.ok) return undefined;
      const parsed = jusoAnswer.safeParse(await res.json());
      if (!parsed.success || parsed.data.results.common.errorCode !== '0') return undefined;
      const found = parsed.data.results.juso ?? [];
      const first = found[0];
      if (!first) return undefined;
      const same = found.filter((j) => j.siNm === first.siNm && j.sggNm === first.sggNm);
      return {
        sidoName: first.siNm,
        districtName: first.sggNm,
        legalDongCodes: [...new Set(same.map((j) => j.admCd))],
      };
    } catch {
      return undefined;
    }
  };
}
