import type { ConsoleUser } from '../domain/auth/console-user';

/**
 * People by their names (issue 25): history, worklists and access records name the person
 * (김상담) rather than the login ID (uxstaff). The console-user collection is small (a district's
 * staff), so a page reads it whole and looks names up here.
 */
export type StaffNames = ReadonlyMap<string, string>;

/** username → the name the admin entered (accounts without one are left out: they show their ID). */
export function staffNames(users: readonly Pick<ConsoleUser, 'username' | 'name'>[]): StaffNames {
  return new Map(users.filter((u) => u.name).map((u) => [u.username, u.name!]));
}

/** A counsellor's username as colleagues read it: the name, or the login ID when none is kept. */
export const nameOf = (names: StaffNames, username: string): string => names.get(username) ?? username;

/** The scheduled jobs that write history or access records, in words. */
const JOB_LABELS: Record<string, string> = {
  retention: '보존기간 자동 처리',
  backup: '자동 백업',
  'weekly-delivery': '주간 명단 자동 발송',
  import: '명단 가져오기',
};

/**
 * Who did something, as a person reads it: `user:kim` → 김상담, a partner's reporter → 신고 기관,
 * `cli:root` → 서버 관리 명령, `job:backup` → 자동 백업.
 */
export function actorName(names: StaffNames, actor: string): string {
  if (actor === 'partner' || actor.startsWith('partner:')) return '신고 기관';
  if (actor.startsWith('cli:')) return '서버 관리 명령';
  if (actor.startsWith('job:')) return JOB_LABELS[actor.slice(4)] ?? '자동 작업';
  if (actor === 'system') return '시스템';
  if (actor === 'anonymous') return '로그인 전';
  return nameOf(names, actor.replace(/^user:/, ''));
}

/**
 * The same with the login ID beside the name, where the account itself matters (access records,
 * the monthly review): 김상담 (uxstaff). A server command keeps its operating-system account.
 */
export function actorWithId(names: StaffNames, actor: string): string {
  if (actor.startsWith('user:')) {
    const id = actor.slice(5);
    const name = names.get(id);
    return name ? `${name} (${id})` : id;
  }
  if (actor.startsWith('cli:')) return `서버 관리 명령 (${actor.slice(4)} 계정)`;
  return actorName(names, actor);
}
