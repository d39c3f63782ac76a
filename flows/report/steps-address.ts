import type { Outcome, Step } from '../flow';
import { charCount, LIMITS } from '../../src/domain/report/text-limits';
import { reply, type Choice } from '../types';
import type { Draft } from './draft';
import { CHOOSE_OTHER_DONG, msg, RETYPE_ADDRESS, SKIP_WORDS, UNKNOWN, YES } from './messages';
import { goAfter } from './order';
import { callsFor } from './steps-details';
import { receiptPromise } from './promise';
import { dongAtPoint } from '../../src/domain/point-in-dong';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';
import { addressProblem } from './parse';
import { mapLinkPoint } from '../../src/domain/map-link';

const PROBLEM_TEXT = {
  link: msg.addressIsLink,
  language: msg.addressOtherLanguage,
  'not-place': msg.addressNotPlace,
} as const;

type S = Step<Draft, ReportFlowEnv, ReportEffect>;

export const addressStep: S = {
  prompt: (d) => (d.urgency === 'immediate' ? reply(msg.askAddressUrgent, callsFor(d)) : reply(msg.askAddress)),
  answer(a, data, svc, ctx) {
    // a shared location, or a Kakao Map / Naver Map link read for its point, places the address the same way
    const map = a.location ? undefined : mapLinkPoint(a.text);
    if (map?.kind === 'unread') return { type: 'retry', reason: msg.mapLinkUnread };
    const point = a.location ?? (map ? { lat: map.lat, lng: map.lng } : undefined);
    if (point) {
      const dong = dongAtPoint(svc.district, point.lat, point.lng);
      const address = `${a.location ? '위치 공유' : '지도 링크'} (${point.lat.toFixed(5)}, ${point.lng.toFixed(5)})`;
      if (!dong)
        return {
          type: 'retry',
          reason: msg.outside(a.location ? '공유한 위치' : '지도 링크의 위치', svc.district.name),
        };
      return {
        type: 'go',
        to: 'dongConfirm',
        data: { ...data, address, dong: { code: dong.code, name: dong.name }, dongBy: 'location' },
      };
    }
    const text = a.text.replace(/\s+/g, ' ').trim();
    if (charCount(text) < LIMITS.address.min) return { type: 'retry', reason: msg.addressTooShort };
    if (charCount(text) > LIMITS.address.max) return { type: 'retry', reason: msg.addressTooLong };
    const problem = addressProblem(text);
    if (problem) return { type: 'retry', reason: PROBLEM_TEXT[problem] };
    return need({ kind: 'resolveAddress', text }, (found): Outcome<Draft, ReportEffect> => {
      if (found.kind === 'outside') return { type: 'retry', reason: msg.outside(found.place, svc.district.name) };
      if (data.urgency === 'immediate' && !data.filedReceiptNo) {
        // 즉시 위험: no dong question; file now with what is known, the call center assigns the rest
        const dong = found.kind === 'resolved' ? { code: found.dong.code, name: found.dong.name } : null;
        const known = {
          ...data,
          address: text,
          dong,
          dongBy: found.kind === 'resolved' ? found.by : ('reporter' as const),
          urgency: 'immediate' as const,
        };
        return need({ kind: 'fileUrgentReport', draft: known }, (filed): Outcome<Draft, ReportEffect> => {
          if (!filed.ok) return { type: 'end', reply: reply(msg.mayNotFile(filed.refusal, filed.partnerName)) };
          const next = { ...known, filedReceiptNo: filed.receiptNo, filedReportId: filed.reportId };
          return {
            type: 'go',
            to: 'signs',
            data: next,
            notes: [msg.urgentFiled(filed.receiptNo, receiptPromise(true, ctx.now, filed.onCall))],
          };
        });
      }
      if (found.kind === 'resolved') {
        return {
          type: 'go',
          to: 'dongConfirm',
          data: { ...data, address: text, dong: { code: found.dong.code, name: found.dong.name }, dongBy: found.by },
        };
      }
      // a person chooses among the candidates; a typo's likely dong comes as the hint
      return {
        type: 'go',
        to: 'dongChoice',
        data: {
          ...data,
          address: text,
          dong: undefined,
          dongCandidates: found.dongs.map((d) => d.code),
          dongReason: found.kind === 'typo' ? 'typo' : found.reason,
          dongHint: found.kind === 'typo' ? found.meant : undefined,
        },
      };
    });
  },
};

export const dongConfirmStep: S = {
  prompt: (d) =>
    reply(msg.confirmDong(d.dong?.name ?? UNKNOWN), [
      { label: YES, value: YES },
      { label: CHOOSE_OTHER_DONG, value: CHOOSE_OTHER_DONG },
      { label: RETYPE_ADDRESS, value: RETYPE_ADDRESS },
    ]),
  answer(a, data, svc) {
    if (a.choice === YES || a.text === '예' || a.text === '네') return goAfter('address', data);
    if (a.choice === CHOOSE_OTHER_DONG) {
      const codes = svc.district.dongs.map((d) => d.code);
      return { type: 'go', to: 'dongChoice', data: { ...data, dongCandidates: codes, dongReason: 'not-found' } };
    }
    if (a.choice === RETYPE_ADDRESS) return { type: 'go', to: 'address', data: { ...data, dong: undefined } };
    return { type: 'retry', reason: msg.pickFromList };
  },
};

function candidateChoices(data: Draft, svc: ReportFlowEnv): Choice[] {
  const dongs = (data.dongCandidates ?? []).flatMap((code) => svc.district.dongByCode(code) ?? []);
  return [
    ...dongs.map((d) => ({ label: d.name, value: d.code })),
    { label: UNKNOWN, value: UNKNOWN },
    { label: RETYPE_ADDRESS, value: RETYPE_ADDRESS },
  ];
}

export const dongChoiceStep: S = {
  prompt: (d, svc) =>
    reply(
      d.dongReason === 'typo'
        ? msg.didYouMean(d.dongHint ?? '', (d.dongCandidates?.length ?? 0) > 1)
        : msg.chooseDong(d.dongReason ?? 'not-found'),
      candidateChoices(d, svc),
    ),
  answer(a, data, svc) {
    const clean = { ...data, dongCandidates: undefined, dongReason: undefined, dongHint: undefined };
    // "혹시 연희동인가요?" answered "네": the one dong it stands for
    const only =
      data.dongReason === 'typo' && data.dongCandidates?.length === 1
        ? svc.district.dongByCode(data.dongCandidates[0]!)
        : undefined;
    if (only && !a.choice && /^(네|예|응|맞아요|맞습니다|맞음|그래요|네 맞아요)$/.test(a.text)) {
      return goAfter('address', { ...clean, dong: { code: only.code, name: only.name }, dongBy: 'reporter' }, [
        msg.dongChosen(only.name),
      ]);
    }
    if (a.choice === RETYPE_ADDRESS) return { type: 'go', to: 'address', data: { ...clean, dong: undefined } };
    if (a.choice === UNKNOWN || SKIP_WORDS.includes(a.text)) {
      return goAfter('address', { ...clean, dong: null, dongBy: 'reporter' }, [msg.dongUnknown]);
    }
    // a typed dong name counts only if it is among the offered candidates
    const typed = svc.district.dongByName(a.text);
    const code = a.choice ?? (typed && data.dongCandidates?.includes(typed.code) ? typed.code : undefined);
    const dong = code ? svc.district.dongByCode(code) : undefined;
    if (!dong) return { type: 'retry', reason: msg.pickDong };
    return goAfter('address', { ...clean, dong: { code: dong.code, name: dong.name }, dongBy: 'reporter' }, [
      msg.dongChosen(dong.name),
    ]);
  },
};
