import type { Authenticated } from '../../domain/auth/sign-in';
import type { ListImport } from '../../domain/list-import/list-import';
import { FIELD_LABELS, OUTCOME_LABELS } from '../../import/messages';
import { MAPPED_FIELDS } from '../../domain/list-import/mapping';
import { PROGRESS_COLUMNS, withRate, type ListProgress } from '../../domain/list-progress';
import { URGENCIES } from '../../domain/report/urgency';
import type { ConsoleDeps } from '../deps';
import { html, type SafeHtml } from '../../http/html';
import { seoulDateTime } from './format';
import { layout } from './layout';

const STATUS_KO = {
  uploaded: '열 지정 전',
  previewed: '미리보기 완료',
  committing: '접수 중',
  committed: '접수 완료',
} as const;
const fmt = (d: Date) => seoulDateTime(new Date(d));

/** A list's rows as filed (or as previewed, before the commit). */
function rowsText(i: ListImport): string {
  const c = i.commit?.counts ?? i.preview?.counts;
  return c ? `${c.rows}행 (${c.create + c.unresolved} · ${c.link} · ${c.rejected})` : '—';
}

/** The list of imports and the upload form (staff and admin). */
export async function importsPage(
  deps: ConsoleDeps<'imports' | 'partners'>,
  auth: Authenticated,
  opts: { error?: string } = {},
): Promise<string> {
  const [items, partners] = await Promise.all([deps.repos.imports.list(deps.district.id), deps.repos.partners.list()]);
  const active = partners.filter((p) => p.active);
  const body = html`<p><a href="/console">← 목록</a></p><h1>기관 명단 가져오기</h1>
${opts.error ? html`<p class="alert form-error" role="alert">${opts.error}</p>` : ''}
<form method="post" action="/console/imports" enctype="multipart/form-data" class="card grid">
  <input type="hidden" name="_csrf" value="${auth.csrfToken}">
  <div><label for="i-partner">보낸 기관</label><select id="i-partner" name="partnerId" required>${active.map((p) => html`<option value="${p.id}">${p.name}</option>`)}</select></div>
  <div><label for="i-name">명단 이름</label><input id="i-name" name="listName" maxlength="100" required placeholder="한전 2026-11 장기체납"></div>
  <div><label for="i-enc">문자 인코딩 (CSV)</label><select id="i-enc" name="encoding"><option value="auto">자동 감지</option><option value="cp949">CP949 (EUC-KR, 한글 윈도우)</option><option value="utf8">UTF-8</option></select></div>
  <div class="wide"><label for="i-file">파일 (CSV 또는 XLSX, 최대 20MB · 20,000행)</label><input id="i-file" type="file" name="file" accept=".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></div>
  <div class="actions"><button type="submit">올리고 열 지정하기</button></div>
</form>
<h2>가져온 명단</h2>
${
  items.length
    ? html`<table class="queue"><thead><tr><th scope="col">명단</th><th scope="col">기관</th><th scope="col">올린 때</th><th scope="col">상태</th><th scope="col">행 (접수 · 연결 · 제외)</th></tr></thead><tbody>
${items.map((i) => html`<tr><td data-label="명단"><a href="/console/imports/${i.id}">${i.listName}</a></td><td data-label="기관">${i.partner.name}</td><td data-label="올린 때">${fmt(i.createdAt)}</td><td data-label="상태">${STATUS_KO[i.status]}</td><td data-label="행">${rowsText(i)}</td></tr>`)}
</tbody></table>`
    : html`<p>아직 가져온 명단이 없습니다.</p>`
}`;
  return layout({ title: '명단 가져오기', user: auth.user, csrf: auth.csrfToken, body });
}

function mappingForm(item: ListImport, csrf: string, deps: ConsoleDeps<'imports' | 'partners'>): SafeHtml {
  const m = item.mapping;
  const select = (
    field: (typeof MAPPED_FIELDS)[number],
  ) => html`<div><label for="m-${field}">${FIELD_LABELS[field]}${field === 'address' || field === 'name' ? ' (필수)' : ''}</label>
<select id="m-${field}" name="col_${field}"><option value="">(없음)</option>${item.headers.map((h) => html`<option value="${h}"${m?.columns[field] === h ? ' selected' : ''}>${h}</option>`)}</select></div>`;
  return html`<form method="post" action="/console/imports/${item.id}/mapping" class="card grid">
<input type="hidden" name="_csrf" value="${csrf}">
<h2 class="wide">열 지정</h2>
${MAPPED_FIELDS.map(select)}
<fieldset class="wide checks"><legend>추가 항목으로 남길 열 (체납액·체납개월 등)</legend>
${item.headers.filter((h) => !Object.values(m?.columns ?? {}).includes(h)).map((h, i) => html`<label class="check"><input type="checkbox" id="x-${i}" name="extra" value="${h}"${m?.extra.includes(h) ? ' checked' : ''}> ${h}</label>`)}
</fieldset>
<fieldset class="wide checks"><legend>이 명단의 위기 징후 (모든 행에 붙습니다)</legend>
${deps.district.signs.map((s) => html`<label class="check"><input type="checkbox" name="signs" value="${s.code}"${m?.defaultSigns.includes(s.code) ? ' checked' : ''}> ${s.label}</label>`)}
</fieldset>
<div><label for="m-urgency-default">긴급도 (긴급도 열이 없거나 빈 행)</label><select id="m-urgency-default" name="defaultUrgency">${URGENCIES.map((u) => html`<option value="${u.value}"${m?.defaultUrgency === u.value ? ' selected' : ''}>${u.label}</option>`)}</select></div>
<div class="actions"><button type="submit">미리보기</button></div>
</form>`;
}

function countsTable(counts: NonNullable<ListImport['preview']>['counts'], caption: string): SafeHtml {
  const keys = ['create', 'link', 'in_file', 'unresolved', 'rejected'] as const;
  return html`<table class="queue counts"><caption>${caption} · 전체 ${counts.rows}행</caption><tbody>
${keys.map((k) => html`<tr><th scope="row">${OUTCOME_LABELS[k]}</th><td>${counts[k]}</td></tr>`)}</tbody></table>`;
}

function previewSection(item: ListImport, csrf: string, deps: ConsoleDeps<'imports' | 'partners'>): SafeHtml {
  const p = item.preview;
  if (!p) return html``;
  const committed = item.status === 'committed';
  const pending = p.unresolved.filter((u) => item.dongChoices[String(u.row)] === undefined).slice(0, 40);
  return html`<section class="card" aria-labelledby="pv-h"><h2 id="pv-h">${committed ? '접수 전 미리보기' : '미리보기 (아직 저장되지 않았습니다)'}</h2>
${countsTable(p.counts, `${fmt(p.at)} 확인`)}
${
  p.counts.rejected
    ? html`<p><a href="/console/imports/${item.id}/rejected.xlsx">제외된 ${p.counts.rejected}행 내려받기 (XLSX, 사유 열 포함)</a></p>
<details><summary>제외된 행과 사유</summary><ul>${p.rejected.map((r) => html`<li>${r.row}행: ${r.reason}</li>`)}</ul>${p.counts.rejected > p.rejected.length ? html`<p>외 ${p.counts.rejected - p.rejected.length}행은 내려받은 파일에 있습니다.</p>` : ''}</details>`
    : ''
}
${
  !committed && pending.length
    ? html`<form method="post" action="/console/imports/${item.id}/dongs"><input type="hidden" name="_csrf" value="${csrf}">
<h3>동을 정하지 못한 행 (${p.counts.unresolved}행)</h3><p>주소만으로 행정동을 정할 수 없는 행입니다. 동을 고르거나 '콜센터 배정'으로 두세요. 고르지 않은 행은 동 미배정으로 접수됩니다.</p>
${pending.map((u) => html`<div><label for="d-${u.row}">${u.row}행 · ${u.address}</label><select id="d-${u.row}" name="dong_${u.row}"><option value="">콜센터 배정 (미배정)</option>${u.candidates.map((c) => html`<option value="${c}">${deps.district.dongByCode(c)?.name ?? c}</option>`)}</select></div>`)}
<button type="submit">선택 저장</button></form>`
    : ''
}
${
  !committed
    ? html`<form method="post" action="/console/imports/${item.id}/commit" data-confirm="${p.counts.create + p.counts.unresolved}건을 접수하고 ${p.counts.link}건을 열린 신고에 연결할까요?"><input type="hidden" name="_csrf" value="${csrf}">
<button type="submit">접수하기 (${p.counts.create + p.counts.unresolved}건 접수 · ${p.counts.link}건 연결)</button></form>`
    : ''
}
</section>`;
}

/** The follow-up table of a list (the seed's "114 households, 88 visited, 77%"). */
export function progressTable(p: ListProgress, caption: string): SafeHtml {
  return html`<table class="queue progress"><caption>${caption}</caption><thead><tr>${PROGRESS_COLUMNS.map((c) => html`<th scope="col">${c.header}</th>`)}</tr></thead>
<tbody><tr>${PROGRESS_COLUMNS.map((c) => html`<td data-label="${c.header}">${c.key === 'households' ? p.households : withRate(p[c.key], p.households)}</td>`)}</tr></tbody></table>
${
  p.byDong.length
    ? html`<table class="queue"><caption>동별 배정</caption><thead><tr><th scope="col">동</th><th scope="col">세대</th><th scope="col">방문</th></tr></thead><tbody>
${p.byDong.map((d) => html`<tr><td data-label="동">${d.dongName}</td><td data-label="세대">${d.households}</td><td data-label="방문">${withRate(d.visited, d.households)}</td></tr>`)}</tbody></table>`
    : ''
}`;
}

/** One import: mapping, preview, commit, and once committed how far its households got. */
export function importPage(
  deps: ConsoleDeps<'imports' | 'partners'>,
  auth: Authenticated,
  item: ListImport,
  opts: { notice?: string; error?: string; problems?: string[]; progress?: ListProgress },
): string {
  const c = item.commit;
  const body = html`<p><a href="/console/imports">← 가져온 명단</a></p>
<h1>${item.listName}</h1>
<dl class="facts"><dt>보낸 기관</dt><dd>${item.partner.name}</dd><dt>파일</dt><dd>${item.fileName} (${item.format.toUpperCase()}${item.encoding ? `, ${item.encoding}` : ''})</dd><dt>올린 때</dt><dd>${fmt(item.createdAt)}</dd><dt>상태</dt><dd>${STATUS_KO[item.status]}</dd></dl>
${opts.notice ? html`<p class="notice" role="status">${opts.notice}</p>` : ''}
${opts.error ? html`<p class="alert form-error" role="alert">${opts.error}</p>` : ''}
${opts.problems?.length ? html`<ul class="alert form-error" role="alert">${opts.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
${c?.counts ? html`<section class="card"><h2>접수 결과</h2>${countsTable(c.counts, `${fmt(c.finishedAt ?? c.startedAt)} 접수`)}</section>` : ''}
${
  item.status === 'committing'
    ? html`<p class="alert dup">접수가 끝나지 않았습니다. 다른 사용자가 접수 중이거나 중단되었습니다. 다시 누르면 이어서 접수합니다 (이미 접수된 행은 다시 만들지 않습니다).</p>
<form method="post" action="/console/imports/${item.id}/commit"><input type="hidden" name="_csrf" value="${auth.csrfToken}"><button type="submit">이어서 접수하기</button></form>`
    : ''
}
${opts.progress ? html`<section class="card" aria-labelledby="pr-h"><h2 id="pr-h">진행 현황</h2>${progressTable(opts.progress, `${item.listName}: 명단 세대 ${opts.progress.households}`)}</section>` : ''}
${item.status !== 'committed' ? mappingForm(item, auth.csrfToken, deps) : ''}
${previewSection(item, auth.csrfToken, deps)}`;
  return layout({ title: item.listName, user: auth.user, csrf: auth.csrfToken, body });
}
