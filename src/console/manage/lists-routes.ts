import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import {
  LIST_NAMES,
  LISTS_KO,
  listsOf,
  saveListsChange,
  type ListName,
  type ListsChange,
} from '../../domain/district-lists';
import type { AuthedRequest } from '../auth';
import type { ConsoleDeps } from '../deps';
import { listsPage } from './lists-view';
import type { AdminPage } from './views';

const CODE = /^[a-z_]{1,40}$/;
const itemForm = z.object({
  label: z.string().max(200).default(''),
  labelEn: z.string().max(200).optional(),
  active: z.literal('1').optional(),
});
const days = z
  .string()
  .trim()
  .regex(/^\d{1,3}$/)
  .transform(Number);
const cadenceForm = z.object({ high: days, medium: days, low: days, none: days });
const isList = (s: string): s is ListName => (LIST_NAMES as readonly string[]).includes(s);
const SAVED: Record<ListName | 'cadence', string> = {
  signs: '위기 징후를 저장했습니다.',
  services: '연계 서비스를 저장했습니다.',
  cadence: '안부확인 주기를 저장했습니다.',
};

/** The district lists editor under /console/admin/lists (admins only: mounted behind the admin guard). */
export function mountListsRoutes(
  router: Router,
  deps: ConsoleDeps<'districtLists'>,
  base: (req: Request) => AdminPage,
): void {
  const listsDeps = { lists: deps.repos.districtLists, district: deps.district };
  const show = async (req: Request, res: Response, status: number, extra: Partial<AdminPage> = {}) => {
    const latest = await deps.repos.districtLists.latest(deps.district.id);
    res
      .status(status)
      .type('html')
      .send(listsPage({ ...base(req), ...extra }, latest?.lists ?? listsOf(deps.district), latest));
  };
  const save = async (req: Request, res: Response, change: ListsChange, saved: string) => {
    const { auth } = req as AuthedRequest;
    const out = await saveListsChange(listsDeps, change, auth.actor.id, deps.now());
    if (!out.ok)
      return show(req, res, out.code === 'no_item' ? 404 : out.code === 'busy' ? 409 : 400, {
        error: LISTS_KO[out.code],
      });
    return res.redirect(303, `/console/admin/lists?done=${saved}`);
  };

  router.get('/console/admin/lists', (req, res) => {
    const done =
      typeof req.query.done === 'string' && req.query.done in SAVED
        ? SAVED[req.query.done as keyof typeof SAVED]
        : undefined;
    return show(req, res, 200, { notice: done });
  });
  router.post('/console/admin/lists/:list', async (req: Request<{ list: string }>, res) => {
    const r = req as unknown as Request;
    const { list } = req.params;
    if (list === 'cadence') {
      const parsed = cadenceForm.safeParse(req.body);
      if (!parsed.success) return show(r, res, 400, { error: LISTS_KO.bad_cadence });
      return save(r, res, { kind: 'cadence', days: parsed.data }, 'cadence');
    }
    if (!isList(list)) return show(r, res, 404, { error: LISTS_KO.no_item });
    const parsed = itemForm.safeParse(req.body);
    if (!parsed.success) return show(r, res, 400, { error: LISTS_KO.bad_label });
    return save(r, res, { kind: 'add', list, label: parsed.data.label, labelEn: parsed.data.labelEn }, list);
  });
  router.post('/console/admin/lists/:list/:code', async (req: Request<{ list: string; code: string }>, res) => {
    const r = req as unknown as Request;
    const { list, code } = req.params;
    if (!isList(list) || !CODE.test(code)) return show(r, res, 404, { error: LISTS_KO.no_item });
    const parsed = itemForm.safeParse(req.body);
    if (!parsed.success) return show(r, res, 400, { error: LISTS_KO.bad_label });
    return save(
      r,
      res,
      {
        kind: 'edit',
        list,
        code,
        label: parsed.data.label,
        labelEn: parsed.data.labelEn,
        active: parsed.data.active === '1',
      },
      list,
    );
  });
}
