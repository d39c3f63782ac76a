import type { District } from '../../domain/district';
import { formatAge } from '../../domain/report/age';
import { CRISIS_LABELS, CRISIS_LEVELS } from '../../domain/report/crisis';
import { CALL_OUTCOME_LABELS, CONSULT_OUTCOMES } from '../../domain/report/follow-up';
import { URGENCY_CODES, URGENCY_LABELS } from '../../domain/report/urgency';
import { withParticle } from '../../domain/text/particle';
import type { FormValues } from '../case-forms';
import { html, type SafeHtml } from '../../http/html';
import type { ReportView } from '../report-view';

/** What the page shows again after a refused or unconfirmed submit: the typed values, and why. */
export interface FormState {
  form: 'correct' | 'handle';
  values: FormValues;
  error?: string;
  /** A corrected address lies in another dong than the case is assigned to: asked before moving it. */
  confirmDong?: { fromName: string; toName: string; toCode: string };
  /** The address alone does not decide the dong: these are offered. */
  dongChoices?: { code: string; name: string }[];
}

interface CaseFormsModel {
  csrf: string;
  district: District;
  report: ReportView;
  state?: FormState;
}

const val = (s: FormState | undefined, form: FormState['form'], key: string, fallback: string) => {
  if (s?.form !== form) return fallback;
  const v = s.values[key];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
const opt = (value: string, label: string, selected: string) =>
  html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;

/** 대상자 정보 정정: name, phone, sex, age, address in one form; each changed field is its own history entry. */
export function correctionCard(m: CaseFormsModel): SafeHtml {
  const r = m.report;
  const s = m.state?.form === 'correct' ? m.state : undefined;
  const v = (key: string, fallback: string) => val(s, 'correct', key, fallback);
  const dongChoice = v('addressDong', '');
  const confirm = s?.confirmDong;
  // what the page showed: only fields changed from these are corrected (two staff at once keep both)
  const was: [string, string][] = [
    ['name', r.person.name ?? ''],
    ['phone', r.person.phone ?? ''],
    ['sex', r.person.sex ?? ''],
    ['age', formatAge(r.person.age)],
    ['address', r.address.text],
  ];
  return html`<details class="card action correct" id="correct"${s ? html` open` : ''}><summary>대상자 정보 정정</summary>
<form method="post" action="/console/reports/${r.receiptNo}/correct" novalidate>
<input type="hidden" name="_csrf" value="${m.csrf}">
${was.map(([k, value]) => html`<input type="hidden" name="was_${k}" value="${s ? val(s, 'correct', `was_${k}`, value) : value}">`)}
${s?.error ? html`<p class="alert" role="alert" id="correct-error">${s.error}</p>` : ''}
<div class="grid">
<div><label for="c-name">이름</label><input id="c-name" name="name" maxlength="30" autocomplete="off" value="${v('name', r.person.name ?? '')}"></div>
<div><label for="c-phone">연락처</label><input id="c-phone" name="phone" type="tel" maxlength="20" autocomplete="off" value="${v('phone', r.person.phone ?? '')}"></div>
<div><label for="c-sex">성별</label><select id="c-sex" name="sex">${opt('', '모름', v('sex', r.person.sex ?? ''))}${opt('female', '여성', v('sex', r.person.sex ?? ''))}${opt('male', '남성', v('sex', r.person.sex ?? ''))}</select></div>
<div><label for="c-age">나이 또는 출생연도</label><input id="c-age" name="age" maxlength="10" aria-describedby="c-age-hint" value="${v('age', formatAge(r.person.age))}"><small id="c-age-hint">예: 80, 80세, 70대, 1944년생 (모르면 비움)</small></div>
<div class="wide"><label for="c-address">주소</label><input id="c-address" name="address" maxlength="200" required value="${v('address', r.address.text)}"></div>
<div><label for="c-dong">주소의 행정동</label><select id="c-dong" name="addressDong">${opt('', '주소로 자동 판단', dongChoice)}${(s?.dongChoices ?? m.district.dongs).map((d) => opt(d.code, d.name, dongChoice))}</select></div>
</div>
${
  confirm
    ? html`<div class="confirm" role="alert"><p>고친 주소는 <strong>${confirm.toName}</strong>에 속합니다. 이 신고는 지금 <strong>${confirm.fromName}</strong>에 배정되어 있습니다. 배정도 ${withParticle(confirm.toName, '으로/로')} 바꿀까요?</p>
<button type="submit" name="moveDong" value="yes">주소 고치고 ${withParticle(confirm.toName, '으로/로')} 재배정</button> <button type="submit" name="moveDong" value="no" class="secondary">주소만 고침 (${confirm.fromName} 유지)</button></div>`
    : html`<button type="submit">정정 저장</button>`
}
</form></details>`;
}

/** Said above the next step's form (not in its summary, which stays the action's name). */
export const NEXT_LABEL = html`<p class="next-label"><span class="badge step">다음 할 일</span></p>`;

/**
 * 상담 · 배정 · 방문 요청 in one submit: the consultation, and optionally the dong and the visit
 * request, each its own history entry, applied together or not at all.
 */
export function oneStepCard(m: CaseFormsModel, next: boolean): SafeHtml {
  const r = m.report;
  const s = m.state?.form === 'handle' ? m.state : undefined;
  const v = (key: string, fallback: string) => val(s, 'handle', key, fallback);
  const services = s ? ([] as string[]).concat(s.values.services ?? []) : (r.consultation?.services ?? []);
  const suggested = r.assignedDong?.code ?? ('dongCode' in r.address ? r.address.dongCode : null) ?? '';
  // never preselected: assigning stays a choice; the address's dong is marked in the list
  const dong = v('dongCode', '');
  return html`${next ? NEXT_LABEL : ''}<details class="card action one-step${next ? ' next' : ''}" id="handle"${next || s ? html` open` : ''}><summary>1차 상담 기록 <small>(동 배정·방문 의뢰까지 한 번에)</small></summary>
<form method="post" action="/console/reports/${r.receiptNo}/handle">
<input type="hidden" name="_csrf" value="${m.csrf}">
${s?.error ? html`<p class="alert" role="alert" id="handle-error">${s.error}</p>` : ''}
<div class="grid">
<div><label for="h-outcome">통화 결과</label><select id="h-outcome" name="callOutcome">${opt('', '선택', v('callOutcome', ''))}${CONSULT_OUTCOMES.map((o) => opt(o, CALL_OUTCOME_LABELS[o], v('callOutcome', '')))}</select></div>
<div><label for="h-urgency">긴급도</label><select id="h-urgency" name="urgency">${URGENCY_CODES.map((u) => opt(u, URGENCY_LABELS[u], v('urgency', r.urgency)))}</select></div>
<div><label for="h-crisis">위기도</label><select id="h-crisis" name="crisisLevel">${opt('', '미정', v('crisisLevel', r.crisisLevel ?? ''))}${CRISIS_LEVELS.map((c) => opt(c, CRISIS_LABELS[c], v('crisisLevel', r.crisisLevel ?? '')))}</select></div>
<div class="wide"><label for="h-result">상담 결과</label><textarea id="h-result" name="result" rows="3" maxlength="2000" required>${v('result', '')}</textarea></div>
</div>
<fieldset class="checks"><legend>연계한 서비스</legend>${[
    ...m.district.services,
    ...m.district.retiredServices.filter((sv) => (r.consultation?.services ?? []).includes(sv.code)),
  ].map(
    // a retired service stays offered on a case that had it, so saving the form keeps it
    (sv) =>
      html`<label class="check"><input type="checkbox" name="services" value="${sv.code}"${services.includes(sv.code) ? html` checked` : ''}> ${sv.label}</label>`,
  )}</fieldset>
<div><label for="h-support">연계 내용 메모 (선택)</label><textarea id="h-support" name="supportLinked" rows="2" maxlength="1000">${v('supportLinked', '')}</textarea></div>
<fieldset class="then"><legend>이어서 (선택)</legend>
<div class="grid">
<div><label for="h-dong">동 주민센터 배정</label><select id="h-dong" name="dongCode">${opt('', r.assignedDong ? `바꾸지 않음 (${r.assignedDong.name})` : '배정하지 않음', dong)}${m.district.dongs.map((d) => opt(d.code, d.code === suggested && !r.assignedDong ? `${d.name} (주소 기준)` : d.name, dong))}</select></div>
<div class="wide"><label class="check"><input type="checkbox" name="requestVisit" value="yes"${v('requestVisit', '') === 'yes' ? html` checked` : ''}> 방문 요청 (전화로 확인이 어려울 때)</label></div>
<div class="wide"><label for="h-visit-reason">방문 요청 사유 (선택)</label><textarea id="h-visit-reason" name="visitReason" rows="2" maxlength="1000">${v('visitReason', '')}</textarea></div>
</div></fieldset>
<button type="submit">1차 상담 기록 저장</button>
</form></details>`;
}
