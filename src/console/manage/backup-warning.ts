import type { backupState } from '../../store/backup/backup-state';

const DAY_MS = 86_400_000;

/** The admin pages' warning about backups, or undefined when they are fine (or off). */
export function backupWarning(state: ReturnType<typeof backupState>, enabled: boolean, now: Date): string | undefined {
  if (!enabled) return undefined;
  const latest = state.latest;
  if (latest && state.latestFailed)
    return `자동 백업이 실패했습니다 (${latest.day}${latest.error ? `: ${latest.error.slice(0, 120)}` : ', 중단됨'}). 백업 화면과 서버 로그를 확인해 주세요.`;
  const last = state.lastSuccess?.finishedAt;
  if (latest && (!last || now.getTime() - last.getTime() > 2 * DAY_MS))
    return '최근 2일 동안 성공한 자동 백업이 없습니다. 백업 화면과 서버 로그를 확인해 주세요.';
  return undefined;
}
