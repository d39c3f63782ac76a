import type { DeliveryTargetsPatch, DongCenter } from './dong-center';

/** The district's dong community centers and their delivery targets; src/store/dong-center implements it. */
export interface DongCenterRepository {
  /** Adds the centers not yet known (names from the district); returns how many were added. */
  seed(district: string, dongs: { code: string; name: string }[], now: Date): Promise<number>;
  list(district: string): Promise<DongCenter[]>;
  byCode(district: string, code: string): Promise<DongCenter | undefined>;
  setTargets(district: string, code: string, patch: DeliveryTargetsPatch, now: Date): Promise<DongCenter | undefined>;
}
