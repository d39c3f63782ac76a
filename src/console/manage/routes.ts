import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import {
  addConsoleUser,
  changeRole,
  issuePasswordLink,
  linkOwner,
  setActive,
  setProfile,
  usePasswordLink,
  USER_ADMIN_KO,
  type UserAdminDeps,
} from '../../domain/auth/user-admin';
import { formatInviteCode, PARTNER_KINDS } from '../../domain/partner/partner';
import type { DeliveryTargetsPatch } from '../../domain/dong-center/dong-center';
import type { AuthedRequest } from '../auth';
import type { ConsoleDeps } from '../deps';
import { html } from '../../http/html';
import { mountListsRoutes } from './lists-routes';
import { backupsPage } from './backups-view';
import { backupState } from '../../store/backup/backup-state';
import { backupWarning } from './backup-warning';
import { dongsPage, linkNotice, partnersPage, passwordLinkPage, usersPage, type AdminPage } from './views';
import { withParticle } from '../../domain/text/particle';
import { TARGET_FIELD_KO, targetFields } from '../../domain/target-address';
import { sendForbidden } from '../forbidden';

const USER_PARAM = /^[a-z0-9][a-z0-9._-]{2,31}$/;
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

const partnerForm = z.object({ name: z.string().trim().min(2).max(100), kind: z.enum(PARTNER_KINDS) });
/** A partner's name and contact as the admin edits them; a blank contact is none. */
const partnerEditForm = z.object({
  name: z
    .string()
    .trim()
    .min(2, '기관 이름을 2–100자로 입력해 주세요.')
    .max(100, '기관 이름을 2–100자로 입력해 주세요.'),
  contactName: z.string().trim().max(40, '담당자 이름은 40자까지 입력해 주세요.'),
  contactPhone: z.union([
    z.literal(''),
    z
      .string()
      .trim()
      .regex(/^0\d{1,2}-?\d{3,4}-?\d{4}$/, '담당자 전화번호는 02-330-1234, 010-1234-5678처럼 입력해 주세요.'),
  ]),
});
const targetsForm = z.object(targetFields({ trim: true }));

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The admin's management pages under /console/admin (users, partners, dong centers' delivery
 * targets), and the public one-time password page. The admin CLI does the same and stays.
 */
export function mountAdminRoutes(
  router: Router,
  deps: ConsoleDeps<
    | 'backupRuns'
    | 'consoleUsers'
    | 'districtLists'
    | 'dongCenters'
    | 'identities'
    | 'partners'
    | 'passwordResets'
    | 'sessions'
  >,
  /** Called after a dong's targets change, so the missing-target warning is read again. */
  targetsChanged: () => void = () => {},
): void {
  const userDeps = userAdminDeps(deps);
  const base = (req: Request): AdminPage => {
    const { auth } = req as AuthedRequest;
    return {
      user: auth.user,
      csrf: auth.csrfToken,
      district: deps.district,
      warning: (req as Request & { backupWarning?: string }).backupWarning,
    };
  };
  const linkUrl = (req: Request, token: string) => `${req.protocol}://${req.get('host')}/console/password/${token}`;
  const send = (res: Response, status: number, page: string) => res.status(status).type('html').send(page);

  router.use('/console/admin', (req: Request, res: Response, next: NextFunction) => {
    const { auth } = req as AuthedRequest;
    if (auth.user.role === 'admin') return next();
    sendForbidden(req, res, '관리 화면은 관리자만 쓸 수 있습니다.');
  });
  router.get('/console/admin', (_req, res) => res.redirect(303, '/console/admin/users'));
  // a failing scheduled backup is said on every management page until one succeeds
  router.use('/console/admin', async (req: Request, _res: Response, next: NextFunction) => {
    (req as Request & { backupWarning?: string }).backupWarning = backupWarning(
      backupState(await deps.repos.backupRuns.latest(10), deps.now()),
      Boolean(deps.config.BACKUP_DIR),
      deps.now(),
    );
    next();
  });
  router.get('/console/admin/backups', async (req, res) => {
    const runs = await deps.repos.backupRuns.latest(30);
    send(
      res,
      200,
      backupsPage(
        base(req),
        runs,
        { dir: deps.config.BACKUP_DIR, keep: deps.config.BACKUP_KEEP, cron: deps.config.BACKUP_CRON },
        backupState(runs, deps.now()).interrupted,
      ),
    );
  });

  // users
  const showUsers = async (req: Request, res: Response, status = 200, extra: Partial<AdminPage> = {}) =>
    send(res, status, usersPage({ ...base(req), ...extra }, await deps.repos.consoleUsers.list()));
  router.get('/console/admin/users', (req, res) =>
    showUsers(req, res, 200, { notice: str(req.query.done) === '1' ? '저장했습니다.' : undefined }),
  );
  router.post('/console/admin/users', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const body = req.body as Record<string, unknown>;
    const out = await addConsoleUser(
      userDeps,
      {
        username: str(body.username),
        role: str(body.role),
        dong: str(body.dong) || undefined,
        name: str(body.name),
        department: str(body.department),
        phone: str(body.phone),
      },
      auth.actor.id,
      deps.now(),
    );
    if (!out.ok) return showUsers(req, res, out.code === 'taken' ? 409 : 400, { error: USER_ADMIN_KO[out.code] });
    return showUsers(req, res, 201, {
      notice: linkNotice(`${out.value.user.username} 사용자를 추가했습니다.`, linkUrl(req, out.value.token)),
    });
  });
  router.post('/console/admin/users/:username/:op', async (req: Request<{ username: string; op: string }>, res) => {
    const { auth } = req as unknown as AuthedRequest;
    const { username, op } = req.params;
    if (!USER_PARAM.test(username))
      return showUsers(req as unknown as Request, res, 404, { error: USER_ADMIN_KO.no_user });
    const body = req.body as Record<string, unknown>;
    if (op === 'reset') {
      const user = await deps.repos.consoleUsers.byUsername(username);
      if (!user) return showUsers(req as unknown as Request, res, 404, { error: USER_ADMIN_KO.no_user });
      const token = await issuePasswordLink(userDeps, user, auth.actor.id, deps.now());
      return showUsers(req as unknown as Request, res, 200, {
        notice: linkNotice(
          `${username} 사용자의 비밀번호 재설정 링크를 만들었습니다. 기존 비밀번호는 링크를 쓸 때까지 그대로입니다.`,
          linkUrl(req as unknown as Request, token),
        ),
      });
    }
    const out =
      op === 'profile'
        ? await setProfile(userDeps, username, {
            name: str(body.name),
            department: str(body.department),
            phone: str(body.phone),
          })
        : op === 'role'
          ? await changeRole(userDeps, auth.user, username, str(body.role), str(body.dong) || undefined)
          : op === 'disable' || op === 'enable'
            ? await setActive(userDeps, auth.user, username, op === 'enable')
            : undefined;
    if (!out) return showUsers(req as unknown as Request, res, 404, { error: USER_ADMIN_KO.no_user });
    if (!out.ok)
      return showUsers(req as unknown as Request, res, out.code === 'no_user' ? 404 : 400, {
        error: USER_ADMIN_KO[out.code],
      });
    return res.redirect(303, '/console/admin/users?done=1');
  });

  // partners
  const showPartners = async (req: Request, res: Response, status = 200, extra: Partial<AdminPage> = {}) => {
    const [partners, linked] = await Promise.all([deps.repos.partners.list(), deps.repos.identities.countByPartner()]);
    send(res, status, partnersPage({ ...base(req), ...extra }, partners, linked));
  };
  router.get('/console/admin/partners', (req, res) =>
    showPartners(req, res, 200, { notice: str(req.query.done) === '1' ? '초대 코드를 회수했습니다.' : undefined }),
  );
  router.post('/console/admin/partners', async (req, res) => {
    const parsed = partnerForm.safeParse(req.body);
    if (!parsed.success) return showPartners(req, res, 400, { error: '기관 이름(2–100자)과 종류를 입력해 주세요.' });
    const partner = await deps.repos.partners.createUnique({ ...parsed.data, now: deps.now() });
    if (partner === 'taken') return showPartners(req, res, 409, { error: '같은 이름의 협약기관이 이미 있습니다.' });
    return showPartners(req, res, 201, {
      notice: html`<p>${withParticle(partner.name, '을/를')} 추가했습니다. 초대 코드: <code class="secret">${formatInviteCode(partner.inviteCode)}</code></p><p>기관의 신고자가 채팅에서 이 코드를 입력하면 연결됩니다.</p>`,
    });
  });
  // a partner's choice whether its workers get news pushes (some agencies forbid work messages off hours)
  router.post('/console/admin/partners/:id/news', async (req: Request<{ id: string }>, res) => {
    const on = str((req.body as Record<string, unknown>).on);
    if (on !== '1' && on !== '0') return showPartners(req, res, 400, { error: '알림 설정 값이 올바르지 않습니다.' });
    const partner = await deps.repos.partners.setNewsPushes(req.params.id, on === '1');
    if (!partner) return showPartners(req, res, 404, { error: '협약기관을 찾을 수 없습니다.' });
    return showPartners(req, res, 200, {
      notice: `${partner.name}: 신고자 소식 알림을 ${partner.newsPushes ? '켰습니다' : '껐습니다 (소식은 다음 대화에서 보여 줍니다)'}.`,
    });
  });
  router.post('/console/admin/partners/:id/edit', async (req: Request<{ id: string }>, res) => {
    const body = req.body as Record<string, unknown>;
    const parsed = partnerEditForm.safeParse({
      name: str(body.name),
      contactName: str(body.contactName),
      contactPhone: str(body.contactPhone).trim(),
    });
    if (!parsed.success)
      return showPartners(req as unknown as Request, res, 400, { error: parsed.error.issues[0]!.message });
    const renamed = await deps.repos.partners.rename(req.params.id, parsed.data.name, deps.now());
    if (!renamed) return showPartners(req as unknown as Request, res, 404, { error: '협약기관을 찾을 수 없습니다.' });
    if (renamed === 'taken')
      return showPartners(req as unknown as Request, res, 409, { error: '같은 이름의 협약기관이 이미 있습니다.' });
    const partner = await deps.repos.partners.setContact(renamed.id, {
      name: parsed.data.contactName || null,
      phone: parsed.data.contactPhone || null,
    });
    return showPartners(req as unknown as Request, res, 200, {
      notice: `${partner?.name ?? parsed.data.name}: 저장했습니다.`,
    });
  });
  // a leaked or passed-around code: a new one, and the old one links nobody from now on
  router.post('/console/admin/partners/:id/code', async (req: Request<{ id: string }>, res) => {
    const partner = await deps.repos.partners.newInviteCode(req.params.id);
    if (!partner)
      return showPartners(req as unknown as Request, res, 404, { error: '사용 중인 협약기관을 찾을 수 없습니다.' });
    return showPartners(req as unknown as Request, res, 200, {
      notice: html`<p>${partner.name}의 새 초대 코드: <code class="secret">${formatInviteCode(partner.inviteCode)}</code></p><p>이전 코드로는 이제 연결되지 않습니다. 이미 연결된 신고자는 그대로 신고할 수 있습니다.</p>`,
    });
  });
  router.post('/console/admin/partners/:id/revoke', async (req: Request<{ id: string }>, res) => {
    const revoked = await deps.repos.partners.revoke(req.params.id, deps.now());
    if (!revoked) return showPartners(req as unknown as Request, res, 404, { error: '협약기관을 찾을 수 없습니다.' });
    return res.redirect(303, '/console/admin/partners?done=1');
  });

  // dong centers' delivery targets
  const showDongs = async (req: Request, res: Response, status = 200, extra: Partial<AdminPage> = {}) => {
    await deps.repos.dongCenters.seed(deps.district.id, deps.district.dongs, deps.now());
    send(res, status, dongsPage({ ...base(req), ...extra }, await deps.repos.dongCenters.list(deps.district.id)));
  };
  router.get('/console/admin/dongs', (req, res) =>
    showDongs(req, res, 200, {
      notice: str(req.query.done)
        ? `${deps.district.dongByCode(str(req.query.done))?.name ?? ''} 전달처를 저장했습니다.`
        : undefined,
    }),
  );
  router.post('/console/admin/dongs/:code', async (req: Request<{ code: string }>, res) => {
    const dong = deps.district.dongByCode(req.params.code);
    if (!dong) return showDongs(req as unknown as Request, res, 404, { error: '이 구에 없는 동입니다.' });
    const body = req.body as Record<string, unknown>;
    const parsed = targetsForm.safeParse({
      slack: str(body.slack).trim(),
      telegram: str(body.telegram).trim(),
      email: str(body.email),
    });
    if (!parsed.success) {
      const field = parsed.error.issues[0]!.path[0] as keyof typeof TARGET_FIELD_KO;
      return showDongs(req as unknown as Request, res, 400, {
        error: `${dong.name}: ${TARGET_FIELD_KO[field] ?? '입력값을 확인해 주세요.'}`,
      });
    }
    const patch: DeliveryTargetsPatch = {
      slackChannel: parsed.data.slack || null,
      telegramChatId: parsed.data.telegram || null,
      emails: parsed.data.email,
    };
    await deps.repos.dongCenters.setTargets(deps.district.id, dong.code, patch, deps.now());
    targetsChanged();
    return res.redirect(303, `/console/admin/dongs?done=${dong.code}`);
  });

  mountListsRoutes(router, deps, base);
}

/** What user administration needs, from the console's dependencies. */
function userAdminDeps(deps: ConsoleDeps<'consoleUsers' | 'passwordResets' | 'sessions'>): UserAdminDeps {
  return {
    users: deps.repos.consoleUsers,
    sessions: deps.repos.sessions,
    resets: deps.repos.passwordResets,
    district: deps.district,
    passwords: deps.auth.passwords,
  };
}

/** The one-time password page: reached without a session, so it is mounted before sign-in is required. */
export function mountPasswordLinkRoutes(
  router: Router,
  deps: ConsoleDeps<
    'consoleUsers' | 'districtLists' | 'dongCenters' | 'identities' | 'partners' | 'passwordResets' | 'sessions'
  >,
): void {
  const userDeps = userAdminDeps(deps);
  const send = (res: Response, status: number, page: string) => res.status(status).type('html').send(page);
  router.get('/console/password/:token', async (req: Request<{ token: string }>, res) => {
    const user = TOKEN.test(req.params.token) ? await linkOwner(userDeps, req.params.token, deps.now()) : undefined;
    send(
      res,
      user ? 200 : 404,
      passwordLinkPage({ username: user?.username, action: `/console/password/${req.params.token}` }),
    );
  });
  router.post('/console/password/:token', async (req: Request<{ token: string }>, res) => {
    const { token } = req.params;
    const body = req.body as Record<string, unknown>;
    const out = TOKEN.test(token)
      ? await usePasswordLink(userDeps, token, str(body.password), str(body.repeat), deps.now())
      : ({ ok: false, code: 'link_used' } as const);
    if (out.ok) return send(res, 200, passwordLinkPage({ done: true, action: '' }));
    if (out.code === 'bad_password') {
      const user = await linkOwner(userDeps, token, deps.now());
      return send(
        res,
        400,
        passwordLinkPage({
          username: user?.username,
          error: USER_ADMIN_KO.bad_password,
          action: `/console/password/${token}`,
        }),
      );
    }
    return send(res, 410, passwordLinkPage({ action: '' }));
  });
}
