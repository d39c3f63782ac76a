import { expect } from 'chai';
import { deadlineText, seoulDateTime } from '../../src/console/views/format';
import { consultDeadline } from '../../src/domain/same-day';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, consoleCookie, file } from '../support/console';
import { testDatabase } from '../support/database';
import { kst } from '../support/report-fixtures';

/**
 * The same-day deadline as staff read it: the end of the business day the report arrived on,
 * never printed as "24:00" (which reads as the end of the next day).
 */
describe('consultation deadline in the console, in Korean time', () => {
  const cases: { received: string; deadline: string; why: string }[] = [
    { received: '2026-11-20 00:15', deadline: '2026. 11. 20. (금) 23:59까지', why: 'a Friday just after midnight' },
    { received: '2026-11-20 15:29', deadline: '2026. 11. 20. (금) 23:59까지', why: 'a Friday afternoon' },
    {
      received: '2026-11-20 23:59',
      deadline: '2026. 11. 20. (금) 23:59까지',
      why: 'a Friday, a minute before midnight',
    },
    {
      received: '2026-12-24 00:15',
      deadline: '2026. 12. 24. (목) 23:59까지',
      why: 'the day before Christmas (a holiday)',
    },
    { received: '2026-12-24 15:29', deadline: '2026. 12. 24. (목) 23:59까지', why: 'the afternoon before Christmas' },
    { received: '2026-12-24 23:59', deadline: '2026. 12. 24. (목) 23:59까지', why: 'a minute before Christmas' },
    {
      received: '2026-12-25 15:29',
      deadline: '2026. 12. 28. (월) 23:59까지',
      why: 'Christmas Friday: the next business day is Monday',
    },
    { received: '2026-11-21 00:15', deadline: '2026. 11. 23. (월) 23:59까지', why: 'a Saturday: Monday' },
  ];

  for (const c of cases) {
    it(`formats the deadline of a report received ${c.received} (${c.why})`, () => {
      expect(deadlineText(consultDeadline(kst(c.received)))).to.equal(c.deadline);
    });
  }

  it('prints midnight as 00:00 of the next day, never 24:00', () => {
    expect(seoulDateTime(kst('2026-11-21 00:00'))).to.equal('2026. 11. 21. 00:00');
    expect(seoulDateTime(kst('2026-11-20 00:15'))).to.equal('2026. 11. 20. 00:15');
  });

  describe('on the pages staff open', () => {
    let db: Awaited<ReturnType<typeof testDatabase>>;
    let app: RunningApp;
    let clock = kst('2026-11-20 23:59');
    const config = testConfig();
    let partnerId: string;

    before(async () => {
      db = await testDatabase('console_deadline');
      app = await startTestApp(db.connection, { config, now: () => clock });
      partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock })).id;
      await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    });
    after(async () => {
      await app.close();
      await db.drop();
    });

    const page = async (path: string) => {
      const cookie = await consoleCookie(app.baseUrl, 'staff1');
      return (await fetch(`${app.baseUrl}${path}`, { headers: { cookie } })).text();
    };

    for (const c of cases) {
      it(`shows "${c.deadline}" on the case and the today page for a report received ${c.received}`, async () => {
        clock = kst(c.received);
        const r = await file(app.repos, partnerId, clock);
        const detail = await page(`/console/reports/${r.receiptNo}`);
        expect(detail).to.contain(`기한 ${c.deadline}`);
        expect(detail).to.contain(`<dd>${seoulDateTime(clock)}</dd>`);
        expect(detail).to.not.match(/\b24:\d\d\b/);
        const today = await page('/console/today');
        const line = today.slice(today.indexOf(r.receiptNo)).split('</li>')[0]!;
        expect(line).to.contain(`기한 ${c.deadline}`);
      });
    }
  });
});
