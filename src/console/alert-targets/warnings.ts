import type { NextFunction, Request, Response } from 'express';
import type { AuthedRequest } from '../auth';
import { html } from '../../http/html';
import { log } from '../../log';
import { configuredKinds, targetHealth, type HealthDeps } from './health';
import type { Repositories } from '../../ports';

/** How long one instance reuses what it found (every page asks; the answer changes rarely). */
const CACHE_MS = 15_000;

/**
 * A warning on every staff and admin page while alerts would go nowhere: the call center has no
 * working target for urgent reports, or a dong center none for visit requests. It links to where
 * an admin fixes it. Added to the page frame of every HTML answer (after the opening `<main id="main" …>`), so
 * no page can forget it.
 */
export function targetWarnings(deps: HealthDeps & { repos: Pick<Repositories, 'onCall'> }) {
  let cached: { at: number; html: string } | undefined;
  const warningHtml = async (): Promise<string> => {
    const now = Date.now();
    if (cached && now - cached.at < CACHE_MS) return cached.html;
    const health = await targetHealth(deps);
    const parts: string[] = [];
    if (!health.callCenter.working) {
      parts.push(
        html`<p><strong>즉시 위험 신고 알림을 받을 곳이 없습니다.</strong> 콜센터의 알림 전달처가 없거나 모두 실패했습니다. <a href="/console/admin/alerts">알림 받는 곳 설정</a></p>`
          .value,
      );
    }
    // an on-call route that was set up but cannot deliver (docs/urgent-on-call.md)
    const onCall = (await deps.repos.onCall.setup(deps.district.id)).chain[0];
    if (onCall && !configuredKinds(deps.config)[onCall.kind]) {
      parts.push(
        html`<p><strong>당직 알림이 작동하지 않습니다.</strong> 서버에 ${onCall.kind} 설정이 없어 근무시간 외 즉시 위험 신고가 당직자에게 가지 않습니다. <a href="/console/admin/alerts#on-call">당직 설정</a></p>`
          .value,
      );
    }
    const silent = health.dongs.filter((d) => !d.working);
    if (silent.length) {
      const names = silent.map((d) => d.name).join(', ');
      parts.push(
        html`<p><strong>방문 요청 알림을 받을 곳이 없는 동 ${silent.length}곳:</strong> ${names}. <a href="/console/admin/dongs">동 주민센터 전달처 설정</a></p>`
          .value,
      );
    }
    const out = parts.length ? `<div class="warn-banner" role="alert" id="target-warning">${parts.join('')}</div>` : '';
    cached = { at: now, html: out };
    return out;
  };
  const middleware = async (req: Request, res: Response, next: NextFunction) => {
    const auth = (req as Partial<AuthedRequest>).auth;
    if (!auth || auth.user.role === 'dong' || req.method !== 'GET' || req.path.endsWith('.json')) return next();
    let banner = '';
    try {
      banner = await warningHtml();
    } catch (err) {
      log.warn({ error: (err as Error).name }, 'alert target check failed');
    }
    if (banner) {
      const send = res.send.bind(res);
      // after the opening tag of the page's main, whatever its attributes (views/layout.ts)
      res.send = (body?: unknown) =>
        send(typeof body === 'string' ? body.replace(/<main id="main"[^>]*>/, (tag) => `${tag}\n${banner}`) : body);
    }
    next();
  };
  /** After an admin changes targets, this instance's pages show the new state at once. */
  const forget = () => {
    cached = undefined;
  };
  return { middleware, forget };
}
export type TargetWarnings = ReturnType<typeof targetWarnings>;
