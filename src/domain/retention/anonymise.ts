import { decadeOf } from '../report/age';
import type { Report } from '../report/report';
import { isCorrection } from '../report/correction';

/**
 * Retention (보유기간 경과 시 파기): a closed case keeps its counts — status, dates, dong,
 * partner, signs, urgency, whether the visit reached the household, the crisis level — so
 * statistics stay true, and loses what names or describes the person: name, phone, the exact
 * address (coarsened to the dong), every free text (situation, consultation, visit report,
 * history notes), the reporter's chat id and their call-back contact.
 */
export const REMOVED_TEXT = '(보존기간 경과로 삭제)';

export interface AnonymisedFields {
  person: Report['person'];
  address: Report['address'];
  situation: string;
  reporter: Report['reporter'];
  reporterContact: null;
  addressKey: null;
  consultation: Report['consultation'];
  visit: Report['visit'];
  /** Photos go with the case (their bytes are removed from the photo store by the job). */
  photoIds: string[];
  anonymisedAt: Date;
}

export function anonymisedFields(report: Report, now: Date): AnonymisedFields {
  const age = report.person.age;
  return {
    // an age decade alone names nobody and the statistics count by it; an exact birth year goes
    person: {
      name: null,
      phone: null,
      age: age ? decadeOf(age, report.receivedAt) : null,
      ...(report.person.sex ? { sex: report.person.sex } : {}),
    },
    address: { ...report.address, text: report.address.dongName ?? REMOVED_TEXT },
    situation: REMOVED_TEXT,
    reporter: { channel: report.reporter.channel, userId: REMOVED_TEXT },
    reporterContact: null, // the field worker's own name and phone
    addressKey: null,
    consultation: report.consultation
      ? {
          ...report.consultation,
          result: REMOVED_TEXT,
          supportLinked: report.consultation.supportLinked ? REMOVED_TEXT : null,
        }
      : (report.consultation ?? null),
    visit: report.visit
      ? {
          ...report.visit,
          investigationResult: REMOVED_TEXT,
          supportProvided: report.visit.supportProvided ? REMOVED_TEXT : null,
        }
      : (report.visit ?? null),
    photoIds: [],
    anonymisedAt: now,
  };
}

/** History without its free-text notes, nor a correction's old and new values (a name, a phone): who did what when stays. */
export const historyWithoutNotes = (history: Report['history']): Report['history'] =>
  history.map(({ note: _note, ...h }) => (isCorrection(h.action) ? { at: h.at, by: h.by, action: h.action } : h));

/** The instant before which a case closed is due: closed at least `years` ago. */
export function retentionCutoff(now: Date, years: number): Date {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
}
