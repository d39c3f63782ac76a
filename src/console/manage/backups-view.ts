import { basename } from 'node:path';
import type { BackupRun } from '../../domain/backup/backup-run';
import { html } from '../../http/html';
import { seoulDateTime } from '../views/format';
import { frame, type AdminPage } from './views';

const size = (bytes: number | null) =>
  bytes === null
    ? ''
    : bytes >= 1_048_576
      ? `${(bytes / 1_048_576).toFixed(1)} MB`
      : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** The scheduled backups' page: where they go, how many are kept, and each day's result. */
export function backupsPage(
  p: AdminPage,
  runs: BackupRun[],
  setup: { dir?: string; keep: number; cron: string },
  interrupted: (r: BackupRun) => boolean,
): string {
  const result = (r: BackupRun) =>
    r.result === 'ok' ? '성공' : r.result === 'failed' ? '실패' : interrupted(r) ? '중단됨' : '진행 중';
  const row = (r: BackupRun) => html`<tr${r.result === 'ok' ? '' : html` class="problem"`}>
  <th scope="row">${r.day}</th>
  <td data-label="결과">${result(r)}${r.error ? html`<br><span class="muted">${r.error}</span>` : ''}</td>
  <td data-label="시작">${seoulDateTime(r.startedAt)}</td>
  <td data-label="소요">${r.finishedAt ? `${Math.max(1, Math.round((r.finishedAt.getTime() - r.startedAt.getTime()) / 1000))}초` : ''}</td>
  <td data-label="크기">${size(r.bytes)}</td>
  <td data-label="신고">${r.reports ?? ''}</td>
  <td data-label="파일"><code>${r.file ? basename(r.file) : ''}</code></td>
</tr>`;
  return frame(
    p,
    'backups',
    html`${
      setup.dir
        ? html`<p>매일 자동 백업을 <code>${setup.dir}</code>에 만들고 최근 ${setup.keep}개를 보관합니다 (일정: <code>${setup.cron}</code>, 서울 시각).</p>`
        : html`<p class="alert" role="alert">자동 백업이 꺼져 있습니다. 서버 설정에 BACKUP_DIR을 지정해 주세요.</p>`
    }
<p class="muted">복원은 서버에서 <code>npm run admin -- restore --from &lt;파일&gt;</code>으로 합니다 (docs/backup.md).</p>
${
  runs.length
    ? html`<table class="list"><thead><tr><th scope="col">날짜</th><th scope="col">결과</th><th scope="col">시작</th><th scope="col">소요</th><th scope="col">크기</th><th scope="col">신고</th><th scope="col">파일</th></tr></thead>
<tbody>${runs.map(row)}</tbody></table>`
    : html`<p>아직 자동 백업 기록이 없습니다.</p>`
}`,
  );
}
