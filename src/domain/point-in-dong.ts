import type { District, Dong } from './district';

/** Ray casting over one ring of [lng, lat] points. */
function inRing(lng: number, lat: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The dong whose (simplified) boundary holds a shared location. Good enough to route a report;
 * near a border the reporter still confirms the dong.
 */
export function dongAtPoint(district: District, lat: number, lng: number): Dong | undefined {
  return district.dongs.find((dong) =>
    (dong.boundary ?? []).some(
      ([outer, ...holes]) => outer !== undefined && inRing(lng, lat, outer) && !holes.some((h) => inRing(lng, lat, h)),
    ),
  );
}
