import { expect } from 'chai';
import type { WebReply } from '../../adapters/webchat/wire';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { fillReport, giveContact } from '../support/kakao-client';
import { bombPng, GPS_MARK, photoPng } from '../support/photos';
import { WebUser } from '../support/web-client';
import { storedDocuments } from '../../src/store/inspect';

/** The web chat's photo upload (POST /chat/api/photos, the page's 사진 button), over HTTP and FerretDB. */
describe('Web chat photo upload', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let inviteCode: string;

  before(async () => {
    db = await testDatabase('webchat_photo');
    app = await startTestApp(db.connection, {
      config: testConfig({ WEBCHAT_COOKIE_SECRET: 'webchat-photo-cookie-secret-0123456789abcdef' }),
    });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  let n = 0;
  async function upload(
    user: WebUser,
    body: Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; replies: WebReply[] }> {
    const res = await fetch(`${app.baseUrl}/chat/api/photos`, {
      method: 'POST',
      headers: {
        'content-type': 'image/png',
        'x-client-id': `photo-${process.pid}-${++n}`,
        cookie: user.cookie!,
        ...headers,
      },
      body: new Uint8Array(body),
    });
    const replies = (await res.json()) as WebReply[];
    if (res.status === 200) user.last = replies;
    return { status: res.status, replies };
  }
  const textOf = (replies: WebReply[]) => replies.map((r) => r.text).join('\n');
  const photoCount = () => storedDocuments(db.connection, 'photos').count();

  it('keeps an uploaded photo at any step and files it with the report; bad uploads are refused in Korean with nothing stored', async () => {
    const user = new WebUser(app.baseUrl);
    await user.hello();
    await user.press('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.say('취소');
    await user.say('신고');
    await user.press('빠른 확인 필요');
    const before = await photoCount();

    let r = await upload(user, photoPng(11));
    expect(r.status).to.equal(200);
    expect(textOf(r.replies)).to.contain('사진을 받았습니다').and.contain('2/8');
    // the same file again: told, kept once
    r = await upload(user, photoPng(11));
    expect(textOf(r.replies)).to.contain('이미 받은 사진입니다').and.contain('2/8');
    // not an image, a decompression bomb, a file over the limit (sent, or only named by the page)
    r = await upload(user, Buffer.from('%PDF-1.7 a document'));
    expect(textOf(r.replies)).to.contain('사진(JPEG·PNG·GIF·WebP)이 아니어서').and.contain('2/8');
    r = await upload(user, bombPng());
    expect(textOf(r.replies)).to.contain('해상도가 너무 큽니다').and.contain('2/8');
    r = await upload(user, Buffer.alloc(10 * 1024 * 1024 + 1, 0xff));
    expect(textOf(r.replies)).to.contain('사진 파일이 너무 큽니다').and.contain('2/8');
    r = await upload(user, Buffer.alloc(0), { 'x-photo-size': String(50 * 1024 * 1024) });
    expect(textOf(r.replies)).to.contain('사진 파일이 너무 큽니다').and.contain('2/8');
    expect(await photoCount()).to.equal(before + 1);

    // the conversation goes on from the address question; the report carries the photo
    await user.say('서울 서대문구 홍제3동 문화촌아파트 101동');
    await user.press('맞음');
    await user.press('우편물·전단지 적체');
    await user.press('선택 완료');
    await user.say('홍길동');
    await user.say('70대');
    await user.say('010 1234 5678');
    await user.say('우편물이 쌓여 있습니다.');
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(textOf(user.last))?.[1];
    const stored = (await app.repos.reports.byReceiptNo('seodaemun', receipt!))!;
    expect(stored.photoIds).to.have.length(1);
    expect((await app.repos.photos.bytes(stored.photoIds![0]!))!.includes(Buffer.from(GPS_MARK))).to.equal(false);
  });

  it('takes a retried upload (same client id) once, and refuses an upload without a client id', async () => {
    const user = new WebUser(app.baseUrl);
    await user.hello();
    await user.press('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.say('취소');
    await fillReport(user);
    const headers = { 'x-client-id': `retry-${process.pid}` };
    const first = await upload(user, photoPng(12), headers);
    expect(textOf(first.replies)).to.contain('사진을 받았습니다');
    const again = await upload(user, photoPng(12), headers);
    expect(textOf(again.replies)).to.not.contain('사진을 받았습니다').and.not.contain('이미 받은 사진');
    const res = await fetch(`${app.baseUrl}/chat/api/photos`, {
      method: 'POST',
      headers: { cookie: user.cookie! },
      body: new Uint8Array(photoPng(13)),
    });
    expect(res.status).to.equal(400);
  });
});
