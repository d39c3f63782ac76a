import { expect } from 'chai';
import type { AddressGeocoder } from '../../src/domain/geocoding';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { CaptureServer, type CapturedCall } from '../support/capture-server';
import { testDatabase } from '../support/database';
import { giveContact, KakaoUser } from '../support/kakao-client';

const KEY = 'devU01TX0FVVEgyMDI2MTEyMzA5MDAwMDExNTAwMDA=';

/** One juso[] entry in the API's recorded shape (business.juso.go.kr addrLinkApi.do, resultType=json). */
const juso = (roadAddr: string, jibunAddr: string, admCd: string, sggNm = '서대문구', siNm = '서울특별시') => ({
  roadAddr,
  roadAddrPart1: roadAddr.replace(/ \(.*\)$/, ''),
  roadAddrPart2: roadAddr.match(/ \(.*\)$/)?.[0] ?? '',
  jibunAddr,
  engAddr: '',
  zipNo: '03700',
  admCd,
  rnMgtSn: '114104154089',
  bdMgtSn: '1141011700101230000000001',
  detBdNmList: '',
  bdNm: '',
  bdKdcd: '0',
  siNm,
  sggNm,
  emdNm: jibunAddr.split(' ')[2] ?? '',
  liNm: '',
  rn: roadAddr.split(' ')[2] ?? '',
  udrtYn: '0',
  buldMnnm: '10',
  buldSlno: '0',
  mtYn: '0',
  lnbrMnnm: '123',
  lnbrSlno: '0',
  emdNo: '01',
});
const answer = (list: unknown[], errorCode = '0', errorMessage = '정상') => ({
  results: {
    common: { errorMessage, countPerPage: '10', totalCount: String(list.length), errorCode, currentPage: '1' },
    juso: errorCode === '0' ? list : null,
  },
});

/** The stand-in: answers like the real API for the few keywords the tests use. */
function jusoStandIn(call: CapturedCall) {
  const url = new URL(call.path, 'http://x');
  const keyword = url.searchParams.get('keyword') ?? '';
  if (url.searchParams.get('confmKey') !== KEY) return { json: answer([], 'E0001', '승인되지 않은 KEY 입니다.') };
  if (url.searchParams.get('resultType') !== 'json')
    return { json: answer([], 'E0005', '검색어가 입력되지 않았습니다.') };
  if (keyword.includes('증가로 10'))
    return {
      json: answer([juso('서울특별시 서대문구 증가로 10 (연희동)', '서울특별시 서대문구 연희동 123', '1141011700')]),
    };
  if (keyword.includes('모래내로 12')) {
    return {
      json: answer([
        juso('서울특별시 서대문구 모래내로 12 (남가좌동)', '서울특별시 서대문구 남가좌동 295', '1141012000'),
      ]),
    };
  }
  if (keyword.includes('월드컵북로 400')) {
    return {
      json: answer([
        juso('서울특별시 마포구 월드컵북로 400 (상암동)', '서울특별시 마포구 상암동 1601', '1144012700', '마포구'),
      ]),
    };
  }
  return { json: answer([]) };
}

describe('Road-name addresses through the 도로명주소 검색 API (a local stand-in)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let api: CaptureServer;
  let app: RunningApp;
  let inviteCode: string;
  let seq = 0;
  let kakaoLocal: AddressGeocoder | undefined;

  before(async () => {
    db = await testDatabase('road_address');
    api = await new CaptureServer(jusoStandIn).start();
    const config = testConfig({ JUSO_API_KEY: KEY, JUSO_API_URL: `${api.baseUrl}/addrlink/addrLinkApi.do` });
    // Kakao Local that fails (as when its key is wrong or it is down): the road-name search takes over
    app = await startTestApp(db.connection, {
      config,
      geocoder: (q) => (kakaoLocal ? kakaoLocal(q) : Promise.resolve(undefined)),
    });
    const partner = await app.repos.partners.create({ name: '서대문구 수도사업소', kind: 'utility', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await app.close();
    await api.close();
    await db.drop();
  });

  async function atAddressQuestion(): Promise<KakaoUser> {
    const user = new KakaoUser(app.baseUrl, `road-user-${++seq}`);
    await user.say('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.press('일반');
    return user;
  }

  it('places a road-name address in its dong when Kakao Local fails, and files it so', async () => {
    const user = await atAddressQuestion();
    const from = api.calls.length;
    await user.say('증가로 10 2층');
    expect(user.text()).to.contain('연희동 주민센터 관할로 확인됩니다');
    const call = api.calls[from]!;
    const params = new URL(call.path, 'http://x').searchParams;
    expect(params.get('keyword')).to.equal('서대문구 증가로 10 2층');
    expect(params.get('resultType')).to.equal('json');
    await user.press('맞음');
    expect(user.text()).to.contain('3/8');
  });

  it('asks among only the dongs of a split legal dong', async () => {
    const user = await atAddressQuestion();
    await user.say('모래내로 12');
    expect(user.text()).to.contain('담당 주민센터가 여러 곳');
    expect(user.labels()).to.deep.equal(['남가좌1동', '남가좌2동', '모름', '주소 다시 입력']);
  });

  it('refuses an address the API places in another district', async () => {
    const user = await atAddressQuestion();
    await user.say('월드컵북로 400');
    expect(user.text()).to.contain('서울특별시 마포구)는 서대문구 밖입니다');
  });

  it('falls back to the dongs the text mentions first when the API knows nothing or refuses the key', async () => {
    const user = await atAddressQuestion();
    await user.say('연희맛로 어딘가 골목');
    expect(user.labels()[0]).to.equal('연희동');
    const refused = await startTestApp(db.connection, {
      config: testConfig({ JUSO_API_KEY: 'wrong-key', JUSO_API_URL: `${api.baseUrl}/addrlink/addrLinkApi.do` }),
    });
    try {
      const other = new KakaoUser(refused.baseUrl, `road-user-${++seq}`);
      await other.say('신고');
      await other.say(inviteCode);
      await giveContact(other);
      await other.press('일반');
      await other.say('증가로 10');
      expect(other.text()).to.contain('담당 주민센터를 찾지 못했습니다');
    } finally {
      await refused.close();
    }
  });
});
