import { expect } from 'chai';
import { demoRandom, demoReport, demoSlots, type DemoPartner, type DemoRecent } from '../../src/demo/demo-reports';
import { loadDistrict } from '../../src/domain/district';

describe('demo reports (the generator behind `demo seed`)', () => {
  const now = new Date('2026-11-25T03:00:00Z');
  const partners: DemoPartner[] = [{ id: 'p1', name: '[데모] 가상우체국', kind: 'post' }];

  // The weekly lists and their benchmark rely on this for every seed, not only a lucky one.
  it('gives every dong a report of its own in the last week, for every one of 100 seeds', function () {
    this.timeout(300_000); // 24,000 reports built through the workflow: seconds alone, more on a loaded machine
    for (const districtId of ['seodaemun', 'geumcheon']) {
      const district = loadDistrict(districtId);
      for (let seed = 1; seed <= 100; seed++) {
        const rnd = demoRandom(seed);
        const recent: DemoRecent = [];
        const reports = demoSlots(120, district, now, rnd).map((slot, i) =>
          demoReport({ district, partners, now, recent }, slot, `2026-${String(i + 1).padStart(6, '0')}`, rnd),
        );
        for (const dong of district.dongs) {
          const thisWeek = reports.some(
            (r) => r.assignedDongCode === dong.code && now.getTime() - r.receivedAt.getTime() < 7 * 86_400_000,
          );
          expect(thisWeek, `seed ${seed}, ${district.id} ${dong.name}`).to.equal(true);
        }
      }
    }
  });

  it('builds the same district from the same seed', () => {
    const district = loadDistrict('seodaemun');
    const build = () => {
      const rnd = demoRandom(42);
      const recent: DemoRecent = [];
      return demoSlots(50, district, now, rnd).map((slot, i) =>
        demoReport({ district, partners, now, recent }, slot, `2026-${i}`, rnd),
      );
    };
    const strip = (r: ReturnType<typeof build>[number]) => ({ ...r, submissionId: '' });
    expect(build().map(strip)).to.deep.equal(build().map(strip));
  });
});
