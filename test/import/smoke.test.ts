import { expect } from 'chai';
import { importCommands } from '../../src/admin/import-commands';
import { repositories, ensureIndexes } from '../../src/services';
import { testConfig } from '../support/app';
import { testDatabase } from '../support/database';
import { arrearsRows, cp949, LIST_HEADERS, tempFile, toCsv, toXlsx } from '../support/list-files';

describe('smoke', function () {
  this.timeout(120_000);
  it('runs', async () => {
    const db = await testDatabase('import_smoke');
    const repos = repositories(db.connection);
    await ensureIndexes(repos);
    const config = testConfig();
    const p = await repos.partners.create({ name: '한전 서대문지사', kind: 'utility', now: new Date() });
    const csv = await tempFile('a.csv', cp949(toCsv([LIST_HEADERS, ...arrearsRows(30)])));
    let out = await importCommands.run(['list', '--file', csv, '--partner', p.name, '--name', '한전 2026-11 장기체납'], { config, repos });
    console.log(out.text);
    out = await importCommands.run(['list', '--file', csv, '--partner', p.name, '--name', '한전 2026-11 장기체납', '--commit'], { config, repos });
    console.log(out.text);
    const x = await tempFile('a.xlsx', await toXlsx([LIST_HEADERS, ...arrearsRows(30)]));
    out = await importCommands.run(['list', '--file', x, '--partner', p.name, '--name', '한전 2026-12', '--commit'], { config, repos });
    console.log(out.text);
    expect(out.text).to.include('접수');
    await db.drop();
  });
});
