import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import ExcelJS from 'exceljs';
import { loadDistrict } from '../../src/domain/district';
import { formatReceiptNo } from '../../src/domain/receipt';
import type { Report } from '../../src/domain/report/report';
import { commitImport, contentHashOf, previewImport, startImport } from '../../src/import/list-import-service';
import { diskSource } from '../../src/import/read/file-source';
import { connectDatabase } from '../../src/store/connect';
import { cacheDir, ensureFerretDbBinary } from '../../src/store/embedded/ferretdb-binary';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig } from '../support/app';
import { startTestServer } from '../support/database';
import { fillReport, giveContact, KakaoUser } from '../support/kakao-client';
import { arrearsRows, LIST_HEADERS } from '../support/list-files';

export interface ImportBenchResult {
  rows: number;
  openReports: number;
  fileMb: number;
  phases: { name: string; seconds: number; peakRssMb: number }[];
  outcome: Record<string, number>;
  turns: { filed: number; count: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** The same chat reporter's turns in the seconds before the upload, alone: the baseline of this run. */
  turnsBefore: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
}

/** How long the chat reporter files alone before the upload (its turns are the baseline). */
const BASELINE_MS = Number(process.env.BENCH_IMPORT_BASELINE_SECONDS ?? 20) * 1000;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** Writes a list of `rows` households with exceljs's streaming writer (the bench's input, not measured). */
async function writeList(path: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const ws = wb.addWorksheet('명단');
  ws.addRow(LIST_HEADERS).commit();
  for (let start = 1; start <= rows; start += 1000)
    for (const r of arrearsRows(Math.min(1000, rows - start + 1), start)) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

/**
 * A 20,000-row XLSX previewed and committed on the embedded database, beside `openReports` open
 * chat reports (some the same households, to be linked), while a chat reporter keeps filing over
 * /kakao/skill: the time and peak RSS of each phase and the chat turns' latency meanwhile.
 */
export async function runImportBench(opts: { rows?: number; openReports?: number } = {}): Promise<ImportBenchResult> {
  const rows = opts.rows ?? 20_000;
  const openReports = opts.openReports ?? 2_000;
  if (!process.env.TEST_MONGODB_URI) await ensureFerretDbBinary(cacheDir(process.env.SAGAK_CACHE_DIR));
  const server = await startTestServer({ ownServer: true });
  const connection = await connectDatabase(server.uri, `sagak_bench_import_${process.pid}`);
  await connection.dropDatabase();
  const app = await startTestApp(connection, { config: testConfig() });
  const dir = await mkdtemp(join(tmpdir(), 'sagak-bench-import-'));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  try {
    const district = loadDistrict('seodaemun');
    const partner = await app.repos.partners.create({ name: '한전 서대문지사', kind: 'utility', now: new Date() });
    // Open chat reports; every 10th is a household the list also names (linked, not created).
    const households = arrearsRows(rows);
    const docs: Omit<Report, 'id'>[] = [];
    for (let i = 0; i < openReports; i++) {
      const h = i % 10 === 0 ? households[i * 7]! : undefined;
      const dong = district.dongs[i % district.dongs.length]!;
      docs.push({
        district: district.id,
        receiptNo: formatReceiptNo(2026, 900_000 + i),
        submissionId: `bench-open-${i}`,
        receivedAt: new Date(),
        partner: { id: partner.id, name: partner.name, kind: 'utility' },
        reporter: { channel: 'kakao', userId: `u${i}` },
        address: {
          text: h?.[3] ?? `${dong.name} ${i}-1 다른집`,
          dongCode: dong.code,
          dongName: dong.name,
          resolvedBy: 'dong-name',
        },
        signs: ['mail_piled'],
        person: { name: h?.[1] ?? '다른사람', age: null, phone: null },
        situation: '벤치마크 열린 신고',
        urgency: 'normal',
        status: 'received',
        urgencyRank: 2,
        assignedDongCode: dong.code,
        history: [],
      });
    }
    for (let i = 0; i < docs.length; i += 1000) await app.repos.reports.insertMany(docs.slice(i, i + 1000), 'hot');

    const file = join(dir, 'kepco.xlsx');
    await writeList(file, rows);
    const source = await diskSource(file);

    // A chat reporter filing throughout, timing every turn.
    const reporter = new KakaoUser(app.baseUrl, 'bench-import-reporter');
    await reporter.say('신고');
    await reporter.say(formatInviteCode(partner.inviteCode));
    await giveContact(reporter); // a newly linked reporter gives their call-back contact first
    await reporter.say('취소');
    const before: number[] = [];
    const latencies: number[] = [];
    let sink = before;
    const say = reporter.say.bind(reporter);
    reporter.say = async (text, extra) => {
      const t = performance.now();
      try {
        return await say(text, extra);
      } finally {
        sink.push(performance.now() - t);
      }
    };
    let chatting = true;
    let filed = 0;
    const chat = (async () => {
      while (chatting) {
        try {
          await fillReport(reporter);
          await reporter.press('접수');
          if (reporter.text().includes('접수번호')) filed++;
          else await reporter.say('취소');
        } catch {
          await reporter.say('취소').catch(() => undefined); // a "try again" answer mid-report: start over
        }
      }
    })();

    await new Promise((r) => setTimeout(r, BASELINE_MS));
    sink = latencies;
    const phases: ImportBenchResult['phases'] = [];
    const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      peak = process.memoryUsage.rss();
      const t = performance.now();
      const out = await work();
      phases.push({ name, seconds: (performance.now() - t) / 1000, peakRssMb: peak / 1048576 });
      return out;
    };
    const now = () => new Date();
    const started = await phase('upload: read through, header, record', async () =>
      startImport(
        { repos: app.repos, district },
        {
          source,
          contentHash: await contentHashOf(source),
          fileName: 'kepco.xlsx',
          file: null,
          partnerId: partner.id,
          listName: '한전 벤치마크',
          by: 'bench',
          now: now(),
        },
      ),
    );
    if ('error' in started) throw new Error(started.error);
    const deps = { repos: app.repos, district };
    await phase('preview: check, resolve dongs, match open reports', () =>
      previewImport(deps, started.item, started.item.mapping!, now(), source),
    );
    const committed = await phase('commit: file reports, link duplicates', async () =>
      commitImport(deps, (await app.repos.imports.byId(started.item.id))!, 'user:bench', now, source),
    );
    chatting = false;
    await chat;
    if (!committed.ok) throw new Error(committed.code);
    const sorted = [...latencies].sort((a, b) => a - b);
    const alone = [...before].sort((a, b) => a - b);
    return {
      rows,
      openReports,
      fileMb: source.size / 1048576,
      phases,
      outcome: { ...committed.counts },
      turns: { filed, count: sorted.length, p50Ms: pct(sorted, 50), p99Ms: pct(sorted, 99), maxMs: sorted.at(-1) ?? 0 },
      turnsBefore: { count: alone.length, p50Ms: pct(alone, 50), p99Ms: pct(alone, 99), maxMs: alone.at(-1) ?? 0 },
    };
  } finally {
    clearInterval(sampler);
    await app.close();
    await connection.dropDatabase().catch(() => {});
    await connection.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export function printImportBench(r: ImportBenchResult): void {
  console.log(
    `\n## List import: ${r.rows.toLocaleString('en')}-row XLSX (${r.fileMb.toFixed(1)} MB) beside ${r.openReports.toLocaleString('en')} open reports`,
  );
  const heapLimit = getHeapStatistics().heap_size_limit / 1048576;
  console.log(`(one process: the service, the chat client and the bench; V8 heap limit ${heapLimit.toFixed(0)} MB)`);
  console.log('| phase | seconds | peak RSS |');
  console.log('|---|---|---|');
  for (const p of r.phases) console.log(`| ${p.name} | ${p.seconds.toFixed(1)} s | ${p.peakRssMb.toFixed(0)} MB |`);
  console.log(
    `\nOutcome: ${Object.entries(r.outcome)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const b = r.turnsBefore;
  console.log(
    `Chat turns before the upload, the reporter alone (/kakao/skill, the baseline): ${b.count} turns, p50 ${b.p50Ms.toFixed(0)} ms, p99 ${b.p99Ms.toFixed(0)} ms, max ${b.maxMs.toFixed(0)} ms`,
  );
  console.log(
    `Chat turns during the import (/kakao/skill): ${r.turns.count} turns (${r.turns.filed} reports filed), p50 ${r.turns.p50Ms.toFixed(0)} ms, p99 ${r.turns.p99Ms.toFixed(0)} ms, max ${r.turns.maxMs.toFixed(0)} ms`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  runImportBench({
    rows: Number(process.env.BENCH_IMPORT_ROWS ?? 20_000),
    openReports: Number(process.env.BENCH_IMPORT_OPEN ?? 2_000),
  }).then(
    (r) => {
      printImportBench(r);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
