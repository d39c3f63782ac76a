import { expect } from 'chai';
import { purgeOldUploads } from '../../src/jobs/purge';
import { openRepositories } from '../../src/repositories';
import { testConfig } from '../support/app';
import { testDatabase } from '../support/database';
import { storedDocuments } from '../../src/store/inspect';

/** An uploaded list holds every row's name, phone and address: it must not outlive the work. */
describe('uploaded lists are deleted after IMPORT_FILE_KEEP_DAYS', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: ReturnType<typeof openRepositories>;

  before(async () => {
    db = await testDatabase('upload_purge');
    repos = openRepositories(db.connection);
    await repos.importFiles.ensureIndexes();
  });
  after(async () => {
    await db.drop();
  });

  async function upload(at: Date, text: string) {
    const w = repos.importFiles.writer(at);
    await w.write(Buffer.from(text));
    return w.finish();
  }
  async function readBack(file: { fileId: string; chunks: number; size: number }) {
    const out: Buffer[] = [];
    for await (const chunk of repos.importFiles.source(file.fileId, file.chunks, file.size).stream())
      out.push(chunk as Buffer);
    return Buffer.concat(out).toString();
  }

  it('deletes an upload older than the limit and keeps a recent one, on every instance at once', async () => {
    const now = new Date('2026-11-23T03:00:00Z');
    const config = testConfig({ IMPORT_FILE_KEEP_DAYS: '30' });
    const old = await upload(new Date(now.getTime() - 31 * 86_400_000), '이름,전화\n홍길동,010-1111-2222\n');
    const recent = await upload(new Date(now.getTime() - 29 * 86_400_000), '이름,전화\n김영희,010-3333-4444\n');
    // two instances' purge jobs at the same moment
    await Promise.all([purgeOldUploads(config, repos, now), purgeOldUploads(config, repos, now)]);
    expect(await storedDocuments(db.connection, 'importFiles').count({ fileId: old.fileId })).to.equal(0);
    expect(await readBack(recent)).to.contain('김영희');
  });
});
