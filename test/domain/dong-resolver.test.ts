import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { loadDistrict } from '../../src/domain/district';
import { resolveDong } from '../../src/domain/dong-resolver';
import { kakaoLocalGeocoder } from '../../src/geo/kakao-local';
import { dongAtPoint } from '../../src/domain/point-in-dong';

const seodaemun = loadDistrict('seodaemun');
const geumcheon = loadDistrict('geumcheon');

async function nameOf(text: string, district = seodaemun) {
  const r = await resolveDong(district, text);
  return r.kind === 'resolved'
    ? `${r.dong.name}/${r.by}`
    : r.kind === 'outside'
      ? `outside:${r.place}`
      : `choose:${r.dongs.map((d) => d.name).join(',')}`;
}

describe('address → administrative dong', () => {
  it('finds an administrative dong named in either form, with or without a space', async () => {
    expect(await nameOf('서울특별시 서대문구 홍제3동 문화촌아파트')).to.equal('홍제3동/dong-name');
    expect(await nameOf('홍제제1동 주민센터 뒤')).to.equal('홍제1동/dong-name');
    expect(await nameOf('남가좌 2동 2-4')).to.equal('남가좌2동/dong-name');
    expect(await nameOf('시흥5동 837-38', geumcheon)).to.equal('시흥5동/dong-name');
  });

  it('maps a legal dong that belongs to one administrative dong', async () => {
    expect(await nameOf('충정로2가 185')).to.equal('충현동/legal-dong');
    expect(await nameOf('서대문구 창천동 31-10')).to.equal('신촌동/legal-dong');
    expect(await nameOf('현저동 101')).to.equal('천연동/legal-dong');
  });

  it('offers only the candidate dongs of a split legal dong', async () => {
    expect(await nameOf('북가좌동 123-4')).to.equal('choose:북가좌1동,북가좌2동');
    expect(await nameOf('홍제동 산1-1')).to.equal('choose:홍제1동,홍제3동,홍제2동');
    expect(await nameOf('북아현동 1-2')).to.equal('choose:북아현동,충현동');
    expect(await nameOf('독산동 1000', geumcheon)).to.equal('choose:독산1동,독산2동,독산3동,독산4동');
  });

  it('does not read a legal dong name inside another word', async () => {
    expect(await nameOf('종합동물병원 옆 건물')).to.match(/^choose:천연동,/);
  });

  it('offers first the dongs a road or place name points at when nothing places the address', async () => {
    expect(await nameOf('연희로 32길 골목')).to.match(/^choose:연희동,천연동,/);
    expect(await nameOf('홍제내2길 끝집')).to.match(/^choose:홍제1동,홍제3동,홍제2동,천연동,/);
    expect(await nameOf('충정로 골목 안')).to.match(/^choose:충현동,천연동,/);
  });

  it('refuses addresses in another district', async () => {
    expect(await nameOf('서울 마포구 합정동 123')).to.equal('outside:마포구');
    expect(await nameOf('경기도 고양시 덕양구')).to.equal('outside:경기도');
    expect(await nameOf('서울 서대문구 연희동', geumcheon)).to.equal('outside:서대문구');
  });

  describe('with Kakao Local (recorded answers served locally)', () => {
    let server: Server;
    let base: string;
    const seen: { auth?: string; query?: string }[] = [];
    const answers: Record<string, unknown> = {
      '서울특별시 서대문구 연희로 248': {
        meta: { total_count: 1 },
        documents: [
          {
            address_name: '서울 서대문구 연희동 168-6',
            address_type: 'ROAD_ADDR',
            address: {
              region_1depth_name: '서울',
              region_2depth_name: '서대문구',
              region_3depth_h_name: '연희동',
              h_code: '1141061500',
              b_code: '1141011900',
            },
            road_address: { region_1depth_name: '서울', region_2depth_name: '서대문구', road_name: '연희로' },
          },
        ],
      },
      '서울특별시 서대문구 북가좌동 2-4': {
        documents: [
          {
            address: { region_1depth_name: '서울', region_2depth_name: '서대문구', h_code: '1141072000' },
            road_address: null,
          },
        ],
      },
      '서울특별시 서대문구 월드컵북로 400': {
        documents: [
          {
            address: { region_1depth_name: '서울', region_2depth_name: '마포구', h_code: '1144071000' },
            road_address: null,
          },
        ],
      },
    };

    before(async () => {
      server = createServer((req, res) => {
        const url = new URL(req.url!, 'http://x');
        const query = url.searchParams.get('query') ?? '';
        seen.push({ auth: req.headers.authorization, query });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answers[query] ?? { documents: [] }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => server.close());

    const geocode = () => kakaoLocalGeocoder({ apiKey: 'test-key', baseUrl: base });

    it('resolves a road-name address by its h_code, sending the REST key', async () => {
      const r = await resolveDong(seodaemun, '연희로 248', geocode());
      expect(r).to.deep.include({ kind: 'resolved', by: 'geocoder' });
      expect(r.kind === 'resolved' && r.dong.name).to.equal('연희동');
      expect(seen.at(-1)).to.deep.equal({ auth: 'KakaoAK test-key', query: '서울특별시 서대문구 연희로 248' });
    });

    it('settles a split legal dong with the lot number', async () => {
      const r = await resolveDong(seodaemun, '북가좌동 2-4', geocode());
      expect(r.kind === 'resolved' && r.dong.name).to.equal('북가좌2동');
    });

    it('refuses what Kakao places in another district, and falls back to choosing when it knows nothing', async () => {
      expect(await resolveDong(seodaemun, '월드컵북로 400', geocode())).to.deep.equal({
        kind: 'outside',
        place: '서울 마포구',
      });
      const r = await resolveDong(seodaemun, '이름 없는 골목 3', geocode());
      expect(r.kind).to.equal('candidates');
    });

    it('still offers a choice when the Kakao API is unreachable', async () => {
      const down = kakaoLocalGeocoder({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', timeoutMs: 300 });
      const r = await resolveDong(seodaemun, '연희로 248', down);
      expect(r.kind).to.equal('candidates');
    });
  });

  it('places a shared location in the dong whose boundary holds it', () => {
    expect(dongAtPoint(seodaemun, 37.5791, 126.9368)?.name).to.equal('연희동'); // 서대문구청, 연희로 248
    expect(dongAtPoint(seodaemun, 35.1796, 129.0756)).to.equal(undefined); // 부산시청
  });
});
