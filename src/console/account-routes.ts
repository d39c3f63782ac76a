import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { changeOwnPassword } from '../domain/auth/sign-in';
import { PASSWORD_POLICY_KO, PASSWORD_PROBLEM_KO } from '../domain/auth/password-policy';
import { recordAccess } from './access-log';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { html } from '../http/html';
import { layout } from './views/layout';

const form = z.object({
  current: z.string().min(1).max(200),
  next: z.string().min(1).max(400),
  confirm: z.string().max(400),
});

const WRONG_CURRENT_KO = '현재 비밀번호가 맞지 않습니다.';
const MISMATCH_KO = '새 비밀번호와 확인이 같지 않습니다.';

function passwordPage(auth: AuthedRequest['auth'], opts: { error?: string; notice?: string } = {}): string {
  const body = html`<p><a href="/console">← 목록</a></p><h1>비밀번호 변경</h1>
${opts.error ? html`<p class="alert form-error" role="alert">${opts.error}</p>` : ''}${opts.notice ? html`<p class="notice" role="status">${opts.notice}</p>` : ''}
<form method="post" action="/console/account/password" class="card narrow">
  <input type="hidden" name="_csrf" value="${auth.csrfToken}">
  <label for="pw-current">현재 비밀번호</label><input id="pw-current" name="current" type="password" autocomplete="current-password" required>
  <label for="pw-next">새 비밀번호</label><input id="pw-next" name="next" type="password" autocomplete="new-password" required minlength="10" aria-describedby="pw-rule">
  <p id="pw-rule" class="hint">${PASSWORD_POLICY_KO}</p>
  <label for="pw-confirm">새 비밀번호 확인</label><input id="pw-confirm" name="confirm" type="password" autocomplete="new-password" required>
  <button type="submit">변경</button>
</form>`;
  return layout({ title: '비밀번호 변경', user: auth.user, csrf: auth.csrfToken, body });
}

/** A signed-in user changes their own password (console form and API); other sessions end. */
export function mountAccountRoutes(router: Router, deps: ConsoleDeps<'accessRecords'>): void {
  router.get('/console/account/password', (req, res) => {
    res.type('html').send(passwordPage((req as AuthedRequest).auth));
  });
  router.post('/console/account/password', async (req: Request, res: Response) => {
    const { auth } = req as AuthedRequest;
    const parsed = form.safeParse(req.body);
    if (!parsed.success)
      return res
        .status(400)
        .type('html')
        .send(passwordPage(auth, { error: '입력값을 확인해 주세요.' }));
    if (parsed.data.next !== parsed.data.confirm)
      return res
        .status(400)
        .type('html')
        .send(passwordPage(auth, { error: MISMATCH_KO }));
    const out = await changeOwnPassword(deps.auth, auth, { current: parsed.data.current, next: parsed.data.next });
    if (!out.ok)
      return res
        .status(400)
        .type('html')
        .send(
          passwordPage(auth, {
            error: out.code === 'wrong_current' ? WRONG_CURRENT_KO : PASSWORD_PROBLEM_KO[out.code],
          }),
        );
    await recordAccess(deps, req, { action: 'password_change', detail: `ended=${out.endedSessions}` });
    return res
      .type('html')
      .send(passwordPage(auth, { notice: '비밀번호를 바꿨습니다. 다른 기기의 로그인은 끝났습니다.' }));
  });
}

/** POST /api/auth/password {current, next}: the API's side of the same change. */
export function mountAccountApi(router: Router, deps: ConsoleDeps<'accessRecords'>): void {
  router.post('/api/auth/password', async (req: Request, res: Response) => {
    const { auth } = req as AuthedRequest;
    const parsed = z
      .object({ current: z.string().min(1).max(200), next: z.string().min(1).max(400) })
      .safeParse(req.body);
    if (!parsed.success)
      return res.status(400).json({ error: 'bad_request', message: 'current and next are required strings' });
    const out = await changeOwnPassword(deps.auth, auth, parsed.data);
    if (!out.ok) {
      const messageKo = out.code === 'wrong_current' ? WRONG_CURRENT_KO : PASSWORD_PROBLEM_KO[out.code];
      return res.status(out.code === 'wrong_current' ? 403 : 400).json({
        error: out.code === 'wrong_current' ? 'wrong_current_password' : `password_${out.code}`,
        message: messageKo,
      });
    }
    await recordAccess(deps, req, { action: 'password_change', detail: `ended=${out.endedSessions}` });
    return res.status(204).end();
  });
}
