import { z } from 'zod';
import { formatInviteCode, PARTNER_KINDS, type Partner } from '../domain/partner/partner';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

const partnerJson = (p: Partner) => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  inviteCode: formatInviteCode(p.inviteCode),
  active: p.active,
});

const addOptions = z.object({
  name: z.string({ message: '--name is required' }).trim().min(1, '--name is required').max(100),
  kind: z.enum(PARTNER_KINDS, { message: `--kind must be one of ${PARTNER_KINDS.join(', ')}` }),
});

export const partnerCommands: CommandGroup = {
  usage: `  partner add --name <name> --kind <${PARTNER_KINDS.join('|')}>
  partner list
  partner revoke <id>
  partner news <id> on|off`,
  async run(args, { repos, now }) {
    const { values, positionals } = parseCommandArgs(args, { name: { type: 'string' }, kind: { type: 'string' } });
    const [command, id] = positionals;
    const at = now?.() ?? new Date();
    if (command === 'add') {
      const parsed = addOptions.safeParse(values);
      if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
      const p = await repos.partners.create({ ...parsed.data, now: at });
      const { active: _active, ...json } = partnerJson(p);
      return { text: `Partner created: ${p.name} (${p.kind})\nid: ${p.id}\ninvite code: ${json.inviteCode}`, json };
    }
    if (command === 'list') {
      const list = (await repos.partners.list()).map(partnerJson);
      const text = list.length
        ? list
            .map((p) => `${p.id}  ${p.active ? 'active ' : 'revoked'}  ${p.inviteCode}  ${p.kind.padEnd(9)}  ${p.name}`)
            .join('\n')
        : 'No partners yet.';
      return { text, json: list };
    }
    if (command === 'revoke') {
      if (!id) throw new UsageError('partner revoke needs the partner id (see partner list)');
      const p = await repos.partners.revoke(id, at);
      if (!p) throw new UsageError(`no partner with id ${id}`);
      return {
        text: `Revoked ${p.name}: its invite code no longer works and its users can no longer file.`,
        json: partnerJson(p),
      };
    }
    if (command === 'news') {
      // whether the partner's workers get news of their reports pushed to their chat (issue 26)
      const value = positionals[2];
      if (!id || (value !== 'on' && value !== 'off'))
        throw new UsageError('partner news needs the partner id and on or off');
      const p = await repos.partners.setNewsPushes(id, value === 'on');
      if (!p) throw new UsageError(`no partner with id ${id}`);
      return {
        text: `${p.name}: news pushes to its workers ${p.newsPushes ? 'on' : "off (news wait for the worker's next message)"}.`,
        json: { ...partnerJson(p), newsPushes: p.newsPushes },
      };
    }
    throw new UsageError(`Usage:\n${partnerCommands.usage}`);
  },
};
