import { districtWithLists } from '../district-with-lists';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { sendersFromConfig } from '../delivery/senders';
import { deliverWeek } from '../delivery/weekly-delivery';
import type { District } from '../domain/district';
import { summaryCsv, weeklyListCsv } from '../domain/weekly/csv';
import { buildDistrictSummary } from '../domain/weekly/district-summary';
import { parseWeek, type IsoWeek } from '../domain/weekly/iso-week';
import { summaryText, weeklyListText } from '../domain/weekly/text';
import { buildWeeklyList } from '../domain/weekly/weekly-list';
import { summaryXlsx, weeklyListXlsx } from '../sheets/weekly-xlsx';
import { recordCliAccess } from './access-note';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

const FORMATS = ['xlsx', 'csv', 'text'] as const;

function weekArg(value: string | undefined): IsoWeek {
  const week = value ? parseWeek(value) : undefined;
  if (!week)
    throw new UsageError(`--week takes an ISO week such as 2026-W47 (got ${value ? `"${value}"` : 'nothing'})`);
  return week;
}

function dongArg(district: District, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const dong = district.dongByName(value);
  if (!dong)
    throw new UsageError(
      `unknown dong "${value}" in ${district.name}; known: ${district.dongs.map((d) => d.name).join(', ')}`,
    );
  return dong.code;
}

export const summaryCommands: CommandGroup = {
  usage: `  summary weekly --week <YYYY-Www> [--dong <name>] --format <xlsx|csv|text> [--out <file>]
      with --dong: that center's list; without: the district summary per dong and partner
  summary send --week <YYYY-Www> [--dong <name>] [--force]     deliver now (again only with --force)
  summary deliveries --week <YYYY-Www>                          what was delivered, failed, retried`,
  async run(args, adminDeps) {
    const { config, repos, now } = adminDeps;
    const { values, positionals } = parseCommandArgs(args, {
      week: { type: 'string' },
      dong: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    });
    const [command] = positionals;
    const district = await districtWithLists(config, repos);
    const deps = { reports: repos.reports, district };

    if (command === 'weekly') {
      const week = weekArg(values.week);
      const dongCode = dongArg(district, values.dong);
      const format = values.format ?? 'text';
      if (!(FORMATS as readonly string[]).includes(format))
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
      if (format === 'xlsx' && !values.out) throw new UsageError('--format xlsx needs --out <file>');
      let body: string | Buffer;
      let json: Record<string, unknown>;
      if (dongCode) {
        const list = await buildWeeklyList(deps, dongCode, week);
        body =
          format === 'xlsx'
            ? await weeklyListXlsx(list)
            : format === 'csv'
              ? weeklyListCsv(list)
              : weeklyListText(list);
        json = { week: week.id, dong: list.dong.name, thisWeek: list.thisWeek.length, carried: list.carried.length };
        const receiptNos = [...list.thisWeek, ...list.carried].map((r) => r.receiptNo);
        await recordCliAccess(adminDeps, {
          action: 'export',
          receiptNos,
          scope: `summary weekly week=${week.id} dong=${dongCode}`,
          detail: format,
        });
      } else {
        const summary = await buildDistrictSummary(deps, week);
        body =
          format === 'xlsx'
            ? await summaryXlsx(summary)
            : format === 'csv'
              ? summaryCsv(summary)
              : summaryText(summary);
        json = { week: week.id, total: summary.total, byDong: summary.byDong, byPartner: summary.byPartner };
        await recordCliAccess(adminDeps, {
          action: 'export',
          scope: `summary weekly week=${week.id} district-summary`,
          rowCount: summary.byDong.length + summary.byPartner.length,
          detail: format,
        });
      }
      if (!values.out) return { text: String(body), json: { ...json, content: String(body) } };
      await writeFile(values.out, body);
      return {
        text: `Wrote ${values.out} (${week.id}${values.dong ? `, ${values.dong}` : ', district summary'})`,
        json: { ...json, file: values.out },
      };
    }
    if (command === 'send') {
      const week = weekArg(values.week);
      const dongCode = dongArg(district, values.dong);
      await repos.dongCenters.seed(district.id, district.dongs, now?.() ?? new Date());
      const results = await deliverWeek(
        {
          repos,
          district,
          senders: sendersFromConfig(config),
          owner: `admin-cli:${hostname()}:${process.pid}`,
          now: now ?? (() => new Date()),
        },
        week,
        { dongCodes: dongCode ? [dongCode] : undefined, force: values.force ?? false },
      );
      await recordCliAccess(adminDeps, {
        action: 'export',
        scope: `summary send week=${week.id}${dongCode ? ` dong=${dongCode}` : ''}`,
        rowCount: results.length,
        detail: values.force ? 'force' : '',
      });
      const text = results.length
        ? results
            .map(
              (r) => `${r.dongName.padEnd(6)}  ${r.target.padEnd(8)}  ${r.outcome}${r.error ? `  (${r.error})` : ''}`,
            )
            .join('\n')
        : 'No delivery targets are set (see: dong set).';
      return { text, json: results };
    }
    if (command === 'deliveries') {
      const week = weekArg(values.week);
      const list = await repos.weeklyDeliveries.ofWeek(district.id, week.id);
      const name = (code: string) => district.dongByCode(code)?.name ?? code;
      const text = list.length
        ? list
            .map(
              (d) =>
                `${name(d.dongCode).padEnd(6)}  ${d.target.padEnd(8)}  ${d.status.padEnd(7)}  attempts ${d.attempts}  ${d.sentAt?.toISOString() ?? '-'}  ${d.run}${d.lastError ? `  last error: ${d.lastError}` : ''}${d.nextAttemptAt ? `  retry at ${d.nextAttemptAt.toISOString()}` : ''}`,
            )
            .join('\n')
        : `No deliveries recorded for ${week.id}.`;
      return { text, json: list };
    }
    throw new UsageError(`Usage:\n${summaryCommands.usage}`);
  },
};
