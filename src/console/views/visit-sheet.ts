import type { District } from '../../domain/district';
import { formatAgeSex } from '../../domain/report/age';
import { CALL_OUTCOME_LABELS } from '../../domain/report/follow-up';
import { URGENCY_LABELS } from '../../domain/report/urgency';
import { html, pageHead } from '../../http/html';
import { ko } from '../messages';
import type { ReportView } from '../report-view';
import { seoulDateTime } from './format';

/**
 * 방문 의뢰서: one A4 page the dong center's worker takes on the visit — who and where, why the
 * call center asks, what the call found — with boxes for the visit's result written by hand.
 * Its own page (no menu, no forms), printed from the browser (case.css sets the A4 page).
 */
export function visitSheetPage(m: {
  district: District;
  report: ReportView;
  printedAt: Date;
  printedBy: string;
}): string {
  const r = m.report;
  const requested = [...r.history]
    .reverse()
    .find((h) => h.action === 'request_visit' || (h.action === 'follow_up_call' && h.to === 'visit_requested'));
  const dongName = r.assignedDong?.name ?? r.address.dongName ?? '';
  const box = html`<span class="box" aria-hidden="true">□</span>`;
  return html`${pageHead({ title: `방문 의뢰서 ${r.receiptNo} · ${ko.title}`, console: true })}
<body class="sheet-page">
<p class="no-print sheet-tools"><a href="/console/reports/${r.receiptNo}">← 신고 ${r.receiptNo}</a> <button type="button" data-print>인쇄</button></p>
<main class="sheet" id="main">
<header class="sheet-head"><h1>방문 의뢰서</h1>
<p>수신: ${dongName ? `${dongName} 주민센터` : '관할 동 주민센터 (미배정)'} · 발신: ${m.district.name} 복지 콜센터</p></header>
<table class="sheet-table">
<tr><th scope="row">접수번호</th><td>${r.receiptNo}</td><th scope="row">긴급도</th><td>${URGENCY_LABELS[r.urgency]}</td></tr>
<tr><th scope="row">접수일시</th><td>${seoulDateTime(r.receivedAt)}</td><th scope="row">방문 요청</th><td>${r.visitRequestedAt ? seoulDateTime(r.visitRequestedAt) : '요청 전'}</td></tr>
${r.nextStep?.kind === 'report_visit' ? html`<tr><th scope="row">결과 회신 기한</th><td colspan="3">${r.nextStep.dueText}</td></tr>` : ''}
<tr><th scope="row">대상자</th><td>${r.person.name ?? '이름 모름'}</td><th scope="row">나이·성별</th><td>${formatAgeSex(r.person.age, r.person.sex) || '모름'}</td></tr>
<tr><th scope="row">연락처</th><td colspan="3">${r.person.phone ?? '모름'}</td></tr>
<tr><th scope="row">주소</th><td colspan="3">${r.address.text}${dongName ? ` (${dongName})` : ''}</td></tr>
<tr><th scope="row">위기 징후</th><td colspan="3">${r.signs.map((s) => s.label).join(', ')}</td></tr>
<tr><th scope="row">상황</th><td colspan="3" class="pre">${r.situation}</td></tr>
<tr><th scope="row">1차 상담</th><td colspan="3" class="pre">${r.consultation ? `${r.consultation.callOutcome ? `[${CALL_OUTCOME_LABELS[r.consultation.callOutcome]}] ` : ''}${r.consultation.result}` : '상담 전'}</td></tr>
<tr><th scope="row">요청 사유</th><td colspan="3" class="pre">${requested?.note ?? ''}</td></tr>
<tr><th scope="row">신고 기관</th><td>${r.partner.name}</td><th scope="row">담당 상담원</th><td>${r.assignee ?? ''}</td></tr>
</table>
<h2>방문 결과 (방문 후 기록해 콘솔에 보고)</h2>
<table class="sheet-table write">
<tr><th scope="row">방문 일시</th><td colspan="3">20&nbsp;&nbsp;&nbsp;&nbsp;.&nbsp;&nbsp;&nbsp;&nbsp;.&nbsp;&nbsp;&nbsp;&nbsp;.&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;:</td></tr>
<tr><th scope="row">대상자 만남</th><td>${box} 만남 ${box} 못 만남(부재)</td><th scope="row">사통망 입력</th><td>${box} 예 ${box} 아니오</td></tr>
<tr><th scope="row">위기도</th><td>${box} 높음 ${box} 중간 ${box} 낮음 ${box} 없음 ${box} 모름</td><th scope="row">사후관리 필요</th><td>${box} 예 ${box} 아니오</td></tr>
<tr class="tall"><th scope="row">조사 결과</th><td colspan="3"></td></tr>
<tr class="tall"><th scope="row">지원 내용</th><td colspan="3"></td></tr>
<tr><th scope="row">방문자</th><td>(서명)</td><th scope="row">재방문 예정</th><td></td></tr>
</table>
<p class="sheet-foot">출력 ${seoulDateTime(m.printedAt)} · ${m.printedBy} · 개인정보가 담긴 문서입니다. 방문 후 파쇄해 주세요.</p>
</main>
</body>
</html>`.value;
}
