import type { Config } from './config';
import { districtForApp, loadDistrict, type District } from './domain/district';
import { refreshLists } from './domain/district-lists';
import type { Repositories } from './ports';

/** The configured district with the lists an admin last saved (for the service at start and the CLI). */
export async function districtWithLists(
  config: Config,
  repos: Repositories,
  district: District = districtForApp(loadDistrict(config.DISTRICT)),
): Promise<District> {
  await refreshLists({ lists: repos.districtLists, district });
  return district;
}
