import { districtWithLists } from '../district-with-lists';
import { ALERT_WEEK, REPORTER_WEEK } from '../delivery/weekly-delivery';
import {
  CALL_CENTER,
  PRIVACY_LEVELS,
  type AlertTargets,
  type PrivacyLevel,
} from '../domain/alert-target/alert-targets';
import { STAFF_TARGET_KINDS, type TargetKind } from '../domain/weekly/weekly-delivery';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';
import { parseChain, parseHours } from '../delivery/on-call-input';
import { glueNegativeValues, targets } from './dong-commands';

/** "slack=full,email=minimal" → { slack: 'full', email: 'minimal' } */
function privacyArg(v: string | undefined): Partial<Record<TargetKind, PrivacyLevel>> | undefined {
  if (v === undefined) return undefined;
  const out: Partial<Record<TargetKind, PrivacyLevel>> = {};
  for (const pair of v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kind, level] = pair.split('=');
    if (
      !(STAFF_TARGET_KINDS as readonly string[]).includes(kind as TargetKind) ||
      !PRIVACY_LEVELS.includes(level as PrivacyLevel)
    ) {
      throw new UsageError(
        `--privacy takes target=level pairs such as slack=minimal,email=full (targets: ${STAFF_TARGET_KINDS.join(', ')}; levels: ${PRIVACY_LEVELS.join(', ')})`,
      );
    }
    out[kind as TargetKind] = level as PrivacyLevel;
  }
  return out;
}

const line = (name: string, t: AlertTargets) =>
  `${name}  slack ${t.slackChannel ?? '-'} (${t.privacy.slack})  telegram ${t.telegramChatId ?? '-'} (${t.privacy.telegram})  email ${t.emails.join(', ') || '-'} (${t.privacy.email})`;

export const alertCommands: CommandGroup = {
  usage: `  alerts target [--slack <channel id>] [--telegram <chat id>] [--email <a@b,c@d>] [--privacy slack=full,telegram=minimal,email=full]
  alerts target --dong <name> --privacy slack=full,...     (a dong center's targets are set with "dong set")
  alerts show
  alerts oncall [--hours 18:00-09:00] [--off-days yes|no] [--chain "webhook https://…; telegram -100…; email a@b"] [--privacy minimal|full]
                                                             (당직: out-of-hours urgent alerts; the chain's first is on call, the rest the escalation list)
  alerts log [--hours 24]                                    (every alert delivery: sent / failed / retry time)`,
  async run(args, { config, repos, now }) {
    const { values, positionals } = parseCommandArgs(glueNegativeValues(args, ['--telegram']), {
      slack: { type: 'string' },
      telegram: { type: 'string' },
      email: { type: 'string' },
      privacy: { type: 'string' },
      dong: { type: 'string' },
      hours: { type: 'string' },
      'off-days': { type: 'string' },
      chain: { type: 'string' },
    });
    const district = await districtWithLists(config, repos);
    const at = now?.() ?? new Date();
    const [command] = positionals;
    if (command === 'target') {
      const dong = values.dong !== undefined ? district.dongByName(values.dong) : undefined;
      if (values.dong !== undefined && !dong)
        throw new UsageError(`unknown dong "${values.dong}": ${district.dongs.map((d) => d.name).join(', ')}`);
      const parsed = targets.safeParse(values);
      if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
      if (dong && (values.slack !== undefined || values.telegram !== undefined || values.email !== undefined)) {
        throw new UsageError('a dong center\'s targets are set with "dong set"; here only --privacy');
      }
      const patch: Parameters<typeof repos.alertTargets.set>[2] = {};
      if (parsed.data.slack !== undefined) patch.slackChannel = parsed.data.slack || null;
      if (parsed.data.telegram !== undefined) patch.telegramChatId = parsed.data.telegram || null;
      if (parsed.data.email !== undefined) patch.emails = parsed.data.email;
      const privacy = privacyArg(values.privacy);
      if (privacy) patch.privacy = privacy;
      if (!Object.keys(patch).length) throw new UsageError(`Usage:\n${alertCommands.usage}`);
      const saved = await repos.alertTargets.set(district.id, dong?.code ?? CALL_CENTER, patch, at);
      return { text: `Updated: ${line(dong?.name ?? '콜센터', saved)}`, json: saved };
    }
    if (command === 'oncall') {
      const current = await repos.onCall.setup(district.id);
      const patch: Parameters<typeof repos.onCall.saveSetup>[1] = {};
      if (values.hours !== undefined || values['off-days'] !== undefined) {
        const off = values['off-days'];
        if (off !== undefined && off !== 'yes' && off !== 'no') throw new UsageError('--off-days takes yes or no');
        const hours = parseHours(
          values.hours ?? `${current.hours.from}-${current.hours.to}`,
          off === undefined ? current.hours.offDays : off === 'yes',
        );
        if (!hours.ok) throw new UsageError(`--${hours.error.message}`);
        patch.hours = hours.hours;
      }
      if (values.chain !== undefined) {
        const chain = parseChain(values.chain.split(';'));
        if (!chain.ok) throw new UsageError(`--chain ${chain.error.message}`);
        patch.chain = chain.chain;
      }
      if (values.privacy !== undefined) {
        if (values.privacy !== 'full' && values.privacy !== 'minimal')
          throw new UsageError('--privacy takes minimal or full here');
        patch.privacy = values.privacy;
      }
      const saved = Object.keys(patch).length ? await repos.onCall.saveSetup(district.id, patch, at) : current;
      const chainText = saved.chain.length
        ? saved.chain.map((t, i) => `  ${i === 0 ? 'on call ' : `step ${i}  `} ${t.kind} ${t.address}`).join('\n')
        : '  (none: urgent reports out of hours wait for the next business day)';
      return {
        text: `${Object.keys(patch).length ? 'Updated. ' : ''}On-call hours: weekdays ${saved.hours.from}-${saved.hours.to}${saved.hours.offDays ? ', weekends and holidays all day' : ''}; privacy ${saved.privacy}\n${chainText}`,
        json: saved,
      };
    }
    if (command === 'show') {
      const all = await repos.alertTargets.all(district.id);
      const cc = all.get(CALL_CENTER) ?? (await repos.alertTargets.of(district.id, CALL_CENTER));
      const rows = [
        line('콜센터', cc),
        ...[...all.values()]
          .filter((t) => t.owner !== CALL_CENTER)
          .map((t) => line(`${district.dongByCode(t.owner)?.name ?? t.owner} (privacy)`, t)),
      ];
      return { text: rows.join('\n'), json: [...all.values()] };
    }
    if (command === 'log') {
      const hours = values.hours === undefined ? 24 : Number(values.hours);
      if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 90)
        throw new UsageError('--hours takes a whole number of hours (1–2160)');
      const since = new Date(at.getTime() - hours * 3_600_000);
      // staff alerts and the pushes of reporters' news (docs/reporter-news.md), newest first
      const list = [
        ...(await repos.weeklyDeliveries.recentOfWeek(district.id, ALERT_WEEK, since)),
        ...(await repos.weeklyDeliveries.recentOfWeek(district.id, REPORTER_WEEK, since)),
      ].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      const who = (owner: string) =>
        owner === CALL_CENTER
          ? '콜센터'
          : owner === 'reporter'
            ? '신고자'
            : owner === 'oncall'
              ? '당직'
              : (district.dongByCode(owner)?.name ?? owner);
      const text = list.length
        ? list
            .map(
              (d) =>
                `${d.createdAt.toISOString()}  ${d.run.padEnd(40)}  → ${who(d.dongCode).padEnd(6)} ${d.target.padEnd(8)}  ${d.status.padEnd(7)}  attempts ${d.attempts}${d.sentAt ? `  sent ${d.sentAt.toISOString()}` : ''}${d.lastError ? `  last error: ${d.lastError}` : ''}${d.nextAttemptAt ? `  retry at ${d.nextAttemptAt.toISOString()}` : ''}`,
            )
            .join('\n')
        : `No alerts in the last ${hours} hours.`;
      return { text, json: list };
    }
    throw new UsageError(`Usage:\n${alertCommands.usage}`);
  },
};
