import { ACCESS_ACTION_LABELS, verifyChain, type AccessRecord } from '../domain/access/access-record';
import { FLAG_LABELS, monthlyReview, monthRange } from '../domain/access/monthly-review';
import { seoulDate } from '../domain/time';
import { recordCliAccess } from './access-note';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

const line = (r: AccessRecord) =>
  `#${r.seq}  ${r.at.toISOString()}  ${r.actor}  ${r.address}  ${r.channel}  ${ACCESS_ACTION_LABELS[r.action] ?? r.action}  ${r.receiptNos.slice(0, 5).join(',')}${r.receiptNos.length > 5 ? `…(+${r.receiptNos.length - 5})` : ''}  ${r.scope}`;

export const accessCommands: CommandGroup = {
  usage: `  access verify                         checks the hash chain of the access records; exit 1 at the first break
  access list --month <YYYY-MM> [--actor <user:name>]
  access review --month <YYYY-MM>        the monthly review: cases per account, outside hours, downloads
  access prune                           removes records older than ACCESS_RECORD_RETENTION_YEARS (never less than 2)`,
  async run(args, deps) {
    const { config, repos } = deps;
    const { values, positionals } = parseCommandArgs(args, { month: { type: 'string' }, actor: { type: 'string' } });
    const [command] = positionals;
    const now = deps.now?.() ?? new Date();

    if (command === 'verify') {
      const verdict = await verifyChain(repos.accessRecords.inOrder());
      const head = verdict.head ? `#${verdict.head.seq} ${verdict.head.hash}` : 'none';
      if (!verdict.ok) {
        const b = verdict.firstBreak!;
        const why = b.kind === 'gap' ? `record #${b.expectedSeq} is missing (next present: #${b.seq})` : b.kind === 'prev_hash' ? `record #${b.seq} does not chain to its predecessor` : `record #${b.seq} was changed after it was written`;
        throw new Error(`access records: chain broken at #${b.seq}: ${why}; ${verdict.checked - 1} record(s) before it verified (last good: ${head})`);
      }
      return {
        text: `access records: ${verdict.checked} record(s) verified${verdict.firstSeq && verdict.firstSeq > 1 ? ` from #${verdict.firstSeq} (earlier ones pruned after retention)` : ''}; head ${head}\nWrite the head down with the date: a later verify proves nothing before it was changed.`,
        json: verdict,
      };
    }
    if (command === 'list' || command === 'review') {
      const range = monthRange(values.month ?? seoulDate(now).slice(0, 7));
      if (!range) throw new UsageError('--month takes a month such as 2026-11');
      const month = values.month ?? seoulDate(now).slice(0, 7);
      const records = await repos.accessRecords.between(range.from, range.to, { actor: values.actor });
      await recordCliAccess(deps, { action: 'review', scope: `access ${command} month=${month}${values.actor ? ` actor=${values.actor}` : ''}`, rowCount: records.length });
      if (command === 'list') return { text: records.length ? records.map(line).join('\n') : 'No access records in that month.', json: records };
      const review = monthlyReview(month, records, { downloads: config.ACCESS_REVIEW_MAX_DOWNLOADS, cases: config.ACCESS_REVIEW_MAX_CASES });
      const text = [
        `접속기록 월간 점검 ${month}: 기록 ${review.records}건`,
        '계정                 역할    기록   사례   열람  내려받기  변경  근무시간외  로그인실패',
        ...review.lines.map((l) => `${l.actor.padEnd(20)} ${l.role.padEnd(6)} ${String(l.records).padStart(5)} ${String(l.cases).padStart(6)} ${String(l.views).padStart(6)} ${String(l.downloads).padStart(8)} ${String(l.changes).padStart(6)} ${String(l.outsideHours).padStart(10)} ${String(l.failedSignIns).padStart(10)}`),
        review.flags.length ? `확인 필요:\n${review.flags.map((f) => `  ${f.actor}: ${FLAG_LABELS[f.kind]} ${f.count}건`).join('\n')}` : '확인 필요 항목 없음',
      ].join('\n');
      return { text, json: review };
    }
    if (command === 'prune') {
      const years = Math.max(2, config.ACCESS_RECORD_RETENTION_YEARS);
      const before = new Date(now);
      before.setUTCFullYear(before.getUTCFullYear() - years);
      const removed = await repos.accessRecords.prune(before);
      return { text: `Removed ${removed} access record(s) older than ${before.toISOString()} (${years} years).`, json: { removed, before } };
    }
    throw new UsageError(`Usage:\n${accessCommands.usage}`);
  },
};
