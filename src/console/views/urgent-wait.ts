import type { PendingUrgent } from '../../domain/urgent/on-call';
import { html, type SafeHtml } from '../../http/html';
import { seoulDateTime } from './format';

/** The 확인 box of a case whose urgent alert waits (case page) — the same button as on the today page. */
export function urgentWaitCard(
  receiptNo: string,
  wait: Pick<PendingUrgent, 'step' | 'dueAt'> & { route?: PendingUrgent['route'] },
  csrf: string,
): SafeHtml {
  const next = wait.dueAt
    ? html`확인이 없으면 ${seoulDateTime(wait.dueAt)}에 다음 담당자에게도 알립니다.`
    : html`알릴 곳을 모두 거쳤습니다. 확인해 주세요.`;
  return html`<section class="card urgent-wait" id="urgent-wait" aria-labelledby="uw-h"><h2 id="uw-h">긴급 알림 확인 대기</h2>
<p>${wait.route === 'call_center' ? (wait.step ? `확인 없어 재알림 ${wait.step}회 보냄.` : '콜센터 알림 보냄.') : `당직 알림 ${wait.step + 1}차까지 보냄.`} ${next}</p>
${ackButton(receiptNo, csrf)}</section>`;
}

/** One 확인 button: posts to the console's own route (signed in, with the form's CSRF token). */
export function ackButton(receiptNo: string, csrf: string, from: 'case' | 'today' = 'case'): SafeHtml {
  return html`<form method="post" action="/console/urgent/${receiptNo}/ack" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="_from" value="${from}"><button type="submit" aria-label="${receiptNo} 긴급 알림 확인">확인</button></form>`;
}
