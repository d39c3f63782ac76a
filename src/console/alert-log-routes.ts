import type { Router } from 'express';
import { z } from 'zod';
import { redactSecrets } from '../delivery/redact';
import { ALERT_WEEK, REPORTER_WEEK } from '../delivery/weekly-delivery';
import { CALL_CENTER } from '../domain/alert-target/alert-targets';
import type { WeeklyDelivery } from '../domain/weekly/weekly-delivery';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { html } from '../http/html';
import { seoulDateTime } from './views/format';
import { layout } from './views/layout';
import { sendForbidden } from './forbidden';

const KIND_LABELS: Record<string, string> = {
  immediate: '즉시 위험 접수',
  visit_request: '방문 요청',
  visit_result: '방문 결과',
  news: '신고자 소식',
};
const TARGET_LABELS: Record<string, string> = {
  slack: 'Slack',
  telegram: 'Telegram',
  email: '이메일',
  kakao: '카카오톡 (Event API)',
};
const STATUS_LABELS: Record<WeeklyDelivery['status'], string> = { sent: '보냄', failed: '실패', pending: '보내는 중' };
const HOURS = [24, 72, 168, 720] as const;
const query = z.object({
  hours: z.coerce
    .number()
    .int()
    .refine((h) => (HOURS as readonly number[]).includes(h))
    .catch(24),
  failed: z.literal('1').optional().catch(undefined),
});

/**
 * The alert delivery log (알림 발송 기록) for the call center: every alert to every target, sent,
 * failed or being retried — what `npm run admin -- alerts log` prints. Receipt numbers only, no
 * names; admin and staff (a dong center sees its alerts in its own channel).
 */
export function mountAlertLogRoutes(router: Router, deps: ConsoleDeps<'weeklyDeliveries'>): void {
  router.get('/console/alerts', async (req, res) => {
    const { auth } = req as AuthedRequest;
    if (auth.user.role === 'dong') {
      return sendForbidden(req, res, '콜센터만 볼 수 있는 화면입니다.', {
        href: '/console/today',
        label: '오늘 할 일로',
      });
    }
    const q = query.parse(req.query);
    const since = new Date(deps.now().getTime() - q.hours * 3_600_000);
    // staff alerts and the pushes of reporters' news (src/delivery/reporter-news.ts), newest first
    const all = [
      ...(await deps.repos.weeklyDeliveries.recentOfWeek(deps.district.id, ALERT_WEEK, since)),
      ...(await deps.repos.weeklyDeliveries.recentOfWeek(deps.district.id, REPORTER_WEEK, since)),
    ].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const rows = q.failed ? all.filter((d) => d.status !== 'sent') : all;
    const failed = all.filter((d) => d.status === 'failed').length;
    const who = (owner: string) =>
      owner === CALL_CENTER
        ? '콜센터'
        : owner === 'reporter'
          ? '신고자 (신고한 채팅)'
          : owner === 'oncall'
            ? '당직·긴급 재알림'
            : (deps.district.dongByCode(owner)?.name ?? owner);
    const body = html`<h1>알림 발송 기록</h1>
<p class="muted">즉시 위험 접수는 콜센터로, 방문 요청은 관할 동으로, 방문 결과는 콜센터로 갑니다. 신고자 소식(상담·배정·방문·사후관리·종결)은 신고한 채팅으로 갑니다. 실패한 발송은 1분, 5분 … 뒤에 다시 보내고, 다시 보내도 소용없는 실패(탈퇴한 사용자, 봇 차단)는 바로 끝냅니다.</p>
<form method="get" action="/console/alerts" class="filters">
  <label>기간 <select name="hours">${HOURS.map((h) => html`<option value="${h}"${h === q.hours ? ' selected' : ''}>${h < 48 ? `최근 ${h}시간` : `최근 ${h / 24}일`}</option>`)}</select></label>
  <label><input type="checkbox" name="failed" value="1"${q.failed ? ' checked' : ''}> 보내지 못한 것만</label>
  <button type="submit" class="secondary">보기</button>
</form>
<p role="status">${all.length}건 중 보냄 ${all.filter((d) => d.status === 'sent').length}건 · 실패 ${failed}건${failed ? html` <strong class="late">(확인 필요)</strong>` : ''}</p>
${
  rows.length === 0
    ? html`<p class="card">${q.failed ? '보내지 못한 알림이 없습니다.' : '이 기간에 보낸 알림이 없습니다.'}</p>`
    : html`<table class="queue alert-log"><thead><tr><th>시각</th><th>종류</th><th>접수번호</th><th>받는 곳</th><th>경로</th><th>상태</th><th>시도</th><th>비고</th></tr></thead><tbody>
${rows.map((d) => {
  // a reporter's news run names no receipt (it may carry several); its case pages show what was told
  const [kind = '', receiptNo = ''] = d.week === REPORTER_WEEK ? ['news', ''] : d.run.split(':');
  return html`<tr class="${d.status === 'failed' ? 'failed' : ''}"><td data-label="시각">${seoulDateTime(d.createdAt)}</td><td data-label="종류">${KIND_LABELS[kind] ?? kind}</td>
<td data-label="접수번호">${/^\d{4}-\d{6}$/.test(receiptNo) ? html`<a href="/console/reports/${receiptNo}">${receiptNo}</a>` : receiptNo}</td>
<td data-label="받는 곳">${who(d.dongCode)}</td><td data-label="경로">${TARGET_LABELS[d.target] ?? d.target}</td>
<td data-label="상태">${d.status === 'failed' ? html`<strong class="late">${STATUS_LABELS[d.status]}</strong>` : STATUS_LABELS[d.status]}</td><td data-label="시도">${d.attempts}회</td>
<td data-label="비고"><span class="note">${d.sentAt ? `${seoulDateTime(d.sentAt)} 보냄` : ''}${d.nextAttemptAt ? `${seoulDateTime(d.nextAttemptAt)}에 다시 보냄` : ''}${d.lastError ? html`<small class="err">${redactSecrets(d.lastError)}</small>` : ''}</span></td></tr>`;
})}</tbody></table>`
}`;
    return res.type('html').send(layout({ title: '알림 발송 기록', user: auth.user, csrf: auth.csrfToken, body }));
  });
}
