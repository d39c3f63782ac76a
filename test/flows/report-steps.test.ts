import { expect } from 'chai';
import { matchChoice } from '../../flows/conversation-engine';
import type { TurnContext } from '../../flows/flow';
import type { Draft } from '../../flows/report/draft';
import type { ReportFlowServices } from '../../flows/report/flow-services';
import { addressStep } from '../../flows/report/steps-address';
import { signsStep, urgencyStep } from '../../flows/report/steps-details';
import { editFieldStep, summaryStep } from '../../flows/report/steps-summary';
import { loadDistrict } from '../../src/domain/district';

/** Steps that only read district data: no database is involved, and none of these calls reach it. */
const district = loadDistrict('seodaemun');
const unreachable = () => {
  throw new Error('this step must not call the domain');
};
const svc = {
  district,
  partnerOf: unreachable,
  linkByInviteCode: unreachable,
  resolveAddress: unreachable,
  dongAt: unreachable,
  submitReport: unreachable,
  recentReports: unreachable,
} as unknown as ReportFlowServices;
const ctx: TurnContext = { channel: 'kakao', userId: 'u', now: new Date(), freshId: 'sub-12345678' };
const base: Draft = { submissionId: 'sub-12345678', partnerId: 'p', signs: [] };

describe('report flow steps', () => {
  it('toggles signs on repeated presses and keeps the district order', async () => {
    let out = await signsStep.answer({ text: '', choice: 'garbage_smell' }, base, svc, ctx);
    expect(out).to.deep.include({ type: 'go', to: 'signs' });
    const d1 = (out as { data: Draft }).data;
    out = await signsStep.answer({ text: '1', choice: undefined }, d1, svc, ctx);
    expect(out.type).to.equal('retry'); // a number means a choice only where the adapter numbered them (matchChoice)
    out = await signsStep.answer({ text: '1, 2' }, d1, svc, ctx);
    expect(out.type).to.equal('retry');
    out = await signsStep.answer({ text: '', choice: 'mail_piled' }, d1, svc, ctx);
    out = await signsStep.answer({ text: '', choice: 'utility_arrears' }, (out as { data: Draft }).data, svc, ctx);
    expect((out as { data: Draft }).data.signs).to.deep.equal(['utility_arrears', 'mail_piled', 'garbage_smell']);
    out = await signsStep.answer({ text: '', choice: 'garbage_smell' }, (out as { data: Draft }).data, svc, ctx);
    expect((out as { data: Draft }).data.signs).to.deep.equal(['utility_arrears', 'mail_piled']);
  });

  it('marks chosen signs on their buttons within the 14-character label limit', async () => {
    const prompt = await signsStep.prompt({ ...base, signs: ['no_sign_of_life'] }, svc);
    const chosen = prompt.choices.find((c) => c.value === 'no_sign_of_life')!;
    expect(chosen.label).to.equal('✓인기척 없음');
    expect(prompt.choices.every((c) => [...c.label].length <= 14)).to.equal(true);
    expect(prompt.choices.at(-1)!.label).to.equal('선택 완료');
  });

  it('warns about 112/119 at once when the reporter picks 즉시 위험, with call buttons on the next question', async () => {
    const out = await urgencyStep.answer({ text: '즉시 위험', choice: 'immediate' }, base, svc, ctx);
    expect(out).to.deep.include({ type: 'go', to: 'address' });
    expect((out as { notes: string[] }).notes.join()).to.contain('112');
    const next = await addressStep.prompt((out as { data: Draft }).data, svc);
    expect(next.choices.filter((c) => c.call).map((c) => c.call)).to.deep.equal(['112', '119']);
    const calm = await addressStep.prompt({ ...base, urgency: 'normal' }, svc);
    expect(calm.choices).to.deep.equal([]);
  });

  it('returns to the summary after a field chosen from 수정 is answered', async () => {
    const out = await editFieldStep.answer({ text: '긴급도', choice: 'urgency' }, base, svc, ctx);
    expect(out).to.deep.include({ type: 'go', to: 'urgency' });
    const back = await urgencyStep.answer({ text: '일반', choice: 'normal' }, (out as { data: Draft }).data, svc, ctx);
    expect(back).to.deep.include({ type: 'go', to: 'summary' });
    expect((back as { data: Draft }).data.editing).to.equal(false);
  });

  it('summarises every answer, showing 모름 for the unknown ones', async () => {
    const prompt = await summaryStep.prompt(
      {
        ...base,
        address: '연희동 1',
        dong: { code: '1141061500', name: '연희동' },
        signs: ['other'],
        name: null,
        situation: '상황 설명입니다',
        urgency: 'prompt',
      },
      svc,
    );
    const text = prompt.texts.join('\n');
    expect(text).to.contain('· 관할 동: 연희동');
    expect(text).to.contain('· 이름: 모름');
    expect(text).to.contain('· 긴급도: 빠른 확인 필요');
    expect(prompt.choices.map((c) => c.label)).to.deep.equal(['접수', '수정', '취소']);
  });

  it('matches pressed values and typed labels; typed numbers only where the adapter numbered the choices', () => {
    const choices = [
      { label: '즉시 위험', value: 'immediate' },
      { label: '일반', value: 'normal' },
      { label: '112 경찰 전화', value: 'call:112', call: '112' },
    ];
    expect(matchChoice({ text: 'x', choice: 'normal' }, choices)).to.equal('normal');
    expect(matchChoice({ text: '일반 ' }, choices)).to.equal('normal');
    expect(matchChoice({ text: '1' }, choices), 'no numbered list was shown').to.equal(undefined);
    expect(matchChoice({ text: '1', numberedChoices: 11 }, choices), 'Kakao numbers only lists of 11 or more').to.equal(
      undefined,
    );
    expect(matchChoice({ text: '1', numberedChoices: 1 }, choices)).to.equal('immediate');
    expect(matchChoice({ text: '3', numberedChoices: 1 }, choices), 'a call button is never an answer').to.equal(
      undefined,
    );
    expect(matchChoice({ text: '75', numberedChoices: 1 }, choices)).to.equal(undefined);
    expect(matchChoice({ text: 'x', choice: 'call:112' }, choices)).to.equal(undefined);
    expect(matchChoice({ text: 'x', choice: 'forged' }, choices)).to.equal(undefined);
  });
});
