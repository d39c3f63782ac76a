import { html } from '../../http/html';
import { ko } from '../messages';
import { layout } from './layout';

export function loginPage(opts: { csrf: string; error?: string; username?: string }): string {
  return layout({
    title: ko.signIn,
    body: html`<h1>${ko.signIn}</h1>
${opts.error ? html`<p class="alert form-error" role="alert" id="login-error">${opts.error}</p>` : ''}
<form method="post" action="/console/login" class="card narrow">
  <input type="hidden" name="_csrf" value="${opts.csrf}">
  <label for="username">${ko.username}</label>
  <input id="username" name="username" autocomplete="username" required maxlength="64" value="${opts.username ?? ''}" autocapitalize="none"${opts.error ? html` aria-describedby="login-error"` : ''}>
  <label for="password">${ko.password}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200"${opts.error ? html` aria-describedby="login-error"` : ''}>
  <button type="submit">${ko.signIn}</button>
</form>`,
  });
}
