import { caseOrder, defaultCalendar } from '../domain/casework/next-step';
import { kickAlerts } from '../delivery/alert-kick';
import {
  applyReportAction,
  applyReportActions,
  scopeOf,
  type ActionResult,
  type Actor,
} from '../domain/workflow/apply-action';
import { FIELD_KO, REFUSAL_KO, reportActionSchema, type ReportAction } from '../domain/workflow/report-actions';
import { RECEIPT_NO } from '../domain/receipt';
import { withListMatches } from '../domain/list-import/list-match';
import type { ReportFilter } from '../store/report/report-query';
import type { ConsoleDeps } from './deps';
import { queueItem, reportView } from './report-view';
import { urgentAfterAction } from './urgent-after-action';

/**
 * The console's use cases, shared by the JSON API and the HTML pages, so both answer the same
 * way: scope from the actor, rules from the domain, views by role.
 */
export function reportService(deps: ConsoleDeps<'consoleUsers' | 'reports' | 'onCall' | 'alertTargets'>) {
  const districtId = deps.district.id;
  const afterAction = urgentAfterAction(deps);
  const calendar = defaultCalendar(deps.config.TODAY_VISIT_REPORT_BUSINESS_DAYS);
  const outcome = (actor: Actor, result: ActionResult): ActOutcome => {
    if (result.ok) {
      kickAlerts();
      return { status: 200, report: reportView(result.report, actor, deps.district, deps.now(), calendar) };
    }
    if (result.code === 'not_found') return { status: 404, error: 'not_found' };
    const status =
      result.code === 'forbidden_role'
        ? 403
        : ['unknown_dong', 'unknown_service', 'bad_visit_time', 'bad_revisit_day'].includes(result.code)
          ? 400
          : 409;
    return { status, error: result.code, message: result.reason, messageKo: REFUSAL_KO[result.code] ?? result.reason };
  };
  return {
    async queue(actor: Actor, filter: ReportFilter, page: { skip: number; limit: number }) {
      const now = deps.now();
      const { items, total } = await deps.repos.reports.search(
        scopeOf(actor, districtId),
        filter,
        page,
        caseOrder(now, calendar),
      );
      return { items: items.map((r) => queueItem(r, actor, deps.district, now, calendar)), total };
    },
    /** Every case of a search (up to `limit`), in the queue's order: each queue line with its stored report (the XLSX export). */
    async exportRows(actor: Actor, filter: ReportFilter, limit: number) {
      const now = deps.now();
      const { items, total } = await deps.repos.reports.search(
        scopeOf(actor, districtId),
        filter,
        { skip: 0, limit },
        caseOrder(now, calendar),
      );
      return {
        rows: items.map((r) => ({ report: r, item: queueItem(r, actor, deps.district, now, calendar) })),
        total,
      };
    },
    async detail(actor: Actor, receiptNo: string) {
      if (!RECEIPT_NO.test(receiptNo)) return undefined;
      const report = await deps.repos.reports.inScope(scopeOf(actor, districtId), receiptNo);
      if (!report) return undefined;
      // the lists that named the household, in the timeline (kept beside the report: list-match.ts)
      const shown = withListMatches(report, await deps.repos.reports.listMatchesOf(report.id));
      return reportView(shown, actor, deps.district, deps.now(), calendar);
    },
    /** Validates and applies one action; the outcome carries the HTTP status the API answers. */
    async act(actor: Actor, receiptNo: string, body: unknown): Promise<ActOutcome> {
      if (!RECEIPT_NO.test(receiptNo)) return { status: 404, error: 'not_found' };
      const parsed = reportActionSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error.issues[0]!);
      if (parsed.data.type === 'acknowledge_urgent') {
        // only through the 확인 (src/delivery/urgent-route.ts), whose claim stops the escalation exactly once
        return {
          status: 400,
          error: 'invalid_action',
          message: 'type: acknowledge an urgent alert with POST /console/urgent/<receiptNo>/ack',
          messageKo: '긴급 알림 확인은 확인 버튼으로 해 주세요.',
        };
      }
      if (parsed.data.type === 'set_assignee' && parsed.data.assignee !== null) {
        // only an active call-center account can be in charge of a case
        const user = await deps.repos.consoleUsers.byUsername(parsed.data.assignee);
        if (!user || !user.active || user.role === 'dong')
          return {
            status: 400,
            error: 'unknown_assignee',
            message: 'assignee: not an active call-center user',
            messageKo: REFUSAL_KO.unknown_assignee!,
          };
      }
      const result = await applyReportAction(
        { reports: deps.repos.reports, district: deps.district },
        actor,
        receiptNo,
        parsed.data,
        deps.now(),
      );
      if (result.ok) await afterAction([parsed.data], result.report); // raised to 즉시 위험, or closed: the urgent wait
      return outcome(actor, result);
    },
    /**
     * Several actions applied together or not at all (the case page's one-step form, corrections):
     * every one is validated before any is decided, and all are stored as one revision.
     */
    async actAll(actor: Actor, receiptNo: string, bodies: unknown[]): Promise<ActOutcome & { applied?: string[] }> {
      if (!RECEIPT_NO.test(receiptNo)) return { status: 404, error: 'not_found' };
      const actions: ReportAction[] = [];
      for (const body of bodies) {
        const parsed = reportActionSchema.safeParse(body);
        if (!parsed.success) return invalid(parsed.error.issues[0]!);
        actions.push(parsed.data);
      }
      const result = await applyReportActions(
        { reports: deps.repos.reports, district: deps.district },
        actor,
        receiptNo,
        actions,
        deps.now(),
      );
      if (result.ok) await afterAction(actions, result.report);
      return { ...outcome(actor, result), ...(result.ok ? { applied: result.applied ?? [] } : {}) };
    },
    /** The report as stored (for the pages that decide from its raw fields: corrections, the visit sheet). */
    async stored(actor: Actor, receiptNo: string) {
      if (!RECEIPT_NO.test(receiptNo)) return undefined;
      return deps.repos.reports.inScope(scopeOf(actor, districtId), receiptNo);
    },
    /** Call-center usernames a case can be given to. */
    async counsellors(): Promise<string[]> {
      return (await deps.repos.consoleUsers.list()).filter((u) => u.active && u.role !== 'dong').map((u) => u.username);
    },
  };
}

/** A field the schema refused, in Korean for the page and in English for the API. */
function invalid(issue: { path: PropertyKey[]; message: string }): ActOutcome {
  const hint = FIELD_KO[String(issue.path[0] ?? '')];
  return {
    status: 400,
    error: 'invalid_action',
    message: `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`,
    messageKo: `입력값을 확인해 주세요.${hint ? ` ${hint}` : ''}`,
  };
}

export type ActOutcome =
  | { status: 200; report: ReturnType<typeof reportView> }
  | { status: 404; error: 'not_found' }
  | { status: 400 | 403 | 409; error: string; message: string; messageKo: string };
