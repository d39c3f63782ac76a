import type { District } from '../../domain/district';
import { PARTNER_KIND_LABELS } from './partner-kinds';
import type { DongCenter } from '../../domain/dong-center/dong-center';
import { CONSOLE_ROLES, type ConsoleUser } from '../../domain/auth/console-user';
import { formatInviteCode, PARTNER_KINDS, type Partner } from '../../domain/partner/partner';
import { html, type SafeHtml } from '../../http/html';
import { ROLE_LABELS } from '../messages';
import { seoulDateTime } from '../views/format';
import { layout } from '../views/layout';

export interface AdminPage {
  user: ConsoleUser;
  csrf: string;
  district: District;
  notice?: SafeHtml | string;
  error?: string;
  /** Shown on every management page while the scheduled backup is failing. */
  warning?: string;
}

const TABS = [
  ['users', '콘솔 사용자'],
  ['partners', '협약기관'],
  ['dongs', '동 주민센터 전달처'],
  ['alerts', '알림 받는 곳'],
  ['lists', '구 목록'],
  ['backups', '백업'],
] as const;

export function frame(p: AdminPage, tab: (typeof TABS)[number][0], body: SafeHtml): string {
  return layout({
    title: `관리 · ${TABS.find((t) => t[0] === tab)![1]}`,
    user: p.user,
    csrf: p.csrf,
    body: html`<h1>관리</h1>
<nav class="tabs" aria-label="관리 메뉴">${TABS.map(([id, label]) => html`<a href="/console/admin/${id}"${id === tab ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>
${p.warning ? html`<p class="alert" role="alert"><a href="/console/admin/backups">${p.warning}</a></p>` : ''}
${p.notice ? html`<div class="notice" role="status">${p.notice}</div>` : ''}
${p.error ? html`<p class="alert form-error" role="alert">${p.error}</p>` : ''}
${body}`,
  });
}

export const csrfField = (p: AdminPage) => html`<input type="hidden" name="_csrf" value="${p.csrf}">`;
const option = (value: string, label: string, selected?: string | null) =>
  html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
const dongOptions = (d: District, selected?: string | null) =>
  html`${option('', '(없음: 콜센터·관리자)', selected)}${d.dongs.map((x) => option(x.code, x.name, selected))}`;

/** A one-time link shown once to the admin who made it, to pass on to the user. */
export const linkNotice = (what: string, url: string) =>
  html`<p>${what}</p><p>아래 일회용 링크를 본인에게만 전달해 주세요 (24시간 동안 한 번 쓸 수 있고, 다시 표시되지 않습니다).</p><p><code class="secret">${url}</code></p>`;

export function usersPage(p: AdminPage, users: ConsoleUser[]): string {
  const dongName = (u: ConsoleUser) => (u.dongCode ? (p.district.dongByCode(u.dongCode)?.name ?? u.dongCode) : '');
  const profileFields = (
    id: string,
    u?: ConsoleUser,
  ) => html`<div><label for="${id}-pname">이름</label><input id="${id}-pname" name="name" maxlength="40" value="${u?.name ?? ''}" autocomplete="off"></div>
  <div><label for="${id}-dept">부서</label><input id="${id}-dept" name="department" maxlength="60" value="${u?.department ?? ''}" placeholder="통합콜센터" autocomplete="off"></div>
  <div><label for="${id}-phone">전화번호</label><input id="${id}-phone" name="phone" type="tel" maxlength="20" value="${u?.phone ?? ''}" placeholder="02-330-1234" autocomplete="off"></div>`;
  const row = (u: ConsoleUser) => {
    const self = u.username === p.user.username;
    const id = `u-${u.username.replace(/[^a-z0-9]/g, '_')}`;
    return html`<tr${u.active ? '' : html` class="inactive"`}>
  <th scope="row">${u.name ? `${u.name} (${u.username})` : u.username}${self ? ' (나)' : ''}</th>
  <td data-label="역할">${ROLE_LABELS[u.role]}${u.dongCode ? html` · ${dongName(u)}` : ''}</td>
  <td data-label="상태">${u.active ? '사용 중' : '사용 중지'}</td>
  <td data-label="부서·전화">${u.department ?? ''}${u.phone ? html`${u.department ? html`<br>` : ''}<a href="tel:${u.phone.replace(/-/g, '')}">${u.phone}</a>` : ''}</td>
  <td data-label="최근 로그인" class="nw">${u.lastSignInAt ? seoulDateTime(u.lastSignInAt) : html`<span class="muted">없음</span>`}</td>
  <td data-label="관리"><details class="action"><summary>이름·부서·전화 변경</summary>
    <form method="post" action="/console/admin/users/${u.username}/profile" class="grid">${csrfField(p)}
      ${profileFields(`${id}-p`, u)}
      <div class="actions"><button type="submit">저장</button></div>
    </form></details>
  ${
    self
      ? html`<span class="muted">역할·사용 중지는 다른 관리자만 바꿀 수 있습니다</span>`
      : html`<details class="action"><summary>역할·동 변경</summary>
    <form method="post" action="/console/admin/users/${u.username}/role" class="grid">${csrfField(p)}
      <div><label for="${id}-role">역할</label><select id="${id}-role" name="role">${CONSOLE_ROLES.map((r) => option(r, ROLE_LABELS[r], u.role))}</select></div>
      <div><label for="${id}-dong">동</label><select id="${id}-dong" name="dong">${dongOptions(p.district, u.dongCode)}</select></div>
      <div class="actions"><button type="submit">저장</button></div>
    </form></details>
    <form method="post" action="/console/admin/users/${u.username}/reset" class="inline">${csrfField(p)}<button type="submit" class="secondary">비밀번호 재설정 링크</button></form>
    <form method="post" action="/console/admin/users/${u.username}/${u.active ? 'disable' : 'enable'}" class="inline" data-confirm="${u.active ? `${u.username} 사용자를 사용 중지할까요? 모든 로그인이 끝납니다.` : `${u.username} 사용자를 다시 사용하게 할까요?`}">${csrfField(p)}<button type="submit" class="${u.active ? 'danger' : 'secondary'}">${u.active ? '사용 중지' : '다시 사용'}</button></form>`
  }</td>
</tr>`;
  };
  return frame(
    p,
    'users',
    html`<section class="card" aria-labelledby="add-user-h"><h2 id="add-user-h">사용자 추가</h2>
<form method="post" action="/console/admin/users" class="grid">${csrfField(p)}
  <div><label for="nu-name">아이디</label><input id="nu-name" name="username" required maxlength="32" pattern="[a-z0-9][a-z0-9._\\-]{2,31}" autocapitalize="none" autocomplete="off" data-pattern-ko="아이디는 영문 소문자·숫자·. _ - 3–32자로, 영문이나 숫자로 시작해야 합니다."></div>
  ${profileFields('nu')}
  <div><label for="nu-role">역할</label><select id="nu-role" name="role">${CONSOLE_ROLES.map((r) => option(r, ROLE_LABELS[r], 'staff'))}</select></div>
  <div><label for="nu-dong">동 (동 주민센터 사용자만)</label><select id="nu-dong" name="dong">${dongOptions(p.district)}</select></div>
  <div class="actions"><button type="submit">추가하고 비밀번호 설정 링크 만들기</button></div>
</form>
<p class="muted">이름은 처리 이력과 오늘 할 일에 아이디 대신 보입니다.</p></section>
<table class="queue admin"><caption>콘솔 사용자 ${users.length}명</caption><thead><tr><th scope="col">이름 (아이디)</th><th scope="col">역할</th><th scope="col">상태</th><th scope="col">부서·전화</th><th scope="col">최근 로그인</th><th scope="col">관리</th></tr></thead>
<tbody>${users.map(row)}</tbody></table>`,
  );
}

export function partnersPage(p: AdminPage, partners: Partner[], linked: Map<string, number>): string {
  const row = (x: Partner) => html`<tr${x.active ? '' : html` class="inactive"`}>
  <th scope="row">${x.name}${x.contactName || x.contactPhone ? html`<br><small>담당 ${x.contactName ?? ''}${x.contactPhone ? html` · <a href="tel:${x.contactPhone.replace(/-/g, '')}">${x.contactPhone}</a>` : ''}</small>` : ''}</th>
  <td data-label="종류">${PARTNER_KIND_LABELS[x.kind]}</td>
  <td data-label="초대 코드">${x.active ? html`<code>${formatInviteCode(x.inviteCode)}</code>` : html`<span class="muted">회수됨</span>`}</td>
  <td data-label="연결된 신고자">${linked.get(x.id) ?? 0}명</td>
  <td data-label="등록">${seoulDateTime(x.createdAt)}</td>
  <td data-label="소식 알림">${
    x.active
      ? html`<form method="post" action="/console/admin/partners/${x.id}/news" class="inline">${csrfField(p)}<input type="hidden" name="on" value="${x.newsPushes ? '0' : '1'}"><span>${x.newsPushes ? '보냄' : '보내지 않음 (다음 대화에서 보여 줌)'}</span> <button type="submit" class="secondary">${x.newsPushes ? '알림 끄기' : '알림 켜기'}</button></form>`
      : ''
  }</td>
  <td data-label="관리"><details class="action"><summary>이름·담당자 변경</summary>
    <form method="post" action="/console/admin/partners/${x.id}/edit" class="grid">${csrfField(p)}
      <div><label for="p-${x.id}-name">기관 이름</label><input id="p-${x.id}-name" name="name" required maxlength="100" value="${x.name}"></div>
      <div><label for="p-${x.id}-cname">담당자</label><input id="p-${x.id}-cname" name="contactName" maxlength="40" value="${x.contactName ?? ''}"></div>
      <div><label for="p-${x.id}-cphone">담당자 전화번호</label><input id="p-${x.id}-cphone" name="contactPhone" type="tel" maxlength="20" value="${x.contactPhone ?? ''}" placeholder="02-330-1234"></div>
      <div class="actions"><button type="submit">저장</button></div>
    </form></details>
  ${
    x.active
      ? html`<form method="post" action="/console/admin/partners/${x.id}/code" class="inline" data-confirm="${`${x.name}에 새 초대 코드를 만들까요? 이전 코드로는 더 이상 연결되지 않습니다.`}">${csrfField(p)}<button type="submit" class="secondary">새 초대 코드</button></form>
    <form method="post" action="/console/admin/partners/${x.id}/revoke" class="inline" data-confirm="${`${x.name}의 초대 코드를 회수할까요? 이 기관의 신고자는 더 이상 신고할 수 없습니다.`}">${csrfField(p)}<button type="submit" class="danger">코드 회수</button></form>`
      : html`<span class="muted">${x.revokedAt ? `${seoulDateTime(x.revokedAt)} 회수` : '회수'}</span>`
  }</td>
</tr>`;
  return frame(
    p,
    'partners',
    html`<section class="card" aria-labelledby="add-partner-h"><h2 id="add-partner-h">협약기관 추가</h2>
<form method="post" action="/console/admin/partners" class="grid">${csrfField(p)}
  <div class="wide"><label for="np-name">기관 이름</label><input id="np-name" name="name" required maxlength="100"></div>
  <div><label for="np-kind">종류</label><select id="np-kind" name="kind">${PARTNER_KINDS.map((k) => option(k, PARTNER_KIND_LABELS[k], 'other'))}</select></div>
  <div class="actions"><button type="submit">추가하고 초대 코드 만들기</button></div>
</form></section>
<table class="queue admin"><caption>협약기관 ${partners.length}곳 · 신고자는 채팅에서 초대 코드를 입력해 기관과 연결됩니다</caption><thead><tr><th scope="col">기관</th><th scope="col">종류</th><th scope="col">초대 코드</th><th scope="col">연결된 신고자</th><th scope="col">등록</th><th scope="col">소식 알림</th><th scope="col">관리</th></tr></thead>
<tbody>${partners.map(row)}</tbody></table>
<p class="muted">소식 알림: 기관 신고자에게 상담·배정·방문·사후관리·종결 소식을 채팅으로 보낼지 정합니다. 업무 시간 밖 메시지를 금하는 기관은 끄세요. 끄면 소식은 신고자가 다음에 채팅할 때 보여 줍니다.</p>`,
  );
}

export function dongsPage(p: AdminPage, centers: DongCenter[]): string {
  const row = (c: DongCenter) => {
    const id = `d-${c.code}`;
    return html`<section class="card" aria-labelledby="${id}-h"><h2 id="${id}-h">${c.name}</h2>
<form method="post" action="/console/admin/dongs/${c.code}" class="grid">${csrfField(p)}
  <div><label for="${id}-slack">Slack 채널 ID</label><input id="${id}-slack" name="slack" value="${c.slackChannel ?? ''}" placeholder="C0123456789" maxlength="40"></div>
  <div><label for="${id}-tg">Telegram 채팅 ID</label><input id="${id}-tg" name="telegram" value="${c.telegramChatId ?? ''}" placeholder="-1001234567890" maxlength="40"></div>
  <div class="wide"><label for="${id}-email">이메일 (쉼표로 구분)</label><input id="${id}-email" name="email" value="${c.emails.join(', ')}" maxlength="2000"></div>
  <div class="actions"><button type="submit">${c.name} 저장</button></div>
</form></section>`;
  };
  return frame(
    p,
    'dongs',
    html`<p class="muted">매주 동별 명단이 가는 곳입니다. 빈 칸은 그 전달처를 쓰지 않습니다.</p>${centers.map(row)}`,
  );
}

export function passwordLinkPage(opts: { username?: string; error?: string; done?: boolean; action: string }): string {
  const body = opts.done
    ? html`<h1>비밀번호를 설정했습니다</h1><p><a href="/console/login">로그인하기</a></p>`
    : !opts.username
      ? html`<h1>쓸 수 없는 링크입니다</h1><p>이미 사용했거나 기한이 지난 링크입니다. 관리자에게 새 링크를 요청해 주세요.</p>`
      : html`<h1>비밀번호 설정</h1><p>${opts.username} 계정의 새 비밀번호를 정해 주세요 (10자 이상).</p>
${opts.error ? html`<p class="alert form-error" role="alert">${opts.error}</p>` : ''}
<form method="post" action="${opts.action}" class="card narrow">
  <input type="text" name="username" value="${opts.username}" autocomplete="username" hidden>
  <label for="pw1">새 비밀번호</label><input id="pw1" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="200">
  <label for="pw2">새 비밀번호 확인</label><input id="pw2" name="repeat" type="password" autocomplete="new-password" required minlength="10" maxlength="200">
  <button type="submit">설정</button>
</form>`;
  return layout({ title: '비밀번호 설정', body });
}
