import { retentionPass } from '../jobs/retention';
import { cliActor } from './access-note';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

const SHOWN = 20;

export const retentionCommands: CommandGroup = {
  usage: `  retention run [--apply]                shows which closed cases are past RETENTION_CLOSED_YEARS; --apply anonymises them now
                                         (the service's purge job does the same once a day)`,
  async run(args, deps) {
    const { values, positionals } = parseCommandArgs(args, { apply: { type: 'boolean' } });
    if (positionals[0] !== 'run') throw new UsageError(`Usage:\n${retentionCommands.usage}`);
    const apply = values.apply ?? false;
    const out = await retentionPass(deps.config, deps.repos, {
      now: deps.now?.() ?? new Date(),
      apply,
      actor: cliActor(),
      role: 'admin',
      channel: 'cli',
    });
    const list = (nos: string[]) =>
      nos.length ? `: ${nos.slice(0, SHOWN).join(', ')}${nos.length > SHOWN ? ` … (+${nos.length - SHOWN})` : ''}` : '';
    const cutoff = out.cutoff.toISOString().slice(0, 10);
    const text = apply
      ? [
          `Anonymised ${out.anonymised.length} closed case(s) closed before ${cutoff}${list(out.anonymised)}.`,
          `Removed ${out.identitiesRemoved} chat identit(y/ies) of ${out.revokedPartners} revoked partner(s); forgot ${out.reportersForgotten} chat reporter list(s).`,
          'Recorded in the access records (anonymise).',
        ].join('\n')
      : [
          `Dry run: ${out.reports.length} closed case(s) closed before ${cutoff} would be anonymised${list(out.reports)}.`,
          `${out.identities} chat identit(y/ies) of ${out.revokedPartners} revoked partner(s) would be removed.`,
          'Nothing changed. Run again with --apply to do it.',
        ].join('\n');
    return { text, json: out };
  },
};
