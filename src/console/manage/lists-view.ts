import {
  LIST_RULES,
  type DistrictLists,
  type ListItem,
  type ListName,
  type StoredLists,
} from '../../domain/district-lists';
import { CRISIS_LEVELS, CRISIS_PHRASES } from '../../domain/report/crisis';
import { html } from '../../http/html';
import { seoulDateTime } from '../views/format';
import { csrfField, frame, type AdminPage } from './views';

const TITLES: Record<ListName, { h: string; what: string; max: number }> = {
  signs: {
    h: '위기 징후',
    what: '협약기관 신고자가 채팅에서 고르는 징후입니다. 카카오톡 버튼에 맞게 이름은 14자까지, 사용 중인 징후는 9개까지입니다.',
    max: LIST_RULES.signLabelMax,
  },
  services: {
    h: '연계 서비스',
    what: '콜센터가 1차 상담에서 연계한 서비스로 표시하는 목록입니다.',
    max: LIST_RULES.serviceLabelMax,
  },
};

function itemRow(p: AdminPage, list: ListName, x: ListItem): ReturnType<typeof html> {
  const id = `${list}-${x.code}`;
  return html`<li${x.active ? '' : html` class="inactive"`}><form method="post" action="/console/admin/lists/${list}/${x.code}" class="list-row">${csrfField(p)}
  <div><label for="${id}-label">이름</label><input id="${id}-label" name="label" value="${x.label}" required maxlength="${TITLES[list].max}"></div>
  ${list === 'signs' ? html`<div><label for="${id}-en">영문 이름</label><input id="${id}-en" name="labelEn" value="${x.labelEn ?? ''}" maxlength="${LIST_RULES.labelEnMax}" lang="en"></div>` : ''}
  <label class="check"><input type="checkbox" name="active" value="1"${x.active ? html` checked` : ''}> 사용</label>
  <button type="submit" class="secondary" aria-label="${x.label} 저장">저장</button>
</form></li>`;
}

function listSection(p: AdminPage, list: ListName, items: ListItem[]): ReturnType<typeof html> {
  const t = TITLES[list];
  return html`<section class="card" aria-labelledby="${list}-h"><h2 id="${list}-h">${t.h} <span class="muted">사용 ${items.filter((x) => x.active).length}개${items.some((x) => !x.active) ? ` · 사용 중지 ${items.filter((x) => !x.active).length}개` : ''}</span></h2>
<p class="muted">${t.what}</p>
<ul class="list-items">${items.map((x) => itemRow(p, list, x))}</ul>
<form method="post" action="/console/admin/lists/${list}" class="list-row add">${csrfField(p)}
  <div><label for="${list}-new">새 ${t.h} 이름</label><input id="${list}-new" name="label" required maxlength="${t.max}"></div>
  ${list === 'signs' ? html`<div><label for="${list}-new-en">영문 이름</label><input id="${list}-new-en" name="labelEn" maxlength="${LIST_RULES.labelEnMax}" lang="en"></div>` : ''}
  <button type="submit">추가</button>
</form></section>`;
}

/** The district's lists: signs, linked services, follow-up cadence; each saved on its own. */
export function listsPage(p: AdminPage, lists: DistrictLists, latest: StoredLists | undefined): string {
  const days = lists.followUpCadenceDays;
  return frame(
    p,
    'lists',
    html`<p class="muted">항목은 지우지 않고 '사용'을 해제합니다: 지난 신고에는 그 이름이 그대로 보이고, 새 신고에서만 빠집니다. 저장한 목록은 이 서버에 바로, 다른 서버에는 1분 안에 적용됩니다.
${latest ? ` 마지막 저장: ${seoulDateTime(latest.savedAt)} (${latest.savedBy.replace(/^user:/, '')}, ${latest.version}번째 판).` : ' 아직 고친 적이 없어 구 기본 목록을 씁니다.'}</p>
${listSection(p, 'signs', lists.signs)}
${listSection(p, 'services', lists.services)}
<section class="card" aria-labelledby="cadence-h"><h2 id="cadence-h">사후관리 안부확인 주기</h2>
<p class="muted">방문 후 사후관리가 필요한 가구에 다음 안부전화를 거는 간격(일)입니다. 바꾼 주기는 새로 시작하는 사후관리부터 적용됩니다.</p>
<form method="post" action="/console/admin/lists/cadence" class="grid">${csrfField(p)}
${CRISIS_LEVELS.map((l) => html`<div><label for="cad-${l}">${CRISIS_PHRASES[l]}</label><input id="cad-${l}" name="${l}" type="number" inputmode="numeric" min="${LIST_RULES.cadenceMin}" max="${LIST_RULES.cadenceMax}" value="${days[l]}" required></div>`)}
  <div class="actions"><button type="submit">주기 저장</button></div>
</form></section>`,
  );
}
