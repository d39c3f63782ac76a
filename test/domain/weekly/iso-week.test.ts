import { expect } from 'chai';
import { addWeeks, parseWeek, weekLabelKo, weekOf, weeksInYear } from '../../../src/domain/weekly/iso-week';
import { dueWeeks } from '../../../src/jobs/weekly-scheduler';
import { kst } from '../../support/report-fixtures';

describe('ISO weeks on the Seoul calendar', () => {
  it('puts 23:30 Sunday KST in that week and 00:10 Monday KST in the next, whatever UTC says', () => {
    // 2026-11-22 is a Sunday; 23:30 KST is 14:30 UTC the same day, 00:10 Monday KST is 15:10 UTC Sunday
    expect(weekOf(kst('2026-11-22 23:30')).id).to.equal('2026-W47');
    expect(weekOf(kst('2026-11-23 00:10')).id).to.equal('2026-W48');
    expect(weekOf(kst('2026-11-16 00:00')).id).to.equal('2026-W47');
    expect(weekOf(kst('2026-11-15 23:59')).id).to.equal('2026-W46');
  });

  it('gives a week as Monday 00:00 KST to the next Monday, exclusive', () => {
    const w = parseWeek('2026-W47')!;
    expect(w.start.toISOString()).to.equal('2026-11-15T15:00:00.000Z');
    expect(w.end.toISOString()).to.equal('2026-11-22T15:00:00.000Z');
    expect(weekLabelKo(w)).to.equal('11월 16일(월)~11월 22일(일)');
  });

  it('starts 2026-W01 on Monday 2025-12-29 and ends 2026 with a 53rd week', () => {
    expect(weekOf(kst('2025-12-29 00:00')).id).to.equal('2026-W01');
    expect(weekOf(kst('2025-12-28 23:59')).id).to.equal('2025-W52');
    expect(parseWeek('2026-W01')!.start.toISOString()).to.equal('2025-12-28T15:00:00.000Z');
    expect(weeksInYear(2026)).to.equal(53);
    expect(weeksInYear(2025)).to.equal(52);
    expect(weekOf(kst('2027-01-03 23:59')).id).to.equal('2026-W53');
    expect(weekOf(kst('2027-01-04 00:00')).id).to.equal('2027-W01');
    expect(addWeeks(parseWeek('2026-W53')!, 1).id).to.equal('2027-W01');
    expect(addWeeks(parseWeek('2027-W01')!, -1).id).to.equal('2026-W53');
  });

  it('knows the other 53-week years (2020 leap year starting Wednesday, 2015 starting Thursday)', () => {
    expect(weeksInYear(2020)).to.equal(53);
    expect(weeksInYear(2015)).to.equal(53);
    expect(weekOf(kst('2021-01-01 12:00')).id).to.equal('2020-W53');
    expect(parseWeek('2020-W53')).to.not.equal(undefined);
  });

  it('refuses weeks that do not exist and malformed ids', () => {
    for (const bad of ['2025-W53', '2026-W54', '2026-W00', '2026W47', '2026-47', 'W47', '', '2026-W4', '1999-W10']) {
      expect(parseWeek(bad), bad).to.equal(undefined);
    }
  });

  it("makes last week's list due at Monday 09:00 KST and not a minute before", () => {
    expect(dueWeeks('0 9 * * 1', kst('2026-11-23 08:59'), 1)).to.deep.equal([]);
    expect(dueWeeks('0 9 * * 1', kst('2026-11-23 09:00'), 1).map((w) => w.id)).to.deep.equal(['2026-W47']);
    expect(dueWeeks('0 9 * * 1', kst('2026-11-25 10:00'), 2).map((w) => w.id)).to.deep.equal(['2026-W46', '2026-W47']);
  });
});
