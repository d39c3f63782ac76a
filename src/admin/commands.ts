import { z } from 'zod';
import type { Config } from '../config';
import { loadDistrict } from '../domain/district';
import { RECEIPT_NO } from '../domain/receipt';
import { STATUS_LABELS } from '../domain/report-status';
import { seoulDate, seoulMidnight } from '../domain/time';
import type { Repositories } from '../services';
import { formatInviteCode, PARTNER_KINDS, type Partner } from '../store/partner/partner';

export class UsageError extends Error {}

export interface CommandOutput {
  text: string;
  json: unknown;
}

type Options = { name?: string; kind?: string; dong?: string; since?: string };

export const USAGE = `Usage: npm run admin -- <command> [--json]
  partner add --name <name> --kind <${PARTNER_KINDS.join('|')}>
  partner list
  partner revoke <id>
  report list [--dong <name>] [--since <YYYY-MM-DD>]
  report show <receiptNo>`;

const partnerJson = (p: Partner) => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  inviteCode: formatInviteCode(p.inviteCode),
  active: p.active,
});

const addPartner = z.object({
  name: z.string().trim().min(1, '--name is required').max(100),
  kind: z.enum(PARTNER_KINDS, { message: `--kind must be one of ${PARTNER_KINDS.join(', ')}` }),
});

export async function runAdminCommand(
  deps: { config: Config; repos: Repositories; now?: () => Date },
  positionals: string[],
  opts: Options,
): Promise<CommandOutput> {
  const { repos } = deps;
  const now = deps.now?.() ?? new Date();
  const district = loadDistrict(deps.config.DISTRICT);
  const [group, command, arg] = positionals;

  if (group === 'partner' && command === 'add') {
    const parsed = addPartner.safeParse(opts);
    if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
    const p = await repos.partners.create({ ...parsed.data, now });
    const { active: _active, ...json } = partnerJson(p);
    return { text: `Partner created: ${p.name} (${p.kind})\nid: ${p.id}\ninvite code: ${json.inviteCode}`, json };
  }
  if (group === 'partner' && command === 'list') {
    const list = (await repos.partners.list()).map(partnerJson);
    return {
      text: list.length ? list.map((p) => `${p.id}  ${p.active ? 'active ' : 'revoked'}  ${p.inviteCode}  ${p.kind.padEnd(9)}  ${p.name}`).join('\n') : 'No partners yet.',
      json: list,
    };
  }
  if (group === 'partner' && command === 'revoke') {
    if (!arg) throw new UsageError('partner revoke needs the partner id (see partner list)');
    const p = await repos.partners.revoke(arg, now);
    if (!p) throw new UsageError(`no partner with id ${arg}`);
    return { text: `Revoked ${p.name}: its invite code no longer works and its users can no longer file.`, json: partnerJson(p) };
  }
  if (group === 'report' && command === 'list') {
    let dongCode: string | undefined;
    if (opts.dong) {
      const dong = district.dongByName(opts.dong);
      if (!dong) throw new UsageError(`unknown dong "${opts.dong}" in ${district.name}; known: ${district.dongs.map((d) => d.name).join(', ')}`);
      dongCode = dong.code;
    }
    let since: Date | undefined;
    if (opts.since) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.since) || Number.isNaN(seoulMidnight(opts.since).getTime())) {
        throw new UsageError('--since takes a date as YYYY-MM-DD');
      }
      since = seoulMidnight(opts.since);
    }
    const reports = await repos.reports.list({ district: district.id, dongCode, since });
    const rows = reports.map((r) => ({
      receiptNo: r.receiptNo,
      receivedAt: r.receivedAt.toISOString(),
      dong: r.assignedDongCode ? (district.dongByCode(r.assignedDongCode)?.name ?? r.assignedDongCode) : null,
      urgency: r.urgency,
      status: r.status,
      partner: r.partner.name,
    }));
    const text = rows.length
      ? rows.map((r) => `${r.receiptNo}  ${seoulDate(new Date(r.receivedAt))}  ${(r.dong ?? '미배정').padEnd(6)}  ${r.urgency.padEnd(9)}  ${STATUS_LABELS[r.status]}  ${r.partner}`).join('\n')
      : 'No reports.';
    return { text, json: rows };
  }
  if (group === 'report' && command === 'show') {
    if (!arg || !RECEIPT_NO.test(arg)) throw new UsageError('report show needs a receipt number such as 2026-000123');
    const r = await repos.reports.byReceiptNo(district.id, arg);
    if (!r) throw new UsageError(`no report ${arg} in ${district.name}`);
    const signs = r.signs.map((c) => district.signs.find((s) => s.code === c)?.label ?? c).join(', ');
    const text = [
      `접수번호 ${r.receiptNo} (${seoulDate(r.receivedAt)}) — ${STATUS_LABELS[r.status]}`,
      `신고 기관: ${r.partner.name} (${r.partner.kind}), 채널 ${r.reporter.channel}`,
      `주소: ${r.address.text}`,
      `관할 동: ${r.address.dongName ?? '미정'} (판정: ${r.address.resolvedBy})`,
      `위기 징후: ${signs}`,
      `대상자: ${r.person.name ?? '모름'} / 나이 ${r.person.age ? JSON.stringify(r.person.age) : '모름'} / 연락처 ${r.person.phone ?? '모름'}`,
      `긴급도: ${r.urgency}`,
      `상황: ${r.situation}`,
      ...r.history.map((h) => `  ${h.at.toISOString()} ${h.action} by ${h.by}${h.to ? ` → ${h.to}` : ''}`),
    ].join('\n');
    return { text, json: r };
  }
  throw new UsageError(USAGE);
}
