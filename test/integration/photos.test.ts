import { expect } from 'chai';
import { msg } from '../../flows/report/messages';
import { checkImage } from '../../src/domain/photo/image-check';
import { keepPhoto } from '../../src/domain/photo/photo';
import { retentionPass, sweepUnlistedPhotos } from '../../src/jobs/retention';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, consoleCookie } from '../support/console';
import { testDatabase } from '../support/database';
import { giveContact, KakaoUser, postSkill, skillBody } from '../support/kakao-client';
import { bombPng, GPS_MARK, PhotoServer, photoJpeg, photoPng } from '../support/photos';
import { storedDocuments } from '../../src/store/inspect';

/**
 * Issue 22, item 1 over KakaoTalk, end to end: photos fetched from a local stand-in for Kakao's
 * CDN (PHOTO_FETCH_STAND_INS, a test-only setting), checked, kept, filed with the report and shown
 * on the case page; every bad photo refused in Korean with nothing stored.
 */
describe('Photos and places as evidence (KakaoTalk, console, retention)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let cdn: PhotoServer;
  let inviteCode: string;
  let seq = 0;
  let staff: string;

  before(async () => {
    db = await testDatabase('photos');
    cdn = await new PhotoServer()
      .put('p1.png', photoPng(1))
      .put('p2.png', photoPng(2))
      .put('p3.png', photoPng(3))
      .put('p4.png', photoPng(4))
      .put('gps.jpg', photoJpeg())
      .put('notimage.png', Buffer.from('<html><body>not a photo</body></html>'))
      .put('bomb.png', bombPng())
      .start();
    const config = testConfig({
      PHOTO_FETCH_STAND_INS: `talk.kakaocdn.net=${cdn.baseUrl},secure.kakaocdn.net=${cdn.baseUrl}`,
      PHOTO_FETCH_TIMEOUT_MS: '1000',
    });
    app = await startTestApp(db.connection, { config });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
    await addUser({ config, repos: app.repos }, 'photo-staff', 'staff');
    await addUser({ config, repos: app.repos }, 'photo-hongje3', 'dong', '홍제3동');
    await addUser({ config, repos: app.repos }, 'photo-yeonhui', 'dong', '연희동');
    staff = await consoleCookie(app.baseUrl, 'photo-staff');
  });
  after(async () => {
    await app.close();
    await cdn.close();
    await db.drop();
  });

  async function linkedUser(): Promise<KakaoUser> {
    const user = new KakaoUser(app.baseUrl, `photo-user-${++seq}`);
    await user.say('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.say('취소');
    return user;
  }
  /** A user at the address question (2/8). */
  async function atAddress(): Promise<KakaoUser> {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('빠른 확인 필요');
    expect(user.text()).to.contain('2/8');
    return user;
  }
  /** Sends a photo the way Kakao's secure-image plugin does: a JSON string parameter listing the URLs. */
  async function secureImage(user: KakaoUser, url: string): Promise<string> {
    const body = skillBody(user.id, '사진');
    (body.action as Record<string, unknown>).params = {
      secureimage: JSON.stringify({ privacyAgreement: 'Y', imageQuantity: '1', secureUrls: `List(${url})` }),
    };
    const res = await postSkill(app.baseUrl, body);
    const answer = (await res.json()) as { template: { outputs: { simpleText?: { text: string } }[] } };
    return answer.template.outputs.map((o) => o.simpleText?.text ?? '').join('\n');
  }
  const stepOf = async (user: KakaoUser) => {
    const v = await app.repos.conversations.current({ channel: 'kakao', userId: user.id });
    return v && 'stepId' in v ? v.stepId : undefined;
  };
  const photoCount = () => storedDocuments(db.connection, 'photos').count();
  const receiptOf = (user: KakaoUser) => /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
  const page = async (path: string, cookie = staff) => fetch(`${app.baseUrl}${path}`, { headers: { cookie } });
  const photoLinks = (html: string, receipt: string) =>
    [...html.matchAll(new RegExp(`<img src="(/console/reports/${receipt}/photos/[0-9a-f]+)"`, 'g'))].map((m) => m[1]!);

  let filed: { receipt: string; links: string[] };

  it('a conversation that sends a photo at three different steps ends with a report whose case page shows the three photos', async () => {
    const user = await atAddress();
    // 1: an image URL as the utterance, at the address question
    await user.say('https://talk.kakaocdn.net/dn/img/p1.png');
    expect(user.text())
      .to.contain('사진을 받았습니다')
      .and.contain('(이 신고에 1장)')
      .and.contain('2/8 위기 의심 가구의 주소');
    expect(await stepOf(user)).to.equal('address');
    await user.say('서울 서대문구 홍제3동 문화촌아파트 101동');
    await user.press('맞음');
    // 2: the secure-image plugin's parameter, at the signs question
    const said = await secureImage(user, 'https://secure.kakaocdn.net/img/p2.png?credential=abc&expires=1');
    expect(said).to.contain('사진을 받았습니다').and.contain('(이 신고에 2장)');
    expect(await stepOf(user)).to.equal('signs');
    await user.say('사진'); // the plugin's utterance alone is no answer: the signs question stays
    await user.press('공과금 체납·단전·단수');
    await user.press('선택 완료');
    await user.say('홍길동');
    await user.say('70대 할머니');
    await user.say('010 1234 5678');
    // 3: at the situation question
    expect(await stepOf(user)).to.equal('situation');
    await user.say('https://talk.kakaocdn.net/dn/img/p3.png');
    expect(user.text()).to.contain('사진을 받았습니다').and.contain('(이 신고에 3장)');
    expect(await stepOf(user)).to.equal('situation');
    await user.say('현관 앞에 우편물이 쌓여 있고 전기가 끊긴 것 같습니다.');
    expect(user.text()).to.contain('· 사진: 3장');
    await user.press('접수');
    const receipt = receiptOf(user)!;
    expect(receipt).to.match(/^\d{4}-\d{6}$/);

    const stored = (await app.repos.reports.byReceiptNo('seodaemun', receipt))!;
    expect(stored.photoIds).to.have.length(3);
    const res = await page(`/console/reports/${receipt}`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.contain('사진 (3장)');
    const links = photoLinks(html, receipt);
    expect(links).to.have.length(3);
    const served: Buffer[] = [];
    for (const link of links) {
      const photo = await page(link);
      expect(photo.status).to.equal(200);
      expect(photo.headers.get('content-type')).to.equal('image/png');
      served.push(Buffer.from(await photo.arrayBuffer()));
    }
    // the three photos as sent, in order, each without its GPS position
    const asChecked = (b: Buffer) => {
      const c = checkImage(b);
      return c.ok ? c.image.bytes : Buffer.alloc(0);
    };
    expect(served).to.deep.equal([photoPng(1), photoPng(2), photoPng(3)].map(asChecked));
    for (const b of served) expect(b.includes(Buffer.from(GPS_MARK))).to.equal(false);
    filed = { receipt, links };
  });

  it('records every view of a photo as an access record, and shows them to the dong the case is in, not to another dong', async () => {
    const { receipt, links } = filed;
    const from = new Date(Date.now() - 60_000);
    await page(links[0]!);
    await page(links[1]!);
    const records = (await app.repos.accessRecords.between(from, new Date(Date.now() + 60_000))).filter(
      (r) => r.detail.startsWith('photo') && r.receiptNos.includes(receipt),
    );
    expect(records.length).to.be.at.least(2);
    expect(records.every((r) => r.actor === 'user:photo-staff' && r.action === 'view')).to.equal(true);

    const hongje = await consoleCookie(app.baseUrl, 'photo-hongje3');
    const own = await page(`/console/reports/${receipt}`, hongje);
    expect(photoLinks(await own.text(), receipt)).to.have.length(3);
    expect((await page(links[2]!, hongje)).status).to.equal(200);
    const yeonhui = await consoleCookie(app.baseUrl, 'photo-yeonhui');
    expect((await page(links[2]!, yeonhui)).status).to.equal(404);
    // a photo id of another report is not served under this receipt
    expect((await page(`/console/reports/${receipt}/photos/${'0'.repeat(40)}`)).status).to.equal(404);
  });

  it('keeps the same photo sent twice once and says so', async () => {
    const user = await atAddress();
    const before = await photoCount();
    await user.say('https://talk.kakaocdn.net/dn/img/p4.png');
    expect(user.text()).to.contain('사진을 받았습니다');
    await user.say('https://talk.kakaocdn.net/dn/img/p4.png');
    expect(user.text()).to.contain(msg.photoAgain).and.contain('2/8');
    expect(await photoCount()).to.equal(before + 1);
  });

  it('takes several photos picked at once in the secure-image plugin, each kept or refused with its own line', async () => {
    const user = await atAddress();
    const before = await photoCount();
    const said = await secureImage(
      user,
      'https://secure.kakaocdn.net/img/p1.png, https://secure.kakaocdn.net/img/notimage.png, https://secure.kakaocdn.net/img/p2.png',
    );
    expect(said)
      .to.contain('(이 신고에 1장)')
      .and.contain(msg.photoRefused.not_image)
      .and.contain('(이 신고에 2장)')
      .and.contain('2/8');
    expect(await photoCount()).to.equal(before + 2);
    const draft = (await app.repos.conversations.current({ channel: 'kakao', userId: user.id })) as unknown as {
      stepId: string;
      data: { photoIds: string[] };
    };
    expect(draft.stepId).to.equal('address');
    expect(draft.data.photoIds).to.have.length(2);
  });

  it('takes the same photo sent twice at once (a double send) once: one stored, one in the report', async () => {
    const user = await atAddress();
    user.patient = false;
    const before = await photoCount();
    const url = 'https://talk.kakaocdn.net/dn/img/p3.png';
    const answers = await Promise.all([
      postSkill(app.baseUrl, skillBody(user.id, url)),
      postSkill(app.baseUrl, skillBody(user.id, url)),
    ]);
    const texts = await Promise.all(answers.map(async (a) => JSON.stringify(await a.json())));
    expect(texts.filter((t) => t.includes('사진을 받았습니다'))).to.have.length(1);
    expect(await photoCount()).to.equal(before + 1);
    const draft = (await app.repos.conversations.current({ channel: 'kakao', userId: user.id })) as unknown as {
      stepId: string;
      data: { photoIds: string[] };
    };
    expect(draft.stepId).to.equal('address');
    expect(draft.data.photoIds).to.have.length(1);
  });

  describe('bad photos: a clear Korean reply, nothing stored, the conversation where it was', () => {
    const cases: [string, string | (() => string), string][] = [
      ['a file that is not an image', 'https://talk.kakaocdn.net/dn/img/notimage.png', msg.photoRefused.not_image],
      ['a 50 MB image', 'https://talk.kakaocdn.net/huge/big.jpg', msg.photoRefused.too_large],
      [
        'a decompression bomb (50,000 × 50,000 pixels in a few hundred bytes)',
        'https://talk.kakaocdn.net/dn/img/bomb.png',
        msg.photoRefused.too_many_pixels,
      ],
      ['an expired secure URL', 'https://talk.kakaocdn.net/expired/p1.png?expires=1', msg.photoRefused.expired],
      [
        'an image host that does not answer in time',
        'https://talk.kakaocdn.net/slow/p1.png',
        msg.photoRefused.unreachable,
      ],
      ['an image host that cannot be reached', 'https://dn-m.kakaocdn.net/dn/p1.jpg', msg.photoRefused.unreachable],
      ['a URL to the loopback address', () => `${cdn.baseUrl}/img/p1.png`, msg.photoRefused.not_allowed],
      ['a URL to a private address', 'http://10.0.0.5/dn/photo.jpg', msg.photoRefused.not_allowed],
      ['a URL to the cloud metadata address', 'http://169.254.169.254/latest/photo.png', msg.photoRefused.not_allowed],
      ["an image on a host that is not Kakao's", 'https://example.com/photo.jpg', msg.photoRefused.not_allowed],
    ];
    for (const [what, url, reply] of cases) {
      it(`refuses ${what}`, async () => {
        const user = await atAddress();
        const before = await photoCount();
        const requested = cdn.requests.length;
        await user.say(typeof url === 'string' ? url : url());
        expect(user.text()).to.contain(reply).and.contain('2/8 위기 의심 가구의 주소');
        expect(user.text()).to.not.contain('사진을 받았습니다');
        expect(await stepOf(user)).to.equal('address');
        expect(await photoCount()).to.equal(before);
        if (reply === msg.photoRefused.not_allowed) expect(cdn.requests.length, 'never fetched').to.equal(requested);
        // the conversation goes on from where it was
        await user.say('서울 서대문구 홍제3동 문화촌아파트 101동');
        expect(user.text()).to.contain('홍제3동 주민센터 관할');
      });
    }

    it('refuses a photo sent between conversations without keeping it', async () => {
      const user = await linkedUser();
      const before = await photoCount();
      await user.say('https://talk.kakaocdn.net/dn/img/p1.png');
      expect(user.text()).to.contain(msg.photoIdle);
      expect(await photoCount()).to.equal(before);
    });
  });

  it('takes the EXIF position out of a JPEG unless the district keeps it', async () => {
    const keepOff = await keepPhoto(
      app.repos.photos,
      { maxBytes: 10_000_000, maxPixels: 40_000_000, keepLocation: false },
      'exif-test-1',
      photoJpeg(),
      new Date(),
    );
    const keepOn = await keepPhoto(
      app.repos.photos,
      { maxBytes: 10_000_000, maxPixels: 40_000_000, keepLocation: true },
      'exif-test-2',
      photoJpeg(),
      new Date(),
    );
    if (!keepOff.ok || !keepOn.ok) throw new Error('not kept');
    expect((await app.repos.photos.bytes(keepOff.id))!.includes(Buffer.from(GPS_MARK))).to.equal(false);
    expect((await app.repos.photos.bytes(keepOn.id))!.includes(Buffer.from(GPS_MARK))).to.equal(true);
    await app.repos.photos.remove([keepOff.id, keepOn.id]);
  });

  it('removes the photos of a report never filed (cancelled), and keeps those of filed reports', async () => {
    const user = await atAddress();
    await user.say('https://talk.kakaocdn.net/dn/img/p2.png');
    const draft = (await app.repos.conversations.current({ channel: 'kakao', userId: user.id })) as unknown as {
      data: { photoIds: string[] };
    };
    const [id] = draft.data.photoIds;
    await user.say('취소');
    const photo = (await app.repos.photos.meta(id!))!;
    const removed = await sweepUnlistedPhotos(app.repos, new Date(photo.receivedAt.getTime() + 3 * 86_400_000), 24);
    expect(removed).to.be.at.least(1);
    expect(await app.repos.photos.meta(id!)).to.equal(undefined);
    const report = (await app.repos.reports.byReceiptNo('seodaemun', filed.receipt))!;
    for (const kept of report.photoIds!) expect(await app.repos.photos.meta(kept)).to.not.equal(undefined);
  });

  it('removes the bytes of a photo write that stopped half-way (chunks stored, the photo never whole)', async () => {
    const at = new Date();
    const chunks = storedDocuments(db.connection, 'photoChunks');
    // what a process that stopped between the chunks and the photo document leaves behind
    await storedDocuments(db.connection, 'photoPending').insertOne({ _id: 'cut-short', chunks: 2, at });
    await chunks.insertMany([
      { _id: 'cut-short:0', photoId: 'cut-short', n: 0, data: Buffer.alloc(10) },
      { _id: 'cut-short:1', photoId: 'cut-short', n: 1, data: Buffer.alloc(10) },
    ]);
    await sweepUnlistedPhotos(app.repos, new Date(at.getTime() + 2 * 3_600_000), 24);
    expect(await chunks.count({ photoId: 'cut-short' })).to.equal(0);
    expect(await storedDocuments(db.connection, 'photoPending').count()).to.equal(0);
    const report = (await app.repos.reports.byReceiptNo('seodaemun', filed.receipt))!;
    for (const kept of report.photoIds!) expect(await app.repos.photos.bytes(kept)).to.not.equal(undefined);
  });

  it('retention removes the photos with the case', async () => {
    const { receipt, links } = filed;
    const report = (await app.repos.reports.byReceiptNo('seodaemun', receipt))!;
    const ids = report.photoIds!;
    const closedAt = new Date(report.receivedAt.getTime() + 86_400_000);
    const current = (await app.repos.reports.current(report.id))!;
    expect(
      await app.repos.reports.changeInPlace(current, {
        ...current,
        status: 'closed',
        closedAt,
        history: [
          ...current.history,
          { at: closedAt, by: 'user:photo-staff', action: 'close', from: current.status, to: 'closed' },
        ],
      }),
    ).to.equal(true);
    const chunksBefore = await storedDocuments(db.connection, 'photoChunks').count();
    const now = new Date(closedAt.getTime() + 6 * 365 * 86_400_000);
    const pass = await retentionPass(testConfig(), app.repos, {
      now,
      apply: true,
      actor: 'job:retention',
      role: 'system',
      channel: 'job',
    });
    expect(pass.anonymised).to.include(receipt);
    for (const id of ids) expect(await app.repos.photos.meta(id)).to.equal(undefined);
    expect(await storedDocuments(db.connection, 'photoChunks').count()).to.equal(chunksBefore - 3);
    expect((await app.repos.reports.current(report.id))!.photoIds).to.deep.equal([]);
    expect((await page(links[0]!)).status).to.equal(404);
    expect(await (await page(`/console/reports/${receipt}`)).text()).to.not.contain('사진 (');
  });

  describe('map links place the address as a shared location does', () => {
    // 37.59, 126.944 lies in 홍제3동 (the Telegram location test's point)
    const R = 6_378_137;
    const mercator = {
      x: ((126.944 * Math.PI) / 180) * R,
      y: Math.log(Math.tan(Math.PI / 4 + (37.59 * Math.PI) / 360)) * R,
    };
    const links = [
      ['a Kakao Map link', 'https://map.kakao.com/link/map/우리집,37.59,126.944'],
      ['a Kakao Map link without a name', 'https://map.kakao.com/link/map/37.59,126.944'],
      ['a Naver Map link in degrees', 'https://map.naver.com/p?c=126.944,37.59,15,0,0,0,dh'],
      [
        'a Naver Map link in metres',
        `https://map.naver.com/v5/?c=${mercator.x.toFixed(4)},${mercator.y.toFixed(4)},15,0,0,0,dh`,
      ],
      ['a Naver Map link with lat and lng', 'https://map.naver.com/index.nhn?lng=126.944&lat=37.59'],
    ];
    for (const [what, link] of links) {
      it(`reads ${what} for its point and offers its dong`, async () => {
        const user = await atAddress();
        await user.say(link!);
        expect(user.text()).to.contain('홍제3동 주민센터 관할');
        await user.press('맞음');
        const v = (await app.repos.conversations.current({ channel: 'kakao', userId: user.id })) as unknown as {
          data: { address: string; dongBy: string };
        };
        expect(v.data.address).to.match(/^지도 링크 \(37\.5900\d, 126\.9440\d\)$/);
        expect(v.data.dongBy).to.equal('location');
      });
    }

    it('says a map link without a point cannot be read (a short link is refused as a link), and asks the address again', async () => {
      const user = await atAddress();
      await user.say('https://place.map.kakao.com/12345678');
      expect(user.text()).to.contain(msg.mapLinkUnread).and.contain('2/8');
      await user.say('https://naver.me/5abcDEF');
      expect(user.text()).to.contain(msg.addressIsLink).and.contain('2/8');
      await user.say('https://map.kakao.com/link/map/부산,35.1796,129.0756');
      expect(user.text()).to.contain('밖입니다');
    });
  });
});
