import type { Config } from '../../src/config';
import { seoulDate } from '../../src/domain/time';
import { retentionPass } from '../../src/jobs/retention';
import type { Repositories } from '../../src/ports';

/**
 * The daily retention pass reads every stored report; a district that has been running did
 * today's at night (RETENTION_CRON). Run here, timed, as that night's pass (claimed as the job
 * does), so an instance started afterwards starts as a restarted service does, not a new one.
 * Returns its seconds.
 */
export async function runLastNightsRetention(config: Config, repos: Repositories): Promise<number> {
  const r0 = performance.now();
  await repos.jobRuns.claim('retention', seoulDate(new Date()), 'bench', new Date());
  await retentionPass(config, repos, {
    now: new Date(),
    apply: true,
    actor: 'job:retention',
    role: 'system',
    channel: 'job',
  });
  return (performance.now() - r0) / 1000;
}
