/**
 * A Kakao Map or Naver Map link a person pastes as the address, read for the point it shows
 * (never opened: nothing is fetched). A map page whose link names no point (a place page) is
 * `unread`; short links (kko.to, naver.me) are no map link here, just a link (refused as one).
 *
 *   mapLinkPoint('https://map.kakao.com/link/map/우리집,37.5791,126.9368') // { kind: 'point', lat: 37.5791, lng: 126.9368 }
 */
export type MapLink = { kind: 'point'; lat: number; lng: number } | { kind: 'unread' } | undefined;

const MAP_HOSTS = /(^|\.)(map\.kakao\.com|map\.naver\.com)$/i;

/** Within South Korea (a point elsewhere is a misread link, not an address). */
const inKorea = (lat: number, lng: number) => lat >= 33 && lat <= 39 && lng >= 124 && lng <= 132;

/** Web Mercator metres (Naver's older links) to degrees. */
function fromMercator(x: number, y: number): { lat: number; lng: number } {
  const R = 6_378_137;
  return { lng: (x / R) * (180 / Math.PI), lat: (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * (180 / Math.PI) };
}

const num = (s: string | null | undefined) =>
  s !== null && s !== undefined && /^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : undefined;

/** The point of a map link; undefined when the text is not a map app's link at all. */
export function mapLinkPoint(text: string): MapLink {
  const found = /https?:\/\/\S+/i.exec(text)?.[0];
  if (!found) return undefined;
  let url: URL;
  try {
    url = new URL(found);
  } catch {
    return undefined;
  }
  if (!MAP_HOSTS.test(url.hostname)) return undefined;
  const point = (lat: number | undefined, lng: number | undefined): MapLink =>
    lat !== undefined && lng !== undefined && inKorea(lat, lng) ? { kind: 'point', lat, lng } : undefined;

  // Kakao: /link/map|to|roadview/[name,]lat,lng
  const path = decodeURIComponent(url.pathname);
  const kakao = /^\/link\/(?:map|to|roadview)\/(?:[^/]*,)?(-?\d+\.\d+),(-?\d+\.\d+)\/?$/.exec(path);
  const fromKakao = kakao ? point(num(kakao[1]), num(kakao[2])) : undefined;
  if (fromKakao) return fromKakao;
  // Both: lat= & lng= in the query
  const q = url.searchParams;
  const fromQuery = point(num(q.get('lat')), num(q.get('lng') ?? q.get('lon')));
  if (fromQuery) return fromQuery;
  // Naver: c=lng,lat,zoom,… in degrees (new links) or Web Mercator metres (older ones)
  const c = q.get('c')?.split(',');
  if (c && c.length >= 2) {
    const a = num(c[0]);
    const b = num(c[1]);
    if (a !== undefined && b !== undefined) {
      const fromC = Math.abs(a) > 180 ? point(fromMercator(a, b).lat, fromMercator(a, b).lng) : point(b, a);
      if (fromC) return fromC;
    }
  }
  return { kind: 'unread' };
}
