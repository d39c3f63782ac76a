import { z } from 'zod';
import { loadDistrict } from '../domain/district';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';
import { seedDemo } from './demo-seed';

const reportsOption = z.coerce
  .number()
  .int('--reports takes a whole number')
  .min(1, '--reports takes 1 or more')
  .max(1_000_000, '--reports takes at most 1,000,000');

export const demoCommands: CommandGroup = {
  usage: `  demo seed --reports <N> [--seed <number>]   (synthetic demo reports; refused when NODE_ENV=production)`,
  async run(args, { config, repos, now }) {
    const { values, positionals } = parseCommandArgs(args, { reports: { type: 'string' }, seed: { type: 'string' } });
    if (positionals[0] !== 'seed') throw new UsageError(`Usage:\n${demoCommands.usage}`);
    // Demo data must never mix with a district's real households.
    if (config.NODE_ENV === 'production')
      throw new UsageError(
        'demo seed is refused when NODE_ENV=production: demo data never goes into a production database.',
      );
    const reports = reportsOption.safeParse(values.reports ?? '');
    if (!reports.success) throw new UsageError(`demo seed needs --reports <N>: ${reports.error.issues[0]!.message}`);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed takes a whole number');
    const district = loadDistrict(config.DISTRICT);
    const at = now?.() ?? new Date();
    await repos.dongCenters.seed(district.id, district.dongs, at);
    const result = await seedDemo(
      { repos, district, now: at, log: (l) => process.stderr.write(`${l}\n`) },
      { reports: reports.data, seed },
    );
    const statuses = Object.entries(result.byStatus)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ');
    const text = [
      `Seeded ${result.reports} demo reports in ${result.seconds.toFixed(1)} s: working set ${result.hot}, archive ${result.archive}.`,
      `By status: ${statuses}`,
      `Receipt numbers: ${result.receipts.map((r) => `${r.first} … ${r.last}`).join(', ')}`,
    ].join('\n');
    return { text, json: result };
  },
};
