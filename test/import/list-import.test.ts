import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type mongoose from 'mongoose';
import { importCommands } from '../../src/cli/import-commands';
import { loadDistrict } from '../../src/domain/district';
import { fileReport } from '../../src/domain/report-filing';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { ImportFileError } from '../../src/import/errors';
import { withListMatches } from '../../src/domain/list-import/list-match';
import { reportsOfImport } from '../../src/import/import-reports';
import {
  COMMIT_BATCH_ROWS,
  commitImport,
  contentHashOf,
  previewImport,
  startImport,
  type ImportDeps,
} from '../../src/import/list-import-service';
import { rejectedRowsXlsx } from '../../src/import/rejected-xlsx';
import { diskSource } from '../../src/import/read/file-source';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import type { Partner } from '../../src/domain/partner/partner';
import { testConfig } from '../support/app';
import { testDatabase } from '../support/database';
import { reportDoc } from '../support/report-fixtures';
import { arrearsRows, cp949, LIST_HEADERS, tempFile, toCsv, toXlsx } from '../support/list-files';
import { WORKBOOK_PARTS, zipOf } from '../support/zip';
import { clearWorkingSet, storedCount } from '../../src/store/report/inspect';
import { storedDocuments } from '../../src/store/inspect';

const district = loadDistrict('seodaemun');
const NOW = new Date('2026-11-23T01:00:00Z');

describe('list import (preview, duplicates, commit) on FerretDB', function () {
  this.timeout(120_000);
  let db: { connection: mongoose.Connection; drop(): Promise<void> };
  let repos: Repositories;
  let kepco: Partner;
  let deps: ImportDeps;

  before(async () => {
    db = await testDatabase('list_import');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
    kepco = await repos.partners.create({ name: '한전 서대문지사', kind: 'utility', now: NOW });
    deps = { repos, district };
  });
  after(() => db.drop());
  beforeEach(async () => {
    await clearWorkingSet(db.connection);
    for (const name of ['imports', 'importLocks', 'importMappings', 'importFiles'] as const)
      await storedDocuments(db.connection, name).deleteAll();
  });

  const start = async (name: string, data: Buffer | string, listName = '한전 2026-11 장기체납') => {
    const source = await diskSource(await tempFile(name, data));
    const started = await startImport(deps, {
      source,
      contentHash: await contentHashOf(source),
      fileName: name,
      file: null,
      partnerId: kepco.id,
      listName,
      by: 'user:kim',
      now: NOW,
    });
    if ('error' in started) throw new Error(started.error);
    return { ...started, source };
  };
  const refusal = async (name: string, data: Buffer | string) => {
    try {
      await start(name, data);
    } catch (err) {
      expect(err).to.be.instanceOf(ImportFileError);
      expect(await storedDocuments(db.connection, 'imports').count()).to.equal(0, 'no import stored');
      expect(await storedCount(db.connection, 'working')).to.equal(0, 'no report stored');
      return err as ImportFileError;
    }
    throw new Error('expected the file to be refused');
  };
  const chatReport = async (address: string, name: string | null, phone: string | null) => {
    const filed = await fileReport(
      { districtId: district.id, ...repos },
      {
        submissionId: `chat-${address}-${name}-${phone}`,
        partnerId: kepco.id,
        address,
        dong: { code: district.dongs[0]!.code, name: district.dongs[0]!.name },
        signs: ['mail_piled'],
        name,
        phone,
        situation: '우편물이 쌓여 있음',
        urgency: 'normal',
      },
      { channel: 'kakao', userId: 'u1' },
      NOW,
    );
    if (!filed.ok) throw new Error('filing failed');
    return filed.report;
  };

  it('reads a CP949 CSV as Korean offices export it, guesses the columns and previews without storing a report', async () => {
    const rows = arrearsRows(12);
    const { item, source } = await start('kepco.csv', cp949(toCsv([LIST_HEADERS, ...rows])));
    expect(item.format).to.equal('csv');
    expect(item.encoding).to.equal('cp949');
    expect(item.headers).to.deep.equal(LIST_HEADERS);
    expect(item.mapping!.columns).to.include({ name: '고객명', address: '주소', phone: '연락처', birth: '생년월일' });
    expect(item.mapping!.extra).to.deep.equal(['체납액', '체납개월']);
    const preview = await previewImport(deps, item, item.mapping!, NOW, source);
    expect(preview.ok && preview.preview.counts).to.deep.equal({
      rows: 12,
      create: 12,
      link: 0,
      in_file: 0,
      unresolved: 0,
      rejected: 0,
    });
    expect(await storedCount(db.connection, 'working')).to.equal(0);
  });

  it('lists every bad row with its row number and a Korean reason, and hands them back as an XLSX with a 사유 column', async () => {
    const rows = [
      LIST_HEADERS,
      ['1', '김철수', '1950-03-02', '서울 서대문구 홍제1동 1-1', '010-1111-2222', '10000', '6'],
      ['2', '', '1950-03-02', '서울 서대문구 충현동 2', '010-1111-3333', '10000', '6'],
      ['3', '이영희', '1950-13-45', '충현동 3', '', '', ''],
      ['4', '박민수', '', '', '010-1234-5678', '', ''],
      ['5', '최지원', '', '마포구 망원동 5', '', '', ''],
      ['6', '정수진', '', '천연동 6', '12345', '', ''],
      ['7', '한미경', '', '북가좌동 7-1', '', '', ''],
    ];
    const { item, source } = await start('bad.csv', toCsv(rows));
    const preview = await previewImport(deps, item, item.mapping!, NOW, source);
    if (!preview.ok) throw new Error('mapping refused');
    expect(preview.preview.counts).to.include({ rows: 7, create: 1, rejected: 5, unresolved: 1 });
    expect(preview.preview.rejected).to.deep.equal([
      { row: 3, reason: '성명이 비어 있습니다.' },
      { row: 4, reason: '생년월일을 읽을 수 없습니다 (예: 1950-03-02, 19500302, 500302).' },
      { row: 5, reason: '주소가 비어 있습니다.' },
      { row: 6, reason: '관할 구역 밖의 주소입니다 (마포구).' },
      { row: 7, reason: '전화번호를 읽을 수 없습니다 (예: 010-1234-5678, 02-123-4567).' },
    ]);
    expect(preview.preview.unresolved[0]).to.include({ row: 8, address: '북가좌동 7-1' });
    expect(preview.preview.unresolved[0]!.candidates.map((c) => district.dongByCode(c)!.name)).to.deep.equal([
      '북가좌1동',
      '북가좌2동',
    ]);

    const fresh = (await repos.imports.byId(item.id))!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await rejectedRowsXlsx(deps, fresh, NOW, source)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).to.deep.equal([...LIST_HEADERS, '원본 행', '사유']);
    expect(ws.rowCount).to.equal(6);
    expect((ws.getRow(2).values as unknown[]).slice(-2)).to.deep.equal([3, '성명이 비어 있습니다.']);
    expect(ws.getRow(5).getCell(4).value).to.equal('마포구 망원동 5');
  });

  it('links a row to the open report of the same household: same address and same name or phone when given', async () => {
    const sameName = await chatReport('홍제1동 10-1', '김철수', null);
    const samePhone = await chatReport('충현동 20', '이름다름', '010-2222-3333');
    await chatReport('천연동 30', '박영희', '010-9999-0000'); // same address, other person
    const addressOnly = await chatReport('신촌동 40', null, null);
    const closed = await chatReport('연희동 50', '최지원', null);
    const closing = await applyReportAction(
      { reports: repos.reports, district },
      { id: 'user:kim', role: 'staff' },
      closed.receiptNo,
      { type: 'close', reason: '지원 완료' },
      NOW,
    );
    expect(closing.ok).to.equal(true);
    const rows = [
      ['고객명', '주소', '연락처'],
      ['김 철수', '서울특별시 서대문구 홍제1동 10-1', ''],
      ['정민호', '서울 서대문구 충현동 20', '01022223333'],
      ['홍길동', '천연동 30', '010-1111-0000'],
      ['한미경', '신촌동 40', ''],
      ['최지원', '연희동 50', ''],
      ['김철수', '홍제1동 10-1', '010-5555-6666'],
      ['오세훈', '남가좌1동 60', '010-7777-8888'],
      ['오세훈', '남가좌1동 60', ''],
    ];
    const { item, source } = await start('dups.csv', toCsv(rows));
    const preview = await previewImport(deps, item, item.mapping!, NOW, source);
    expect(preview.ok && preview.preview.counts).to.deep.equal({
      rows: 8,
      create: 3,
      link: 3,
      in_file: 2,
      unresolved: 0,
      rejected: 0,
    });

    const result = await commitImport(deps, (await repos.imports.byId(item.id))!, 'user:kim', () => NOW, source);
    expect(result.ok && result.counts).to.deep.equal({
      rows: 8,
      create: 3,
      link: 3,
      in_file: 2,
      unresolved: 0,
      rejected: 0,
    });
    for (const [r, line] of [
      [sameName, 2],
      [samePhone, 3],
      [addressOnly, 5],
    ] as const) {
      const after = (await repos.reports.byReceiptNo(district.id, r.receiptNo))!;
      // the case's timeline names the list and its row; the report itself is not rewritten
      const entry = withListMatches(after, await repos.reports.listMatchesOf(after.id)).history.at(-1)!;
      expect(entry.action).to.equal('list_match');
      expect(entry.note).to.equal(`「한전 2026-11 장기체납」 명단 ${line}행에서 다시 확인됨`);
      expect(after.status).to.equal('received');
      expect(after.rev).to.equal(r.rev ?? 1);
    }
    expect(await repos.reports.listMatchesOf(closed.id), 'a closed case is not linked').to.deep.equal([]);
    const created = await reportsOfImport(repos.reports, district.id, item.id);
    expect(created.map((r) => r.person.name).sort()).to.deep.equal(['오세훈', '최지원', '홍길동']);
  });

  it('reads cells as the chat stores text: decomposed jamo and invisible characters neither hide a household nor get stored', async () => {
    const open = await chatReport('홍은1동 77-7', '강민지', null);
    const rows = [
      ['고객명', '주소', '연락처'],
      ['강민지'.normalize('NFD'), '홍은1동\u200b 77-7', ''],
      ['\u202e윤서연\u200d', '홍은1동 88', ''],
    ];
    const { item, source } = await start('nfd.csv', toCsv(rows), '정규화 명단');
    const preview = await previewImport(deps, item, item.mapping!, NOW, source);
    expect(preview.ok && preview.preview.counts).to.deep.equal({
      rows: 2,
      create: 1,
      link: 1,
      in_file: 0,
      unresolved: 0,
      rejected: 0,
    });
    const result = await commitImport(deps, (await repos.imports.byId(item.id))!, 'user:kim', () => NOW, source);
    expect(result.ok).to.equal(true);
    expect((await repos.reports.listMatchesOf(open.id)).map((m) => m.line)).to.deep.equal([2]);
    const created = await reportsOfImport(repos.reports, district.id, item.id);
    expect(created.map((r) => r.person.name)).to.deep.equal(['윤서연']);
  });

  it('commits reports with the list as source, the institution as partner, the extra columns and the dong; twice creates nothing new', async () => {
    const rows = arrearsRows(20);
    const xlsx = await toXlsx([LIST_HEADERS, ...rows.map((r) => [...r.slice(0, 5), Number(r[5]), Number(r[6])])]);
    const { item, source } = await start('kepco.xlsx', xlsx);
    const mapping = { ...item.mapping!, defaultUrgency: 'prompt' as const };
    await previewImport(deps, item, mapping, NOW, source);
    const first = await commitImport(deps, (await repos.imports.byId(item.id))!, 'user:kim', () => NOW, source);
    expect(first.ok && first.counts.create).to.equal(20);
    const reports = await reportsOfImport(repos.reports, district.id, item.id);
    expect(reports).to.have.length(20);
    const r = reports.find((x) => x.source!.line === 2)!;
    expect(r.partner).to.deep.include({ id: kepco.id, name: '한전 서대문지사' });
    expect(r.source).to.deep.equal({ kind: 'list', importId: item.id, listName: '한전 2026-11 장기체납', line: 2 });
    expect(r.extra).to.deep.equal({ 생년월일: rows[0]![2], 체납액: rows[0]![5], 체납개월: rows[0]![6] });
    expect(r.urgency).to.equal('prompt');
    expect(r.signs).to.deep.equal(['utility_arrears']);
    expect(r.assignedDongCode).to.equal(district.dongByName('충현동')!.code);
    expect(r.situation).to.include('체납액');

    const again = await start('kepco-again.xlsx', xlsx, '다른 이름');
    expect(again.created).to.equal(false);
    expect(again.item.id).to.equal(item.id);
    const second = await commitImport(deps, (await repos.imports.byId(item.id))!, 'user:kim', () => NOW, source);
    expect(second.ok && second.counts.create).to.equal(20);
    expect(await storedCount(db.connection, 'working')).to.equal(20);
  });

  it('resumes a commit that crashed half-way: every row filed exactly once, no receipt number drawn twice for a row', async () => {
    const rows = 2 * COMMIT_BATCH_ROWS + 10;
    const { item, source } = await start('crash.csv', toCsv([LIST_HEADERS, ...arrearsRows(rows)]));
    await previewImport(deps, item, item.mapping!, NOW, source);
    let calls = 0;
    const failingClock = () => {
      // the clock is read for the lock, the start, then once per batch of rows: the 4th is the second batch
      if (++calls === 4) throw new Error('power cut');
      return NOW;
    };
    let crashed = false;
    try {
      await commitImport(deps, (await repos.imports.byId(item.id))!, 'user:kim', failingClock, source);
    } catch {
      crashed = true;
    }
    expect(crashed).to.equal(true);
    const half = await storedCount(db.connection, 'working');
    expect(half).to.equal(COMMIT_BATCH_ROWS);
    expect((await repos.imports.byId(item.id))!.status).to.equal('committing');
    const before = new Set((await reportsOfImport(repos.reports, district.id, item.id)).map((r) => r.id));
    const resumed = await commitImport(deps, (await repos.imports.byId(item.id))!, 'user:kim', () => NOW, source);
    expect(resumed.ok && resumed.counts.create).to.equal(rows);
    const all = await reportsOfImport(repos.reports, district.id, item.id);
    expect(all).to.have.length(rows);
    expect(new Set(all.map((r) => r.source!.line)).size).to.equal(rows);
    const number = (r: { receiptNo: string }) => Number(r.receiptNo.split('-')[1]);
    expect(new Set(all.map(number)).size).to.equal(rows);
    // the resumed commit drew numbers for the rows it filed only, one after another (a crash leaves a gap, never a second number for a row)
    const later = all
      .filter((r) => !before.has(r.id))
      .map(number)
      .sort((a, b) => a - b);
    expect(later).to.have.length(rows - COMMIT_BATCH_ROWS);
    expect(later.at(-1)! - later[0]!).to.equal(
      later.length - 1,
      'rows filed before the crash drew no new number on resuming',
    );
  });

  it('files a batch whose block of receipt numbers another instance dipped into: the row refused gets a fresh number, the rest stay stored once', async () => {
    const { item, source } = await start('block.csv', toCsv([LIST_HEADERS, ...arrearsRows(10, 500)]));
    await previewImport(deps, item, item.mapping!, NOW, source);
    // another instance (FerretDB's counter is not atomic across processes) filed with a number the next block will hold
    const year = 2026;
    const current = await repos.counter.next(district.id, year);
    const taken = `${year}-${String(current + 3).padStart(6, '0')}`;
    await repos.reports.insert(reportDoc({ receivedAt: NOW, receiptNo: taken }));
    const result = await commitImport(deps, (await repos.imports.byId(item.id))!, 'user:kim', () => NOW, source);
    expect(result.ok && result.counts.create).to.equal(10);
    const filed = await reportsOfImport(repos.reports, district.id, item.id);
    expect(filed).to.have.length(10);
    expect(filed.map((r) => r.receiptNo)).not.to.include(taken);
    expect(new Set(filed.map((r) => r.receiptNo)).size).to.equal(10);
    expect(new Set(filed.map((r) => r.source!.line)).size).to.equal(10);
  });

  it('a case closed while the list commits is not noted: its household is filed anew; an open one is noted, never both', async () => {
    const closing = await chatReport('홍제1동 1-1', '김가영', null);
    const staying = await chatReport('충현동 2-1', '김나래', null);
    // the two households last, after 600 other rows: the commit has read the open cases long before it reaches them
    const others = arrearsRows(600).map((r) => [r[1]!, r[3]!, r[4]!]);
    const rows = [['고객명', '주소', '연락처'], ...others, ['김가영', '홍제1동 1-1', ''], ['김나래', '충현동 2-1', '']];
    const { item, source } = await start('race.csv', toCsv(rows), '경합 명단');
    const preview = await previewImport(deps, item, item.mapping!, NOW, source);
    expect(preview.ok && preview.preview.counts.link).to.equal(2);
    const commit = commitImport(deps, (await repos.imports.byId(item.id))!, 'user:kim', () => NOW, source);
    // once the commit's first batch is stored, it has read the open cases: the staff closes one now
    while ((await storedCount(db.connection, 'working')) <= 2) await new Promise((r) => setTimeout(r, 5));
    const closed = await applyReportAction(
      { reports: repos.reports, district },
      { id: 'user:kim', role: 'staff' },
      closing.receiptNo,
      { type: 'close', reason: '지원 완료' },
      NOW,
    );
    expect(closed.ok).to.equal(true);
    const committed = await commit;
    expect(committed.ok && committed.counts).to.include({ create: 601, link: 1 });
    const filed = await reportsOfImport(repos.reports, district.id, item.id);
    const outcome = async (c: typeof closing) => ({
      noted: (await repos.reports.listMatchesOf(c.id)).length,
      anew: filed.filter((r) => r.person.name === c.person.name).length,
    });
    expect(await outcome(closing), 'closed before its row: filed anew').to.deep.equal({ noted: 0, anew: 1 });
    expect(await outcome(staying), 'still open: noted').to.deep.equal({ noted: 1, anew: 0 });
  });

  it('lets one of two simultaneous commits run; the other is told the list is busy', async () => {
    const { item, source } = await start('race.csv', toCsv([LIST_HEADERS, ...arrearsRows(10)]));
    await previewImport(deps, item, item.mapping!, NOW, source);
    const fresh = (await repos.imports.byId(item.id))!;
    const results = await Promise.all([
      commitImport(deps, fresh, 'user:a', () => NOW, source),
      commitImport(deps, fresh, 'user:b', () => NOW, source),
    ]);
    expect(results.filter((r) => r.ok)).to.have.length(1);
    expect(results.find((r) => !r.ok)).to.deep.equal({ ok: false, code: 'busy' });
    expect(await storedCount(db.connection, 'working')).to.equal(10);
  });

  describe('bad files are refused with a Korean message and nothing stored', () => {
    it('a file that is neither CSV nor XLSX (an image, a PDF, a Word document, an old .xls)', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      expect((await refusal('photo.csv', png)).messageKo).to.equal('CSV 또는 XLSX(엑셀) 파일만 올릴 수 있습니다.');
      expect((await refusal('doc.pdf', '%PDF-1.7\n...')).code).to.equal('not_table');
      const docx = zipOf([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
      ]);
      expect((await refusal('letter.xlsx', docx)).code).to.equal('not_table');
      expect((await refusal('old.xls', Buffer.from('d0cf11e0a1b11ae1000000', 'hex'))).messageKo).to.include('.xlsx');
    });

    it('an empty file, and one with only a header', async () => {
      expect((await refusal('empty.csv', '')).messageKo).to.equal(
        '빈 파일입니다. 명단이 담긴 CSV 또는 XLSX 파일을 올려 주세요.',
      );
      expect((await refusal('blank.csv', '\r\n\r\n')).code).to.equal('empty');
      expect((await refusal('header.csv', '고객명,주소\r\n')).code).to.equal('no_rows');
    });

    it('an XLSX with a formula anywhere (never evaluated), and a CSV cell that Excel would run', async () => {
      const rows = [['고객명', '주소'], ...arrearsRows(40).map((r) => [r[1]!, r[3]!])];
      const withFormula = await toXlsx([
        ...rows,
        ['김철수', { formula: 'HYPERLINK("http://evil.example","홍제1동 1")' }],
      ]);
      const err = await refusal('formula.xlsx', withFormula);
      expect(err.code).to.equal('formula');
      expect(err.messageKo).to.include('수식').and.include('42행');
      expect((await refusal('formula.csv', toCsv([...rows, ['=cmd|"/c calc"!A1', '홍제1동 1']]))).code).to.equal(
        'formula',
      );
    });

    it('a CSV whose quote is never closed', async () => {
      const err = await refusal('broken.csv', '고객명,주소\r\n김철수,"홍제1동 1\r\n이영희,충현동 2\r\n');
      expect(err.code).to.equal('broken_csv');
      expect(err.messageKo).to.include('따옴표');
    });

    it('a zip bomb disguised as XLSX: too compressed, or an entry that inflates past what its header declares', async () => {
      const zeros = Buffer.alloc(30 * 1024 * 1024);
      const honest = zipOf([...WORKBOOK_PARTS, { name: 'xl/worksheets/sheet1.xml', data: zeros }]);
      expect(honest.length).to.be.lessThan(100_000);
      expect((await refusal('bomb.xlsx', honest)).messageKo).to.include('비정상적으로 커지는');
      const liar = zipOf([...WORKBOOK_PARTS, { name: 'xl/worksheets/sheet1.xml', data: zeros, declaredSize: 1000 }]);
      expect((await refusal('liar.xlsx', liar)).code).to.equal('zip_bomb');
    });

    it('more than 20,000 rows', async () => {
      const lines = ['고객명,주소', ...Array.from({ length: 20_001 }, (_, i) => `김${i},홍제1동 ${i}`)].join('\n');
      expect((await refusal('huge.csv', lines)).messageKo).to.include('20,000행');
    });
  });

  it('CLI: a dry run stores nothing; --commit files the list; running it again creates nothing new', async () => {
    const config = testConfig();
    const file = await tempFile(
      'cli.csv',
      cp949(toCsv([LIST_HEADERS, ...arrearsRows(8), ['9', '', '', '', '', '', '']])),
    );
    const dry = await importCommands.run(
      ['list', '--file', file, '--partner', kepco.name, '--name', '한전 2026-11 장기체납'],
      { config, repos },
    );
    expect(dry.text).to.include('새 신고로 접수 8').and.include('dry run');
    expect(await storedDocuments(db.connection, 'imports').count()).to.equal(0);
    expect(await storedCount(db.connection, 'working')).to.equal(0);
    const mappingFile = await tempFile(
      'm.json',
      JSON.stringify({
        columns: { name: '고객명', address: '주소' },
        extra: ['체납액'],
        defaultSigns: ['utility_arrears', 'ill_immobile'],
        defaultUrgency: 'normal',
      }),
    );
    const done = await importCommands.run(
      [
        'list',
        '--file',
        file,
        '--partner',
        kepco.id,
        '--name',
        '한전 2026-11 장기체납',
        '--mapping',
        mappingFile,
        '--commit',
      ],
      { config, repos },
    );
    expect(done.text).to.include('접수 완료');
    const reports = await repos.reports.list({ district: district.id });
    expect(reports).to.have.length(8);
    expect(reports[0]!.signs).to.deep.equal(['utility_arrears', 'ill_immobile']);
    expect(reports[0]!.person.phone).to.equal(null);
    await importCommands.run(
      ['list', '--file', file, '--partner', kepco.id, '--name', '한전 2026-11 장기체납', '--commit'],
      { config, repos },
    );
    expect(await storedCount(db.connection, 'working')).to.equal(8);
  });
});
