/** Why a backup file was refused: a stable code for callers and logs, and the Korean words for the operator. */
export type BackupFileProblem = 'missing' | 'not_a_backup' | 'newer_format' | 'damaged' | 'truncated' | 'checksum';

const KO: Record<BackupFileProblem, string> = {
  missing: '백업 파일이 없습니다',
  not_a_backup: '사각 백업 파일이 아닙니다',
  newer_format: '이 버전보다 새 버전이 만든 백업입니다. 사각을 먼저 업데이트해 주세요',
  damaged: '백업 파일이 손상되었습니다',
  truncated: '백업 파일이 중간에 잘렸습니다 (끝까지 기록되지 않았거나 복사가 덜 되었습니다)',
  checksum: '백업 파일이 손상되었습니다 (체크섬 불일치)',
};

/** The file cannot be restored; nothing was written. */
export class BackupFileError extends Error {
  constructor(
    readonly code: BackupFileProblem,
    readonly detail: string,
  ) {
    super(`${KO[code]}: 복원하지 않았습니다. (${code}: ${detail})`);
    this.name = 'BackupFileError';
  }
}

/** The target database holds data and the operator did not pass --force; nothing was written. */
export class TargetNotEmptyError extends Error {
  constructor(readonly collections: Record<string, number>) {
    super(
      `복원할 데이터베이스가 비어 있지 않습니다: ${Object.entries(collections)
        .map(([name, n]) => `${name} ${n}건`)
        .join(', ')}. 덮어쓰려면 --force를 붙이세요 (기존 데이터는 지워집니다). 복원하지 않았습니다.`,
    );
    this.name = 'TargetNotEmptyError';
  }
}
