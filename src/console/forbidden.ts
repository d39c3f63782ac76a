import type { Request, Response } from 'express';
import { html } from '../http/html';
import type { AuthedRequest } from './auth';
import { layout } from './views/layout';

/** The 403 page a signed-in user gets for a page their role does not open: why, and a way back. */
export function sendForbidden(
  req: Request,
  res: Response,
  messageKo: string,
  back: { href: string; label: string } = { href: '/console', label: '목록으로' },
): void {
  const { auth } = req as AuthedRequest;
  res
    .status(403)
    .type('html')
    .send(
      layout({
        title: '권한 없음',
        user: auth.user,
        csrf: auth.csrfToken,
        body: html`<h1>${messageKo}</h1><p><a href="${back.href}">${back.label}</a></p>`,
      }),
    );
}
