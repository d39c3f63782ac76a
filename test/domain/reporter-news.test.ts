import { expect } from 'chai';
import { heardBack } from '../../src/domain/reporter-news/heard-back';
import { milestonesOf } from '../../src/domain/reporter-news/milestones';
import { newsMessage } from '../../src/domain/reporter-news/news-text';
import { isQuietHour, releaseAt } from '../../src/domain/reporter-news/quiet-hours';
import { kst } from '../support/report-fixtures';

describe('reporter news: what is news, when it may go, how it reads', () => {
  it('takes each milestone once, at its first time, whatever corrections, re-assignments and reopenings follow', () => {
    const h = (wall: string, action: string, to?: string) => ({ at: kst(wall), by: 'user:s', action, to });
    const got = milestonesOf({
      history: [
        h('2026-12-07 09:00', 'received', 'received'),
        h('2026-12-07 09:30', 'consult', 'consulted'),
        h('2026-12-07 09:40', 'consult', 'consulted'),
        h('2026-12-07 10:00', 'assign', 'assigned'),
        h('2026-12-07 10:10', 'assign', 'assigned'),
        h('2026-12-07 14:00', 'visit_result', 'visit_requested'),
        h('2026-12-08 15:00', 'visit_result', 'follow_up'),
        h('2026-12-09 11:00', 'end_follow_up', 'closed'),
        h('2026-12-09 11:10', 'reopen', 'assigned'),
        h('2026-12-09 11:20', 'close', 'closed'),
      ],
    });
    expect(got.map((m) => `${m.milestone}@${m.at.toISOString()}`)).to.deep.equal([
      `consulted@${kst('2026-12-07 09:30').toISOString()}`,
      `assigned@${kst('2026-12-07 10:00').toISOString()}`,
      `revisit@${kst('2026-12-07 14:00').toISOString()}`,
      `visited@${kst('2026-12-08 15:00').toISOString()}`,
      `follow_up@${kst('2026-12-08 15:00').toISOString()}`,
      `closed@${kst('2026-12-09 11:00').toISOString()}`,
    ]);
    // a staff note or an assignee is not news
    expect(
      milestonesOf({ history: [h('2026-12-07 09:00', 'set_assignee', 'kim'), h('2026-12-07 09:05', 'add_details')] }),
    ).to.deep.equal([]);
  });

  it('holds everything between 21:00 and 08:00 Seoul time for the next 08:00', () => {
    expect(isQuietHour(kst('2026-12-07 20:59'))).to.equal(false);
    expect(isQuietHour(kst('2026-12-07 21:00'))).to.equal(true);
    expect(isQuietHour(kst('2026-12-08 07:59'))).to.equal(true);
    expect(isQuietHour(kst('2026-12-08 08:00'))).to.equal(false);
    expect(releaseAt(kst('2026-12-07 21:00')).toISOString()).to.equal(kst('2026-12-08 08:00').toISOString());
    expect(releaseAt(kst('2026-12-07 23:59')).toISOString()).to.equal(kst('2026-12-08 08:00').toISOString());
    expect(releaseAt(kst('2026-12-08 00:00')).toISOString()).to.equal(kst('2026-12-08 08:00').toISOString());
    expect(releaseAt(kst('2026-12-31 22:00')).toISOString()).to.equal(kst('2027-01-01 08:00').toISOString());
    expect(releaseAt(kst('2026-12-08 12:00')).toISOString()).to.equal(kst('2026-12-08 12:00').toISOString());
  });

  it('words a message with the receipt number, the milestone and its date only', () => {
    const text = newsMessage([
      { receiptNo: '2026-000124', milestone: 'assigned', at: kst('2026-12-10 02:00') },
      { receiptNo: '2026-000123', milestone: 'visited', at: kst('2026-12-05 15:00') },
    ]);
    expect(text.split('\n')).to.deep.equal([
      '[신고 소식]',
      '접수번호 2026-000123: 12월 5일 동 주민센터에서 방문했습니다.',
      '접수번호 2026-000124: 12월 10일 동 주민센터에 배정되었습니다.',
      '알림을 받지 않으려면 "알림 끄기"를 입력하세요.',
    ]);
  });

  it('counts a report once, by its first news told or shown, within a day and a week', () => {
    const r = (receiptNo: string, received: string, decided: string, outcome = 'told') => ({
      receiptNo,
      receivedAt: kst(received),
      decidedAt: kst(decided),
      outcome,
    });
    expect(
      heardBack([
        r('a', '2026-12-01 09:00', '2026-12-01 10:00'),
        r('a', '2026-12-01 09:00', '2026-12-05 10:00'),
        r('b', '2026-12-01 09:00', '2026-12-03 10:00', 'shown'),
        r('c', '2026-12-01 09:00', '2026-12-01 10:00', 'failed'),
        r('d', '2026-12-01 09:00', '2026-12-20 10:00'),
      ]),
    ).to.deep.equal({ withinDay: 1, withinWeek: 2, any: 3 });
  });
});
