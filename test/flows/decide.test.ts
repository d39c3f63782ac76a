import { expect } from 'chai';
import type { Draft } from '../../flows/report/draft';
import type { ReportEffect, ReportEffectResults } from '../../flows/report/effects';
import { reportDecider } from '../../flows/report/report-engine';
import { msg } from '../../flows/report/messages';
import type { ConversationRecord } from '../../flows/state-store';
import type { Incoming, Reply } from '../../flows/types';
import { loadDistrict } from '../../src/domain/district';

/**
 * The report conversation as a pure function: every turn here is `decide` over plain objects —
 * no database, no services, no clock. Effects the turn asks for are answered with plain values,
 * as the runner (flows/engine.ts) would answer them from the services.
 */
const district = loadDistrict('seodaemun');
const DAY = 86_400_000;
const { decide } = reportDecider({ district }, DAY);
/** Tuesday 24 November 2026, 10:00 in Seoul: a working day, in working hours. */
const NOW = new Date('2026-11-24T01:00:00Z');
const hongje3 = district.dongByName('홍제3동')!;
const linked = {
  partnerId: 'p-post',
  partnerName: '서대문우체국',
  active: true,
  contact: { name: '김집배', phone: '010-9876-5432' },
};

type Answers = { [K in ReportEffect['kind']]?: ReportEffectResults[K] };

interface Turned {
  reply: Reply;
  record: ConversationRecord;
  asked: ReportEffect[];
}

/** One turn, run to its end as the runner would: each decided state becomes the next revision. */
function turn(
  record: ConversationRecord,
  message: Partial<Incoming>,
  answers: Answers = {},
  opts: { at?: Date; unseen?: string } = {},
): Turned {
  const incoming: Incoming = { channel: 'kakao', userId: 'u1', text: '', ...message };
  let current = record;
  const asked: ReportEffect[] = [];
  let decision = decide({ record, unseen: opts.unseen }, incoming, { now: opts.at ?? NOW, freshId: 'sub-00000001' });
  for (;;) {
    if (decision.store) current = { rev: current.rev + 1, value: decision.store };
    if ('reply' in decision) return { reply: decision.reply, record: current, asked };
    let result: unknown;
    if (decision.effect) {
      const { kind } = decision.effect;
      asked.push(decision.effect);
      if (!(kind in answers)) throw new Error(`the turn asked for an unexpected effect: ${kind}`);
      result = answers[kind];
    }
    decision = decision.after(result);
  }
}

const said = (t: Turned) => t.reply.texts.join('\n');
const labels = (t: Turned) => t.reply.choices.map((c) => c.label);
const stepOf = (t: Turned) =>
  t.record.value?.ended === undefined ? t.record.value?.stepId : `ended:${t.record.value.ended}`;
const dataOf = (t: Turned) => (t.record.value as { data: Draft }).data;

const base: Draft = { submissionId: 'sub-00000001', partnerId: 'p-post', signs: [], reporterContact: linked.contact };
/** A conversation stored at `stepId` with `data`, as an earlier turn left it. */
const at = (stepId: string, data: Partial<Draft> = {}, updatedAt = NOW): ConversationRecord => ({
  rev: 5,
  value: { flowId: 'report', flowVersion: 2, stepId, data: { ...base, ...data }, updatedAt },
});
const nothing: ConversationRecord = { rev: 0 };

describe('the pure report turn (decide, no database)', () => {
  it('walks a filing from 신고 to its receipt, asking the outside world only for what it needs', () => {
    let t = turn(nothing, { text: '신고' }, { partnerOf: linked });
    expect(t.asked).to.deep.equal([{ kind: 'partnerOf' }]);
    expect(said(t)).to.contain('1/8 얼마나 급한가요?');
    expect(labels(t)).to.deep.equal(['즉시 위험', '빠른 확인 필요', '일반']);
    expect(stepOf(t)).to.equal('urgency');
    expect(dataOf(t).submissionId).to.equal('sub-00000001');

    t = turn(t.record, { text: '일반', choice: 'normal' });
    expect(said(t)).to.contain('2/8 위기 의심 가구의 주소');
    t = turn(
      t.record,
      { text: '홍제3동 문화촌아파트 101동' },
      { resolveAddress: { kind: 'resolved', dong: hongje3, by: 'dong-name' } },
    );
    expect(t.asked).to.deep.equal([{ kind: 'resolveAddress', text: '홍제3동 문화촌아파트 101동' }]);
    expect(said(t)).to.equal('이 주소는 홍제3동 주민센터 관할로 확인됩니다. 맞습니까?');
    t = turn(t.record, { text: '맞음', choice: '맞음' });
    expect(said(t)).to.contain('3/8 발견하신 위기 징후');
    t = turn(t.record, { text: '우편물 쌓임', choice: 'mail_piled' });
    expect(labels(t)).to.include('✓우편물·전단지 적체');
    t = turn(t.record, { text: '선택 완료', choice: '선택 완료' });
    expect(said(t)).to.contain('4/8 대상자 이름');
    t = turn(t.record, { text: '모름', choice: '모름' });
    t = turn(t.record, { text: '75' });
    expect(said(t)).to.contain('6/8 대상자 연락처');
    t = turn(t.record, { text: '010 1234 5678' });
    t = turn(t.record, { text: '우편물이 일주일째 쌓여 있고 인기척이 없습니다' });
    expect(said(t)).to.contain('8/8 신고 내용을 확인해 주세요.');
    expect(said(t)).to.contain('· 나이: 75세');
    expect(said(t)).to.contain('· 연락처: 010-1234-5678');
    expect(labels(t)).to.deep.equal(['접수', '수정', '취소']);

    const before = t.record.rev;
    t = turn(t.record, { text: '접수', choice: '접수' }, { submitReport: { ok: true, receiptNo: '2026-000123' } });
    // stored at the filing step first (so a racing 취소 cannot also win), then ended with the receipt
    expect(t.record.rev).to.equal(before + 2);
    expect(stepOf(t)).to.equal('ended:done');
    const filed = t.asked[0] as Extract<ReportEffect, { kind: 'submitReport' }>;
    expect(filed.draft).to.deep.include({
      address: '홍제3동 문화촌아파트 101동',
      name: null,
      phone: '010-1234-5678',
      signs: ['mail_piled'],
      urgency: 'normal',
    });
    expect(filed.draft.age).to.deep.equal({ kind: 'age', value: 75 });
    expect(said(t)).to.contain('접수번호: 2026-000123');
    expect(said(t)).to.contain('오늘 근무시간 안에 콜센터가 1차 상담을 시작하고 홍제3동 주민센터로 연계합니다.');
    expect(labels(t)).to.deep.equal(['새 신고', '조회']);
  });

  it('re-prompts a bad answer politely and changes nothing', () => {
    const t = turn(at('age'), { text: '많이 드심' });
    expect(t.reply.texts).to.deep.equal([msg.badAge, msg.askAge]);
    expect(t.record).to.deep.equal(at('age'));
  });

  it('cancels mid-way with 취소, keeping nothing, and says so when there is nothing to cancel', () => {
    const t = turn(at('name', { urgency: 'normal', address: '연희로 123' }), { text: '취소!' });
    expect(t.reply.texts).to.deep.equal([msg.cancelled]);
    expect(labels(t)).to.deep.equal(['신고', '조회', '도움말']);
    expect(t.record.value).to.deep.include({ ended: 'cancelled' });
    expect(t.record.value).not.to.have.property('data');

    const idle = turn(t.record, { text: '취소' });
    expect(idle.reply.texts).to.deep.equal([msg.nothingToCancel]);
    expect(idle.record).to.equal(t.record);
  });

  it('answers 도움말 and 조회 at any point, then repeats the current question', () => {
    const help = turn(at('phone'), { text: '도움말' });
    expect(help.reply.texts).to.deep.equal([msg.help, msg.askPhone]);
    const lines = [
      {
        receiptNo: '2026-000007',
        dongName: '홍제3동',
        statusLabel: '접수',
        receivedAt: NOW,
        shortAddress: '홍제3동 문화촌아파트 101동',
      },
    ];
    const lookup = turn(at('phone'), { text: '조회' }, { partnerOf: linked, recentReports: lines });
    expect(lookup.asked.map((e) => e.kind)).to.deep.equal(['partnerOf', 'recentReports']);
    expect(lookup.reply.texts[0]).to.contain('최근 신고 내역 (최대 5건)\n· 2026-000007');
    expect(lookup.reply.texts.at(-1)).to.equal(msg.askPhone);
    expect(lookup.record).to.deep.equal(at('phone'));
  });

  it('does not read a button of an earlier question as an answer to this one', () => {
    const t = turn(at('name'), { text: '일반', choice: 'normal' });
    expect(t.reply.texts).to.deep.equal([msg.staleButton, msg.askName]);
    expect(t.record).to.deep.equal(at('name'));
  });

  it('reads a typed number as a choice only where the adapter numbered the choices', () => {
    const plain = turn(at('urgency'), { text: '1' });
    expect(plain.reply.texts[0]).to.equal(msg.pickFromList);
    expect(stepOf(plain)).to.equal('urgency');
    const numbered = turn(at('urgency'), { text: '1', numberedChoices: 1 });
    expect(dataOf(numbered).urgency).to.equal('immediate');
    expect(numbered.reply.texts[0]).to.contain('112');
    expect(numbered.reply.choices.map((c) => c.call).filter(Boolean)).to.deep.equal(['112', '119']);
    // at the age question 75 is an age, even where lists are numbered
    const age = turn(at('age'), { text: '75', numberedChoices: 1 });
    expect(dataOf(age).age).to.deep.equal({ kind: 'age', value: 75 });
  });

  it('expires a conversation idle for more than a day, says so, and starts afresh on 신고', () => {
    const stale = at('situation', { address: '연희로 123' }, new Date(NOW.getTime() - DAY - 60_000));
    const idle = turn(stale, { text: '문 앞에 쓰레기가 쌓여 있음' });
    expect(idle.reply.texts).to.deep.equal([msg.expired, msg.idleFor(district.name)]);
    expect(idle.record.value).to.deep.equal({ ended: 'expired', updatedAt: NOW });

    const again = turn(stale, { text: '신고' }, { partnerOf: linked });
    expect(again.reply.texts[0]).to.equal(msg.expired);
    expect(again.reply.texts[1]).to.contain('1/8 얼마나 급한가요?');
    expect(again.record.rev).to.equal(stale.rev + 2);
    expect(dataOf(again)).to.deep.equal({ ...base, reporterContact: linked.contact });
  });

  it('restarts politely when the flow changed under a stored conversation', () => {
    const old: ConversationRecord = {
      rev: 3,
      value: { flowId: 'report', flowVersion: 1, stepId: 'dong', data: { partnerId: 'p' }, updatedAt: NOW },
    };
    const t = turn(old, { text: '홍제3동' }, { partnerOf: linked });
    expect(t.reply.texts[0]).to.equal(msg.restartedAfterUpdate);
    expect(t.reply.texts[1]).to.contain('1/8 얼마나 급한가요?');
    expect(t.record.value).to.deep.include({ flowVersion: 2, stepId: 'urgency' });
  });

  it('shows where the conversation went before taking anything when the person never saw it', () => {
    const t = turn(
      at('dongConfirm', { address: '홍제3동 1', dong: { code: hongje3.code, name: hongje3.name } }),
      { text: '홍제3동 1' },
      {},
      { unseen: 'none' },
    );
    expect(t.reply.texts[0]).to.equal(msg.movedOnUnseen);
    expect(t.reply.texts[1]).to.contain('홍제3동 주민센터 관할');
    expect(t.asked).to.deep.equal([]);
  });

  it('files a 즉시 위험 report right after the address, one effect feeding the next', () => {
    const found = { kind: 'resolved' as const, dong: hongje3, by: 'dong-name' as const };
    const t = turn(
      at('address', { urgency: 'immediate' }),
      { text: '홍제3동 1' },
      {
        resolveAddress: found,
        fileUrgentReport: { ok: true, receiptNo: '2026-000042', reportId: 'r42' },
      },
    );
    expect(t.asked.map((e) => e.kind)).to.deep.equal(['resolveAddress', 'fileUrgentReport']);
    expect(said(t)).to.contain('긴급 신고로 바로 접수했습니다.\n접수번호: 2026-000042');
    expect(said(t)).to.contain('3/8 발견하신 위기 징후');
    expect(dataOf(t)).to.deep.include({ filedReceiptNo: '2026-000042', filedReportId: 'r42' });

    const refused = turn(
      at('address', { urgency: 'immediate' }),
      { text: '홍제3동 1' },
      {
        resolveAddress: found,
        fileUrgentReport: { ok: false, refusal: 'inactive', partnerName: '서대문우체국' },
      },
    );
    expect(refused.reply.texts).to.deep.equal([msg.partnerRevoked('서대문우체국')]);
    expect(refused.record.value).to.deep.include({ ended: 'done' });
  });

  it('tells a revoked partner it may not file, at the start', () => {
    const t = turn(nothing, { text: '신고' }, { partnerOf: { ...linked, active: false } });
    expect(t.reply.texts).to.deep.equal([msg.partnerRevoked('서대문우체국')]);
    expect(t.record.value).to.deep.include({ ended: 'done' });
  });

  describe('danger in words and photos, decided without I/O (issue 22)', () => {
    it('between conversations: the warning and call buttons instead of the greeting, nothing stored', () => {
      const t = turn(nothing, { text: '할머니가 집에 쓰러져 계신 것 같아요' });
      expect(t.reply.texts[0]).to.equal(msg.dangerHeard);
      expect(t.reply.choices.filter((c) => c.call).map((c) => c.call)).to.deep.equal(['112', '119']);
      expect(labels(t)).to.include('긴급 신고');
      expect(t.record).to.equal(nothing);
      expect(t.asked).to.deep.equal([]);
    });

    it('"긴급 신고" starts the report as 즉시 위험 and asks the address first', () => {
      const t = turn(nothing, { text: '긴급 신고', choice: '긴급 신고' }, { partnerOf: linked });
      expect(stepOf(t)).to.equal('address');
      expect(dataOf(t).urgency).to.equal('immediate');
      expect(said(t)).to.contain(msg.askAddressUrgent);
    });

    it('in a running report: the answer is still taken, the warning leads, and 긴급 신고 files at once with what is known', () => {
      const running = at('name', {
        urgency: 'normal',
        address: '홍제3동 1',
        dong: { code: hongje3.code, name: hongje3.name },
        dongBy: 'dong-name',
      });
      let t = turn(running, { text: '가스 냄새가 나요' });
      expect(t.reply.texts[0]).to.equal(msg.dangerHeard);
      expect(said(t)).to.contain(msg.badName);
      t = turn(
        t.record,
        { text: '긴급 신고', choice: '긴급 신고' },
        { fileUrgentReport: { ok: true, receiptNo: '2026-000042', reportId: 'r42' } },
      );
      expect(t.asked.map((e) => e.kind)).to.deep.equal(['fileUrgentReport']);
      expect(dataOf(t)).to.include({ urgency: 'immediate', filedReceiptNo: '2026-000042' });
      expect(stepOf(t)).to.equal('name');
      expect(said(t)).to.contain('긴급 신고로 바로 접수했습니다');
    });

    it('a photo reference that could not be fetched is never an answer: the same question again with the reason, nothing changed', () => {
      const running = at('address', { urgency: 'normal' });
      const t = turn(running, { text: '', imageUrl: 'https://talk.kakaocdn.net/dn/a/photo.jpg' });
      expect(said(t)).to.contain(msg.photoRefused.unreachable).and.contain('2/8');
      expect(t.record).to.equal(running);
    });

    it('a fetched photo is kept with the draft at the same step, and the same photo again is told, not added', () => {
      const running = at('address', { urgency: 'normal' });
      const bytes = Buffer.from('photo');
      let t = turn(
        running,
        { text: '', photos: [{ ok: true, bytes }] },
        { keepPhoto: { ok: true, id: 'p1', duplicate: false } },
      );
      expect(t.asked.map((e) => e.kind)).to.deep.equal(['keepPhoto']);
      expect(stepOf(t)).to.equal('address');
      expect(dataOf(t).photoIds).to.deep.equal(['p1']);
      expect(said(t)).to.contain('사진을 받았습니다').and.contain('2/8');
      t = turn(
        t.record,
        { text: '', photos: [{ ok: true, bytes }] },
        { keepPhoto: { ok: true, id: 'p1', duplicate: true } },
      );
      expect(said(t)).to.contain(msg.photoAgain).and.contain('2/8');
      expect(dataOf(t).photoIds).to.deep.equal(['p1']);
    });

    it('a refused photo (not an image) changes nothing and repeats the question; between conversations nothing is kept', () => {
      const running = at('name', { urgency: 'normal' });
      const t = turn(
        running,
        { text: '', photos: [{ ok: true, bytes: Buffer.from('text') }] },
        { keepPhoto: { ok: false, code: 'not_image' } },
      );
      expect(said(t)).to.contain(msg.photoRefused.not_image);
      expect(t.record).to.equal(running);
      const idle = turn(nothing, { text: '', photos: [{ ok: true, bytes: Buffer.from('x') }] });
      expect(said(idle)).to.contain(msg.photoIdle);
      expect(idle.asked).to.deep.equal([]);
    });
  });
});
