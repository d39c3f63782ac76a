import type { ConsoleUser } from '../../domain/auth/console-user';
import { html, pageHead, type SafeHtml } from '../../http/html';
import { ko, ROLE_LABELS } from '../messages';

/** The page frame: Korean, phone-width first, one stylesheet and one small script from /console/static. */
export function layout(opts: {
  title: string;
  body: SafeHtml;
  user?: ConsoleUser;
  csrf?: string;
  dongName?: string | null;
  /** A list page that uses the whole screen width (the queue). */
  wide?: boolean;
  /** A second skip link, before the menu: straight to the page's main work (the queue's first row). */
  skip?: { href: string; label: string };
}): string {
  const { user } = opts;
  return html`${pageHead({ title: `${opts.title} · ${ko.title}`, console: true })}
<body>
${opts.skip ? html`<a class="skip" href="${opts.skip.href}">${opts.skip.label}</a>` : ''}<a class="skip" href="#main">본문 바로가기</a>
<header class="top">
  <a class="brand" href="/console">사각 콘솔</a>
  ${
    user
      ? html`<nav class="nav" aria-label="콘솔 메뉴"><a href="/console/today">오늘 할 일</a>${user.role !== 'dong' ? html`<a href="/console/dashboard">현황</a><a href="/console/alerts">알림 기록</a><a href="/console/imports">명단 가져오기</a>` : ''}${user.role === 'admin' ? html`<a href="/console/admin">관리</a>` : ''}</nav>
    <div class="who"><span>${user.name ?? user.username} · ${ROLE_LABELS[user.role]}${opts.dongName ? html` (${opts.dongName})` : ''}</span>
    ${user.role === 'admin' ? html`<a href="/console/admin/access">접속기록</a>` : ''}<a href="/console/account/password">비밀번호 변경</a>
    <form method="post" action="/console/logout"><input type="hidden" name="_csrf" value="${opts.csrf}"><button type="submit" class="link">${ko.signOut}</button></form></div>`
      : ''
  }
</header>
<main id="main" tabindex="-1"${opts.wide ? html` class="wide"` : ''}>
${opts.body}
</main>
</body>
</html>`.value;
}
