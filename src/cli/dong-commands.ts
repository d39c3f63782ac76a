import { z } from 'zod';
import { loadDistrict } from '../domain/district';
import { targetFields } from '../domain/target-address';
import type { DeliveryTargetsPatch, DongCenter } from '../domain/dong-center/dong-center';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

/** `--telegram -100123`: parseArgs would read the negative id as an option, so glue it on. */
export function glueNegativeValues(args: string[], options: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (options.includes(a) && args[i + 1]?.startsWith('-') && /^-\d/.test(args[i + 1]!)) out.push(`${a}=${args[++i]}`);
    else out.push(a);
  }
  return out;
}

const fields = targetFields({
  messages: {
    slack: '--slack takes a Slack channel id such as C0123456789',
    telegram: '--telegram takes a chat id such as -1001234567890 or @channelname',
    email: '--email takes e-mail addresses separated by commas',
  },
});
/** `--slack`, `--telegram`, `--email` (also of `alert targets`); an empty value ("") clears the target. */
export const targets = z.object({
  slack: fields.slack.optional(),
  telegram: fields.telegram.optional(),
  email: fields.email.optional(),
});

const centerJson = (c: DongCenter) => ({
  code: c.code,
  name: c.name,
  slackChannel: c.slackChannel,
  telegramChatId: c.telegramChatId,
  emails: c.emails,
});
const centerLine = (c: DongCenter) =>
  `${c.code}  ${c.name.padEnd(6)}  slack ${c.slackChannel ?? '-'}  telegram ${c.telegramChatId ?? '-'}  email ${c.emails.join(', ') || '-'}`;

export const dongCommands: CommandGroup = {
  usage: `  dong list
  dong set <name> [--slack <channel id>] [--telegram <chat id>] [--email <a@b,c@d>]   ("" clears one)`,
  async run(args, { config, repos, now }) {
    const { values, positionals } = parseCommandArgs(glueNegativeValues(args, ['--telegram']), {
      slack: { type: 'string' },
      telegram: { type: 'string' },
      email: { type: 'string' },
    });
    const [command, name] = positionals;
    const district = loadDistrict(config.DISTRICT);
    const at = now?.() ?? new Date();
    // the centers come from the district data; seeding is idempotent, so every command can do it
    await repos.dongCenters.seed(district.id, district.dongs, at);

    if (command === 'list') {
      const list = await repos.dongCenters.list(district.id);
      return { text: list.map(centerLine).join('\n'), json: list.map(centerJson) };
    }
    if (command === 'set') {
      const dong = name ? district.dongByName(name) : undefined;
      if (!dong)
        throw new UsageError(
          `dong set needs a dong of ${district.name}: ${district.dongs.map((d) => d.name).join(', ')}`,
        );
      const parsed = targets.safeParse(values);
      if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
      const patch: DeliveryTargetsPatch = {};
      if (parsed.data.slack !== undefined) patch.slackChannel = parsed.data.slack || null;
      if (parsed.data.telegram !== undefined) patch.telegramChatId = parsed.data.telegram || null;
      if (parsed.data.email !== undefined) patch.emails = parsed.data.email;
      if (!Object.keys(patch).length)
        throw new UsageError('dong set needs at least one of --slack, --telegram, --email');
      const center = await repos.dongCenters.setTargets(district.id, dong.code, patch, at);
      return { text: `Updated: ${centerLine(center!)}`, json: centerJson(center!) };
    }
    throw new UsageError(`Usage:\n${dongCommands.usage}`);
  },
};
