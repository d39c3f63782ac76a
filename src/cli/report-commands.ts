import { signLabel } from '../domain/district';
import { districtWithLists } from '../district-with-lists';
import { RECEIPT_NO } from '../domain/receipt';
import { STATUS_LABELS } from '../domain/report/status';
import { seoulDate, seoulMidnight } from '../domain/time';
import { recordCliAccess } from './access-note';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';
import { reportWorkflowUsage, runReportWorkflowCommand } from './report-workflow-commands';
import { withListMatches } from '../domain/list-import/list-match';

export const reportCommands: CommandGroup = {
  usage: `  report list [--dong <name>] [--since <YYYY-MM-DD>]
  report show <receiptNo>
${reportWorkflowUsage}`,
  async run(args, deps) {
    const { config, repos } = deps;
    const first = args.find((a) => !a.startsWith('-'));
    if (first === 'assign' || first === 'visit') return runReportWorkflowCommand(args, deps);
    const { values, positionals } = parseCommandArgs(args, { dong: { type: 'string' }, since: { type: 'string' } });
    const [command, receiptNo] = positionals;
    const district = await districtWithLists(config, repos);

    if (command === 'list') {
      let dongCode: string | undefined;
      if (values.dong) {
        const dong = district.dongByName(values.dong);
        if (!dong)
          throw new UsageError(
            `unknown dong "${values.dong}" in ${district.name}; known: ${district.dongs.map((d) => d.name).join(', ')}`,
          );
        dongCode = dong.code;
      }
      let since: Date | undefined;
      if (values.since !== undefined) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(values.since) || Number.isNaN(seoulMidnight(values.since).getTime())) {
          throw new UsageError('--since takes a date as YYYY-MM-DD');
        }
        since = seoulMidnight(values.since);
      }
      const reports = await repos.reports.list({ district: district.id, dongCode, since });
      await recordCliAccess(deps, {
        action: 'search',
        receiptNos: reports.map((r) => r.receiptNo),
        scope: `report list${values.dong ? ` dong=${dongCode}` : ''}${values.since ? ` since=${values.since}` : ''}`,
      });
      const rows = reports.map((r) => ({
        receiptNo: r.receiptNo,
        receivedAt: r.receivedAt.toISOString(),
        dong: r.assignedDongCode ? (district.dongByCode(r.assignedDongCode)?.name ?? r.assignedDongCode) : null,
        urgency: r.urgency,
        status: r.status,
        partner: r.partner.name,
      }));
      const text = rows.length
        ? rows
            .map(
              (r) =>
                `${r.receiptNo}  ${seoulDate(new Date(r.receivedAt))}  ${(r.dong ?? '미배정').padEnd(6)}  ${r.urgency.padEnd(9)}  ${STATUS_LABELS[r.status]}  ${r.partner}`,
            )
            .join('\n')
        : 'No reports.';
      return { text, json: rows };
    }
    if (command === 'show') {
      if (!receiptNo || !RECEIPT_NO.test(receiptNo))
        throw new UsageError('report show needs a receipt number such as 2026-000123');
      const r = await repos.reports.byReceiptNo(district.id, receiptNo);
      if (!r) throw new UsageError(`no report ${receiptNo} in ${district.name}`);
      await recordCliAccess(deps, { action: 'view', receiptNos: [r.receiptNo], scope: 'report show' });
      const signs = r.signs.map((c) => signLabel(district, c)).join(', ');
      const text = [
        `접수번호 ${r.receiptNo} (${seoulDate(r.receivedAt)}) — ${STATUS_LABELS[r.status]}`,
        `신고 기관: ${r.partner.name} (${r.partner.kind}), 채널 ${r.reporter.channel}`,
        `주소: ${r.address.text}`,
        `관할 동: ${r.address.dongName ?? '미정'} (판정: ${r.address.resolvedBy})`,
        `위기 징후: ${signs}`,
        `대상자: ${r.person.name ?? '모름'} / 나이 ${r.person.age ? JSON.stringify(r.person.age) : '모름'} / 연락처 ${r.person.phone ?? '모름'}`,
        `긴급도: ${r.urgency}`,
        `상황: ${r.situation}`,
        ...withListMatches(r, await repos.reports.listMatchesOf(r.id)).history.map(
          (h) => `  ${h.at.toISOString()} ${h.action} by ${h.by}${h.to ? ` → ${h.to}` : ''}`,
        ),
      ].join('\n');
      return { text, json: r };
    }
    throw new UsageError(`Usage:\n${reportCommands.usage}`);
  },
};
