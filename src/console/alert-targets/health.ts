import type { Config } from '../../config';
import type { District } from '../../domain/district';
import { configuredKinds } from '../../delivery/senders';
import { ALERT_WEEK, targetsOf } from '../../delivery/weekly-delivery';
import type { Repositories } from '../../ports';
import { CALL_CENTER } from '../../domain/alert-target/alert-targets';
import type { StaffTargetKind } from '../../domain/weekly/weekly-delivery';

/** One place an owner's alerts go, and whether it can work now. */
export interface TargetState {
  kind: StaffTargetKind;
  address: string;
  /** The channel's credentials are in the environment (SLACK_BOT_TOKEN, TELEGRAM_BOT_TOKEN, SMTP_HOST+SMTP_FROM). */
  configured: boolean;
  /** The latest alert to this target failed (and is not sent since): the error as stored. */
  lastError: string | null;
}

/** An owner (the call center, or a dong center) and its targets; `working` when at least one can deliver. */
export interface OwnerTargets {
  owner: string;
  name: string;
  targets: TargetState[];
  working: boolean;
}

export type HealthDeps = {
  config: Config;
  district: District;
  repos: Pick<Repositories, 'alertTargets' | 'dongCenters' | 'weeklyDeliveries'>;
  now: () => Date;
};

export { configuredKinds };

/** The same targets, in the same address form, as the alert sweep uses (targetsOf). */
const listOf = (t: Parameters<typeof targetsOf>[0]): { kind: StaffTargetKind; address: string }[] =>
  targetsOf(t).map((x) => ({ kind: x.target, address: x.address }));

/** Failed alert deliveries looked at: those of the last two days. */
const WINDOW_MS = 2 * 86_400_000;

/**
 * Where the call center's urgent alerts and each dong center's visit requests can go now: a
 * target counts when it is set, its channel is configured, and its latest alert did not fail.
 */
export async function targetHealth(deps: HealthDeps): Promise<{ callCenter: OwnerTargets; dongs: OwnerTargets[] }> {
  const kinds = configuredKinds(deps.config);
  const [callCenter, centers, recent] = await Promise.all([
    deps.repos.alertTargets.of(deps.district.id, CALL_CENTER),
    deps.repos.dongCenters.list(deps.district.id),
    deps.repos.weeklyDeliveries.recentOfWeek(deps.district.id, ALERT_WEEK, new Date(deps.now().getTime() - WINDOW_MS)),
  ]);
  // newest first: the first record per owner and target is its latest
  const latest = new Map<string, { status: string; lastError: string | null; address: string }>();
  for (const d of recent) if (!latest.has(`${d.dongCode}:${d.target}`)) latest.set(`${d.dongCode}:${d.target}`, d);
  const state = (owner: string, name: string, list: { kind: StaffTargetKind; address: string }[]): OwnerTargets => {
    const targets = list.map((t) => {
      const last = latest.get(`${owner}:${t.kind}`);
      const failed = last && last.status === 'failed' && last.address === t.address;
      return { ...t, configured: kinds[t.kind], lastError: failed ? (last.lastError ?? '전송 실패') : null };
    });
    return { owner, name, targets, working: targets.some((t) => t.configured && !t.lastError) };
  };
  const byCode = new Map(centers.map((c) => [c.code, c]));
  return {
    callCenter: state(CALL_CENTER, '콜센터', listOf(callCenter)),
    dongs: deps.district.dongs.map((d) => {
      const c = byCode.get(d.code);
      return state(d.code, d.name, c ? listOf(c) : []);
    }),
  };
}
