import { expect } from 'chai';
import { formatAge } from '../../src/domain/report/age';
import { isUnknownAnswer } from '../../flows/report/parse';
import { parseAge, parseName, parsePhone } from '../../src/domain/report-fields/parse';

describe('answers about the person', () => {
  const now = new Date('2026-11-22T03:00:00Z');

  it('reads ages, age bands and birth years the ways people type them', () => {
    expect(parseAge('75', now)).to.deep.equal({ kind: 'age', value: 75 });
    expect(parseAge('만 75세', now)).to.deep.equal({ kind: 'age', value: 75 });
    expect(parseAge('80살쯤', now)).to.deep.equal({ kind: 'age', value: 80 });
    expect(parseAge('70대', now)).to.deep.equal({ kind: 'decade', value: 70 });
    expect(parseAge('60대 후반', now)).to.deep.equal({ kind: 'decade', value: 60 });
    expect(parseAge('1950', now)).to.deep.equal({ kind: 'birthYear', value: 1950 });
    expect(parseAge('1948년생', now)).to.deep.equal({ kind: 'birthYear', value: 1948 });
    expect(parseAge('48년생', now)).to.deep.equal({ kind: 'birthYear', value: 1948 });
    expect(parseAge('05년생', now)).to.deep.equal({ kind: 'birthYear', value: 2005 });
    expect(parseAge('칠십대', now)).to.deep.equal({ kind: 'decade', value: 70 });
    expect(parseAge('70대 할머니', now)).to.deep.equal({ kind: 'decade', value: 70 });
    expect(parseAge('80세쯤', now)).to.deep.equal({ kind: 'age', value: 80 });
    expect(parseAge('일흔 살 정도', now)).to.deep.equal({ kind: 'age', value: 70 });
    expect(parseAge('팔십오세', now)).to.deep.equal({ kind: 'age', value: 85 });
    for (const bad of ['이백살', '200', '2031', '', 'abc', '1850']) expect(parseAge(bad, now), bad).to.equal(undefined);
    expect(formatAge({ kind: 'decade', value: 70 })).to.equal('70대');
  });

  it('normalises Korean phone numbers and refuses what is not one', () => {
    expect(parsePhone('01012345678')).to.equal('010-1234-5678');
    expect(parsePhone('010 1234 5678')).to.equal('010-1234-5678');
    expect(parsePhone('+82 10-1234-5678')).to.equal('010-1234-5678');
    expect(parsePhone('02-330-1234')).to.equal('02-330-1234');
    expect(parsePhone('031 123 4567')).to.equal('031-123-4567');
    expect(parsePhone('(02) 330.1234')).to.equal('02-330-1234');
    expect(parsePhone('0505-123-4567')).to.equal('0505-123-4567');
    for (const bad of ['12345', '010-12-34', '9999999999999', '010-1234-5678; DROP TABLE'])
      expect(parsePhone(bad), bad).to.equal(undefined);
  });

  it('accepts names in Hangul or Latin letters and refuses markup or digits', () => {
    expect(parseName(' 홍  길동 ')).to.equal('홍 길동');
    expect(parseName('Nguyen Van A')).to.equal('Nguyen Van A');
    expect(parseName('김씨')).to.equal('김씨');
    expect(parseName('김○○')).to.equal('김○○');
    expect(parseName('김○○ (성은 김씨, 이름 모름)')).to.equal('김○○ (성은 김씨, 이름 모름)');
    for (const unknown of ['모름', '이름 모름', '몰라요', '이름은 모릅니다'])
      expect(isUnknownAnswer(unknown), unknown).to.equal(true);
    expect(isUnknownAnswer('김모름')).to.equal(false);
    for (const bad of ['<b>x</b>', '홍길동1', '', '가'.repeat(31), '{"$gt":""}'])
      expect(parseName(bad), bad).to.equal(undefined);
  });
});
