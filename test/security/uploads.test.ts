import { request } from 'node:http';
import { expect } from 'chai';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { arrearsRows, LIST_HEADERS, toCsv } from '../support/list-files';
import { storedDocuments } from '../../src/store/inspect';

/**
 * Probe 2 of issue 23: a list sent without Content-Length (chunked) was cut at 20 MB by the
 * multipart parser and imported short. Every cut body must be refused whole, nothing stored.
 */
describe('security probe: an upload the parser or the connection cut is refused whole', function () {
  this.timeout(180_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let staff: string;
  let partnerId: string;

  before(async () => {
    db = await testDatabase('security_uploads');
    const config = testConfig();
    app = await startTestApp(db.connection, { config });
    partnerId = (await app.repos.partners.create({ name: '한전 서대문지사', kind: 'utility', now: new Date() })).id;
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    staff = await tokenOf(app.baseUrl, 'staff1');
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  const stored = async () => ({
    files: await storedDocuments(db.connection, 'importFiles').count(),
    imports: await storedDocuments(db.connection, 'imports').count(),
  });
  const boundary = 'sagak-security-boundary';
  const part = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const filePart = (name: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`;

  /**
   * Sends a multipart body in 1 MB pieces over node:http. Without `contentLength` node sends it
   * chunked, as a client streaming a file of unknown size does. `abortAfter` cuts the connection.
   */
  function send(pieces: Buffer[], opts: { contentLength?: number; abortAfter?: number } = {}) {
    return new Promise<{ status: number; text: string } | 'aborted'>((resolve, reject) => {
      const req = request(`${app.baseUrl}/console/imports`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${staff}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...(opts.contentLength ? { 'content-length': opts.contentLength } : {}),
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', (err) => (opts.abortAfter !== undefined ? resolve('aborted') : reject(err)));
      let i = 0;
      let sent = 0;
      const pump = () => {
        while (i < pieces.length) {
          if (opts.abortAfter !== undefined && sent >= opts.abortAfter) {
            req.destroy();
            return resolve('aborted');
          }
          const p = pieces[i++]!;
          sent += p.length;
          if (!req.write(p)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
  }

  /** A 22.5 MB CSV of 14,000 households (a wide remarks column), as the probe sent it. */
  function bigList(): Buffer {
    const rows = arrearsRows(14_000).map((r) => [...r, 'x'.repeat(1_590)]);
    const csv = Buffer.from(toCsv([[...LIST_HEADERS, '비고'], ...rows]));
    expect(csv.length).to.be.within(22 * 1024 * 1024, 23 * 1024 * 1024);
    return csv;
  }
  const pieces = (body: Buffer) =>
    Array.from({ length: Math.ceil(body.length / (1024 * 1024)) }, (_, k) =>
      body.subarray(k * 1024 * 1024, (k + 1) * 1024 * 1024),
    );
  const form = (file: Buffer, fields: Record<string, string> = {}) =>
    Buffer.concat([
      Buffer.from(
        part('partnerId', partnerId) +
          part('listName', '한전 큰 명단') +
          Object.entries(fields)
            .map(([k, v]) => part(k, v))
            .join('') +
          filePart('big.csv'),
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);

  it('refuses a 22.5 MB list sent chunked (no Content-Length) with 413 naming the limit, and stores nothing', async () => {
    const before = await stored();
    const res = await send(pieces(form(bigList())));
    expect(res).to.not.equal('aborted');
    const { status, text } = res as { status: number; text: string };
    expect(status).to.equal(413);
    expect(text).to.contain('파일이 너무 큽니다 (최대 20MB)');
    expect(await stored()).to.deep.equal(before);
  });

  it('stores nothing of an upload whose connection is cut half-way', async () => {
    const before = await stored();
    const body = form(Buffer.from(toCsv([LIST_HEADERS, ...arrearsRows(5_000)])));
    const smallPieces = Array.from({ length: Math.ceil(body.length / 65_536) }, (_, k) =>
      body.subarray(k * 65_536, (k + 1) * 65_536),
    );
    expect(await send(smallPieces, { contentLength: body.length, abortAfter: Math.floor(body.length / 2) })).to.equal(
      'aborted',
    );
    // the server notices the cut and removes what it had stored of the file
    let now = await stored();
    for (let i = 0; i < 500 && (now.files !== before.files || now.imports !== before.imports); i++) {
      await new Promise((r) => setImmediate(r));
      now = await stored();
    }
    expect(now).to.deep.equal(before);
  });

  it('refuses a form whose field the parser would cut, or with a second file it would drop, naming the limit', async () => {
    const before = await stored();
    const list = Buffer.from(toCsv([LIST_HEADERS, ...arrearsRows(3)]));
    const long = await send([form(list, { encoding: 'a'.repeat(5_000) })]);
    expect(long).to.deep.include({ status: 400 });
    expect((long as { text: string }).text).to.contain('항목당 최대 4,096자');
    const second = Buffer.concat([
      Buffer.from(part('partnerId', partnerId) + part('listName', '두 파일') + filePart('a.csv')),
      list,
      Buffer.from(`\r\n${filePart('b.csv')}`),
      list,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const two = await send([second]);
    expect(two).to.deep.include({ status: 400 });
    expect((two as { text: string }).text).to.contain('파일은 한 번에 하나만');
    expect(await stored()).to.deep.equal(before);
  });
});
