import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { loadDistrict } from '../domain/district';
import { ImportFileError } from '../import/errors';
import type { ImportDeps } from '../import/list-import-service';
import { mappingSchema } from '../domain/list-import/mapping';
import { FIELD_LABELS, OUTCOME_LABELS } from '../import/messages';
import type { OutcomeCounts } from '../domain/list-import/list-import';
import { recordCliAccess } from './access-note';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

const options = z.object({
  file: z.string({ message: '--file is required' }).min(1, '--file is required'),
  partner: z.string({ message: '--partner is required (partner id or exact name)' }).trim().min(1),
  name: z
    .string({ message: '--name is required (the list name, e.g. "한전 2026-11 장기체납")' })
    .trim()
    .min(1)
    .max(100),
  mapping: z.string().optional(),
  encoding: z.enum(['utf8', 'cp949']).optional(),
  commit: z.boolean().optional(),
});

const countsText = (c: OutcomeCounts) =>
  [
    `행 ${c.rows}`,
    ...(['create', 'link', 'in_file', 'unresolved', 'rejected'] as const).map((k) => `${OUTCOME_LABELS[k]} ${c[k]}`),
  ].join('\n');

/**
 * `import list`: the console's upload, preview and commit for scripted monthly loads. A dry run
 * (the default) stores nothing; `--commit` files the list and may be run again (it resumes and
 * creates nothing twice).
 */
export const importCommands: CommandGroup = {
  usage: `  import list --file <csv|xlsx> --partner <id|name> --name <list name> [--mapping <mapping.json>] [--encoding utf8|cp949] [--commit]`,
  async run(args, { config, repos, now }) {
    const { values, positionals } = parseCommandArgs(args, {
      file: { type: 'string' },
      partner: { type: 'string' },
      name: { type: 'string' },
      mapping: { type: 'string' },
      encoding: { type: 'string' },
      commit: { type: 'boolean' },
    });
    if (positionals[0] !== 'list') throw new UsageError(`Usage:\n${importCommands.usage}`);
    const parsed = options.safeParse(values);
    if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
    const opts = parsed.data;
    const clock = now ?? (() => new Date());
    // loaded here, not at start-up: every other admin command stays quick to start (exceljs is large)
    const { commitImport, contentHashOf, prepareImport, previewImport, runPreview, startImport } = await import(
      '../import/list-import-service'
    );
    const { diskSource } = await import('../import/read/file-source');
    const { urgentOpener } = await import('../delivery/urgent-open');
    const district = loadDistrict(config.DISTRICT);
    // rows filed as 즉시 위험 open their wait for a 확인; the service's sweep sends the alerts
    const deps: ImportDeps = { repos, district, openUrgent: urgentOpener({ config, repos, district, now: clock }) };
    const partners = await repos.partners.list();
    const partner = partners.find((p) => p.id === opts.partner) ?? partners.find((p) => p.name === opts.partner);
    if (!partner) throw new UsageError(`no partner ${opts.partner} (see partner list)`);

    const source = await diskSource(opts.file).catch(() => {
      throw new UsageError(`cannot read ${opts.file}`);
    });
    // the history names the operating-system account, as the other CLI actions do
    const cliBy = `admin:${userInfo().username}`;
    const input = {
      source,
      contentHash: await contentHashOf(source),
      fileName: opts.file.split('/').pop()!,
      file: null,
      partnerId: partner.id,
      listName: opts.name,
      encoding: opts.encoding,
      by: cliBy,
      now: clock(),
    };
    const started = await (opts.commit ? startImport(deps, input) : prepareImport(deps, input)).catch(
      (err: unknown) => {
        if (err instanceof ImportFileError) throw new UsageError(`${err.messageKo} [${err.code}]`);
        throw err;
      },
    );
    if ('error' in started) throw new UsageError(`no partner ${opts.partner}`);
    const { item } = started;
    let mapping = item.mapping!;
    if (opts.mapping) {
      const m = mappingSchema.safeParse(JSON.parse(await readFile(opts.mapping, 'utf8')));
      if (!m.success)
        throw new UsageError(`--mapping: ${m.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      mapping = m.data;
    }
    const mappingText = Object.entries(mapping.columns)
      .filter(([, c]) => c)
      .map(([f, c]) => `${FIELD_LABELS[f as keyof typeof FIELD_LABELS]} ← ${c}`)
      .join(', ');
    const preview = opts.commit
      ? await previewImport(deps, item, mapping, clock(), source)
      : await runPreview(deps, item, mapping, clock(), source);
    if (!preview.ok) throw new UsageError(preview.problems.join('\n'));
    const head = `${item.partner.name} · ${item.listName} (${item.format}${item.encoding ? `, ${item.encoding}` : ''})\n열: ${mappingText}${mapping.extra.length ? `\n추가 항목: ${mapping.extra.join(', ')}` : ''}`;
    const rejected = preview.preview.rejected
      .slice(0, 50)
      .map((r) => `  ${r.row}행: ${r.reason}`)
      .join('\n');
    const previewText = `${head}\n\n미리보기\n${countsText(preview.preview.counts)}${rejected ? `\n제외된 행:\n${rejected}` : ''}`;
    if (!opts.commit) {
      return {
        text: `${previewText}\n\n(dry run: nothing stored; add --commit to file the list)`,
        json: { importId: item.id, mapping, preview: preview.preview, committed: false },
      };
    }
    const fresh = (await repos.imports.byId(item.id))!;
    const result = await commitImport(deps, fresh, cliBy, clock, source);
    if (!result.ok)
      throw new UsageError(
        result.code === 'busy' ? 'another commit of this list is running; try again when it ends' : 'preview first',
      );
    const { create, unresolved, link } = result.counts;
    await recordCliAccess(
      { config, repos, now },
      {
        action: 'change',
        receiptNos: result.item.commit?.linked ?? [],
        scope: `import=${item.id}`,
        rowCount: create + unresolved + link,
        detail: 'list_commit',
      },
    );
    return {
      text: `${previewText}\n\n접수 완료 (import ${item.id})\n${countsText(result.counts)}`,
      json: { importId: item.id, mapping, preview: preview.preview, committed: true, counts: result.counts },
    };
  },
};
