import type { Request, Router } from 'express';
import { z } from 'zod';
import { acknowledgeUrgent, previousAck, verifyAckToken, type AckResult } from '../delivery/urgent-route';
import { recordAccess } from './access-log';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { html, type SafeHtml } from '../http/html';
import { seoulDateTime } from './views/format';
import { layout } from './views/layout';

const receiptParam = z.string().regex(/^[A-Za-z0-9-]{1,40}$/);

/** The words for an acknowledgement's result, shown on the page that asked. */
export function ackNotice(result: AckResult): string {
  if (result.ok) return `긴급 알림을 확인했습니다 (${seoulDateTime(result.at)}). 더 이상 재알림하지 않습니다.`;
  if (result.code === 'already')
    return `이미 확인된 알림입니다 (${seoulDateTime(result.at)}, ${result.by.replace(/^user:/, '')}).`;
  return '확인을 기다리는 긴급 알림이 없습니다.';
}

/**
 * 확인 from the console (staff and admins): POST /console/urgent/:receiptNo/ack, then back to the
 * page it came from (the today page or the case page) with the result.
 */
export function mountUrgentAckRoutes(router: Router, deps: ConsoleDeps<'onCall' | 'reports' | 'accessRecords'>): void {
  router.post('/console/urgent/:receiptNo/ack', async (req: Request<{ receiptNo: string }>, res) => {
    const { auth } = req as unknown as AuthedRequest;
    const no = receiptParam.safeParse(req.params.receiptNo);
    if (!no.success || auth.user.role === 'dong')
      return res
        .status(404)
        .type('html')
        .send(
          layout({
            title: '찾을 수 없음',
            user: auth.user,
            csrf: auth.csrfToken,
            body: html`<h1>찾을 수 없습니다</h1>`,
          }),
        );
    const result = await acknowledgeUrgent(deps, no.data, `user:${auth.user.username}`);
    if (result.ok)
      await recordAccess(deps, req as unknown as Request, {
        action: 'change',
        receiptNos: [no.data],
        detail: 'acknowledge_urgent',
      });
    const code = result.ok ? 'ok' : result.code;
    const back =
      (req.body as Record<string, unknown> | undefined)?._from === 'today'
        ? '/console/today'
        : `/console/reports/${no.data}`;
    return res.redirect(303, `${back}?ack=${code}&no=${encodeURIComponent(no.data)}`);
  });
}

/**
 * The alert's own 확인 link (/console/urgent-ack/<token>), for the on-call person at night who may
 * have no console account at hand: no sign-in, and it can do one thing only. GET shows a button
 * (a link previewer or mail scanner opening it acknowledges nothing); POST acknowledges. The page
 * shows the receipt number and times only, never the household.
 */
export function mountUrgentAckLinkRoutes(router: Router, deps: ConsoleDeps<'onCall' | 'reports'>): void {
  const page = (body: SafeHtml) => layout({ title: '긴급 알림 확인', body });
  const token = (req: Request<{ token: string }>) =>
    deps.config.URGENT_ACK_SECRET
      ? verifyAckToken(deps.config.URGENT_ACK_SECRET, deps.district.id, req.params.token)
      : undefined;
  const invalid = html`<h1>긴급 알림 확인</h1><p class="alert" role="alert">확인 링크가 올바르지 않습니다. 알림의 링크를 그대로 열거나 콘솔에서 확인해 주세요.</p>`;

  router.get('/console/urgent-ack/:token', async (req: Request<{ token: string }>, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    const t = token(req);
    if (!t) return res.status(404).type('html').send(page(invalid));
    const wait = await deps.repos.onCall.pendingOf(deps.district.id, t.receiptNo);
    const body = wait
      ? html`<h1>긴급 알림 확인</h1><p>즉시 위험 신고 <strong>${t.receiptNo}</strong> (${seoulDateTime(wait.openedAt)} 접수)의 ${wait.route === 'call_center' ? '긴급' : '당직'} 알림입니다.</p>
<p>확인을 누르면 다음 담당자에게 재알림하지 않습니다. 조치는 콘솔에서 기록해 주세요.</p>
<form method="post" action="/console/urgent-ack/${req.params.token}"><button type="submit">확인</button></form>`
      : html`<h1>긴급 알림 확인</h1><p>${ackNotice(await previousAck(deps, t.receiptNo))}</p>`;
    return res.type('html').send(page(body));
  });

  router.post('/console/urgent-ack/:token', async (req: Request<{ token: string }>, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    const t = token(req);
    if (!t) return res.status(404).type('html').send(page(invalid));
    const result = await acknowledgeUrgent(deps, t.receiptNo, `알림 링크(${t.step + 1}차 알림)`);
    return res
      .type('html')
      .send(page(html`<h1>긴급 알림 확인</h1><p role="status">${ackNotice(result)}</p><p>접수번호 ${t.receiptNo}</p>`));
  });
}

const ACK_QUERY_KO = {
  ok: '긴급 알림을 확인했습니다. 더 이상 재알림하지 않습니다.',
  already: '이미 다른 사람이 확인한 알림입니다 (처리 이력에 누가 언제 확인했는지 있습니다).',
  none: '확인을 기다리는 긴급 알림이 없습니다.',
} as const;

/** The notice after a 확인 (`?ack=ok|already|none`), or undefined. */
export function ackQueryNotice(query: Record<string, unknown>): string | undefined {
  const code = query.ack;
  return typeof code === 'string' && Object.hasOwn(ACK_QUERY_KO, code)
    ? ACK_QUERY_KO[code as keyof typeof ACK_QUERY_KO]
    : undefined;
}
