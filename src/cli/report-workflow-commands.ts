import { districtWithLists } from '../district-with-lists';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { RECEIPT_NO } from '../domain/receipt';
import { STATUS_LABELS } from '../domain/report/status';
import { recordCliAccess } from './access-note';
import { applyReportAction, type Actor } from '../domain/workflow/apply-action';
import { REFUSAL_KO, reportActionSchema, type ReportAction } from '../domain/workflow/report-actions';
import { parseCommandArgs, UsageError, type AdminDeps, type CommandOutput } from './command';

export const reportWorkflowUsage = `  report assign <receiptNo> --dong <name>
  report visit <receiptNo> --reached yes|no --result <text> [--support <text>] --entered yes|no --crisis high|medium|low|none --follow-up yes|no`;

const yesNo = (flag: string) =>
  z.enum(['yes', 'no'], { message: `${flag} takes yes or no` }).transform((v) => v === 'yes');

const visitOptions = z.object({
  reached: yesNo('--reached'),
  result: z.string({ message: '--result is required' }),
  support: z.string().optional(),
  entered: yesNo('--entered'),
  crisis: z.enum(['high', 'medium', 'low', 'none'], { message: '--crisis takes high, medium, low or none' }),
  'follow-up': yesNo('--follow-up'),
});

/** `report assign` and `report visit`: the CLI side of applyReportAction, which holds the rules. */
export async function runReportWorkflowCommand(args: string[], deps: AdminDeps): Promise<CommandOutput> {
  const { config, repos, now } = deps;
  const { values, positionals } = parseCommandArgs(args, {
    dong: { type: 'string' },
    reached: { type: 'string' },
    result: { type: 'string' },
    support: { type: 'string' },
    entered: { type: 'string' },
    crisis: { type: 'string' },
    'follow-up': { type: 'string' },
  });
  const [command, receiptNo] = positionals;
  const district = await districtWithLists(config, repos);
  if (!receiptNo || !RECEIPT_NO.test(receiptNo))
    throw new UsageError(`report ${command} needs a receipt number such as 2026-000123`);

  let candidate: unknown;
  if (command === 'assign') {
    const dong = values.dong ? district.dongByName(values.dong) : undefined;
    if (!dong)
      throw new UsageError(`--dong takes a dong of ${district.name}: ${district.dongs.map((d) => d.name).join(', ')}`);
    candidate = { type: 'assign', dongCode: dong.code };
  } else {
    const v = visitOptions.safeParse(values);
    if (!v.success) throw new UsageError(v.error.issues[0]!.message);
    candidate = {
      type: 'visit_result',
      reached: v.data.reached,
      investigationResult: v.data.result,
      supportProvided: v.data.support,
      enteredInSystem: v.data.entered,
      crisisLevel: v.data.crisis,
      followUpNeeded: v.data['follow-up'],
    };
  }
  const action = reportActionSchema.safeParse(candidate);
  if (!action.success)
    throw new UsageError(
      `invalid ${command}: ${action.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );

  const actor: Actor = { id: `admin:${userInfo().username}`, role: 'admin' };
  const result = await applyReportAction(
    { reports: repos.reports, district },
    actor,
    receiptNo,
    action.data as ReportAction,
    now?.() ?? new Date(),
  );
  if (!result.ok) {
    if (result.code === 'not_found') throw new UsageError(`no report ${receiptNo} in ${district.name}`);
    throw new UsageError(`${REFUSAL_KO[result.code] ?? result.code} (${result.reason})`);
  }
  const r = result.report;
  await recordCliAccess(deps, {
    action: 'change',
    receiptNos: [r.receiptNo],
    scope: `report ${command}`,
    detail: action.data.type,
  });
  const dongName = r.assignedDongCode
    ? (district.dongByCode(r.assignedDongCode)?.name ?? r.assignedDongCode)
    : '미배정';
  return {
    text: `${r.receiptNo}: ${STATUS_LABELS[r.status]} — 관할 동 ${dongName}`,
    json: { receiptNo: r.receiptNo, status: r.status, assignedDongCode: r.assignedDongCode, visit: r.visit ?? null },
  };
}
