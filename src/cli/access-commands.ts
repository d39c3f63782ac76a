import { accessRecordKey } from '../access-record-key';
import {
  ACCESS_ACTION_LABELS,
  pruneCutoff,
  pruneScope,
  verifyChain,
  type AccessRecord,
  type ChainBreak,
} from '../domain/access/access-record';
import { FLAG_LABELS, monthlyReview, monthRange } from '../domain/access/monthly-review';
import { seoulDate } from '../domain/time';
import { recordCliAccess } from './access-note';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

const line = (r: AccessRecord) =>
  `#${r.seq}  ${r.at.toISOString()}  ${r.actor}  ${r.address}  ${r.channel}  ${ACCESS_ACTION_LABELS[r.action] ?? r.action}  ${r.receiptNos.slice(0, 5).join(',')}${r.receiptNos.length > 5 ? `…(+${r.receiptNos.length - 5})` : ''}  ${r.scope}`;

export const accessCommands: CommandGroup = {
  usage: `  access verify [--head <seq>:<hash>]    checks the keyed chain of the access records (and that a head written
                                        down from a monthly review is still there); exit 1 at the first break
  access list --month <YYYY-MM> [--actor <user:name>]
  access review --month <YYYY-MM>        the monthly review: cases per account, outside hours, downloads
  access prune                           removes records older than ACCESS_RECORD_RETENTION_YEARS (never less than 2),
                                        leaving a signed marker of what went and when`,
  async run(args, deps) {
    const { config, repos } = deps;
    const { values, positionals } = parseCommandArgs(args, {
      month: { type: 'string' },
      actor: { type: 'string' },
      head: { type: 'string' },
    });
    const years = Math.max(2, config.ACCESS_RECORD_RETENTION_YEARS);
    const [command] = positionals;
    const now = deps.now?.() ?? new Date();

    if (command === 'verify') {
      const known = values.head ? /^#?(\d+):([0-9a-f]{64})$/.exec(values.head) : undefined;
      if (values.head && !known)
        throw new UsageError('--head takes the head the monthly review printed, such as 1234:9f86d0…');
      const knownHead = known ? { seq: Number(known[1]), hash: known[2]! } : undefined;
      const verdict = await verifyChain(repos.accessRecords.inOrder(), {
        key: accessRecordKey(),
        retentionYears: years,
        knownHead,
      });
      const head = verdict.head ? `#${verdict.head.seq} ${verdict.head.hash}` : 'none';
      if (!verdict.ok) {
        const b = verdict.firstBreak!;
        throw new Error(
          `access records: chain broken at #${b.seq}: ${breakReason(b, years)}; ${verdict.checked - 1} record(s) before it verified (last good: ${head})`,
        );
      }
      const pruned = verdict.prunes
        .map((p) => `#${p.marker.fromSeq}-#${p.marker.throughSeq} pruned ${p.at.toISOString().slice(0, 10)}`)
        .join(', ');
      return {
        text: `access records: ${verdict.checked} record(s) verified${verdict.firstSeq && verdict.firstSeq > 1 ? ` from #${verdict.firstSeq} (earlier ones removed after retention, signed: ${pruned})` : ''}; head ${head}\nWrite the head down with the date (the monthly review prints it): verify --head proves nothing up to it was changed or cut off.`,
        json: verdict,
      };
    }
    if (command === 'list' || command === 'review') {
      const range = monthRange(values.month ?? seoulDate(now).slice(0, 7));
      if (!range) throw new UsageError('--month takes a month such as 2026-11');
      const month = values.month ?? seoulDate(now).slice(0, 7);
      const records = await repos.accessRecords.between(range.from, range.to, { actor: values.actor });
      await recordCliAccess(deps, {
        action: 'review',
        scope: `access ${command} month=${month}${values.actor ? ` actor=${values.actor}` : ''}`,
        rowCount: records.length,
      });
      if (command === 'list')
        return {
          text: records.length ? records.map(line).join('\n') : 'No access records in that month.',
          json: records,
        };
      const review = monthlyReview(month, records, {
        downloads: config.ACCESS_REVIEW_MAX_DOWNLOADS,
        cases: config.ACCESS_REVIEW_MAX_CASES,
      });
      const text = [
        `접속기록 월간 점검 ${month}: 기록 ${review.records}건`,
        '계정                 역할    기록   사례   열람  내려받기  변경  근무시간외  로그인실패',
        ...review.lines.map(
          (l) =>
            `${l.actor.padEnd(20)} ${l.role.padEnd(6)} ${String(l.records).padStart(5)} ${String(l.cases).padStart(6)} ${String(l.views).padStart(6)} ${String(l.downloads).padStart(8)} ${String(l.changes).padStart(6)} ${String(l.outsideHours).padStart(10)} ${String(l.failedSignIns).padStart(10)}`,
        ),
        review.flags.length
          ? `확인 필요:\n${review.flags.map((f) => `  ${f.actor}: ${FLAG_LABELS[f.kind]} ${f.count}건`).join('\n')}`
          : '확인 필요 항목 없음',
        headLine(await repos.accessRecords.head(), now),
      ].join('\n');
      return { text, json: review };
    }
    if (command === 'prune') {
      const before = pruneCutoff(now, years);
      const run = await repos.accessRecords.prunable(before);
      if (!run)
        return {
          text: `No access records older than ${before.toISOString()} (${years} years).`,
          json: { removed: 0, before },
        };
      // the signed marker goes into the chain first: a prune cut short leaves records, never an unexplained gap
      const marker = {
        fromSeq: run.fromSeq,
        throughSeq: run.through.seq,
        lastHash: run.through.hash,
        lastAt: run.through.at,
      };
      await recordCliAccess(deps, {
        action: 'prune',
        scope: pruneScope(marker),
        rowCount: marker.throughSeq - marker.fromSeq + 1,
      });
      const removed = await repos.accessRecords.removeThrough(marker.throughSeq);
      return {
        text: `Removed ${removed} access record(s) #${marker.fromSeq}-#${marker.throughSeq}, older than ${before.toISOString()} (${years} years); a signed marker records it.`,
        json: { removed, before, marker },
      };
    }
    throw new UsageError(`Usage:\n${accessCommands.usage}`);
  },
};

/** The chain's head as the monthly review prints it: to be kept outside the system (paper, the review file). */
export const headLine = (head: { seq: number; hash: string }, at: Date) =>
  `접속기록 체인 끝 (${at.toISOString().slice(0, 10)} 기준, 시스템 밖에 보관하세요): ${head.seq}:${head.hash}`;

function breakReason(b: ChainBreak, years: number): string {
  switch (b.kind) {
    case 'gap':
      return `record #${b.expectedSeq} is missing (next present: #${b.seq})`;
    case 'prev_hash':
      return `record #${b.seq} does not chain to its predecessor`;
    case 'hash':
      return `record #${b.seq} was changed after it was written (or re-signed without the key)`;
    case 'unmarked_gap':
      return `records before #${b.seq} are missing and no signed prune marker names them`;
    case 'early_prune':
      return `prune marker #${b.seq} removed records younger than the ${years}-year retention (or is malformed)`;
    case 'head_mismatch':
      return `the head written down (#${b.seq}) is not in the chain any more: records were changed or cut off`;
  }
}
