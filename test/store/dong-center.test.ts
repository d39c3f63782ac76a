import { expect } from 'chai';
import { loadDistrict } from '../../src/domain/district';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { connectDatabase } from '../../src/store/connect';
import { testDatabase } from '../support/database';

describe('dong center records', () => {
  const district = loadDistrict('geumcheon');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  before(async () => {
    db = await testDatabase('dong_center');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
  });
  after(() => db.drop());

  it('seeds one center per dong of the district, once, even from two instances at the same time, keeping edited targets', async () => {
    const other = await connectDatabase(db.uri);
    try {
      const counts = await Promise.all([
        repos.dongCenters.seed(district.id, district.dongs, new Date()),
        openRepositories(other).dongCenters.seed(district.id, district.dongs, new Date()),
      ]);
      expect(counts[0]! + counts[1]!).to.equal(district.dongs.length);
    } finally {
      await other.close();
    }
    const first = district.dongs[0]!;
    await repos.dongCenters.setTargets(district.id, first.code, { emails: ['dong@gc.example'] }, new Date());
    expect(await repos.dongCenters.seed(district.id, district.dongs, new Date())).to.equal(0);
    const list = await repos.dongCenters.list(district.id);
    expect(list).to.have.length(district.dongs.length);
    expect(list.map((c) => c.name)).to.have.members(district.dongs.map((d) => d.name));
    expect(list.find((c) => c.code === first.code)!.emails).to.deep.equal(['dong@gc.example']);
    expect(await repos.dongCenters.list('seodaemun')).to.deep.equal([]);
  });
});
