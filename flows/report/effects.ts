import type { DongResolution } from '../../src/domain/dong-resolver';
import type { District } from '../../src/domain/district';
import type { Need } from '../flow';
import type { Channel } from '../types';
import type { CompletedDraft, Draft } from './draft';
import type { PartnerLink, ReportFlowServices, ReporterContact, ReporterReportLine } from './flow-services';

/** What the report flow's pure steps read: district data only (the rest is asked for as effects). */
export interface ReportFlowEnv {
  district: District;
}

/** The outside world the report flow asks for, as data; `performReportEffect` does it through the services. */
export type ReportEffect =
  | { kind: 'partnerOf' }
  | { kind: 'linkByInviteCode'; code: string }
  | { kind: 'saveReporterContact'; contact: ReporterContact }
  | { kind: 'resolveAddress'; text: string }
  | { kind: 'fileUrgentReport'; draft: Draft & { address: string; urgency: 'immediate' } }
  | { kind: 'submitReport'; draft: CompletedDraft }
  | { kind: 'addReportDetails'; filed: { receiptNo: string; reportId?: string }; draft: Draft }
  | { kind: 'recentReports'; limit: number }
  | { kind: 'setNewsOff'; off: boolean }
  | { kind: 'keepPhoto'; submissionId: string; bytes: Buffer }
  | { kind: 'attachPhotos'; reportId: string; photoIds: string[] };

type Result<K extends keyof ReportFlowServices> = ReportFlowServices[K] extends (...args: never[]) => Promise<infer R>
  ? R
  : never;

/** The effects that change nothing: a turn may look these up before it knows its conversation is current. */
export const LOOKUP_EFFECTS: ReadonlySet<ReportEffect['kind']> = new Set([
  'partnerOf',
  'resolveAddress',
  'recentReports',
]);

/** What each effect answers: the result `after` receives. */
export interface ReportEffectResults {
  partnerOf: PartnerLink | undefined;
  linkByInviteCode: PartnerLink | undefined;
  saveReporterContact: undefined;
  resolveAddress: DongResolution;
  fileUrgentReport: Result<'fileUrgentReport'>;
  submitReport: Result<'submitReport'>;
  addReportDetails: Result<'addReportDetails'>;
  recentReports: ReporterReportLine[];
  setNewsOff: undefined;
  keepPhoto: Result<'keepPhoto'>;
  attachPhotos: Result<'attachPhotos'>;
}

/** Asks for an effect; `after` decides the rest from its typed result. */
export function need<K extends ReportEffect['kind'], T>(
  effect: Extract<ReportEffect, { kind: K }>,
  after: (result: ReportEffectResults[K]) => T,
): Need<T, ReportEffect> {
  return { type: 'need', effect, after: (result) => after(result as ReportEffectResults[K]) };
}

/** The runner's side: performs a report effect for the person of the turn. */
export function performReportEffect(svc: ReportFlowServices) {
  return async (effect: ReportEffect, who: { channel: Channel; userId: string }): Promise<unknown> => {
    switch (effect.kind) {
      case 'partnerOf':
        return svc.partnerOf(who.channel, who.userId);
      case 'linkByInviteCode':
        return svc.linkByInviteCode(who.channel, who.userId, effect.code);
      case 'saveReporterContact':
        await svc.saveReporterContact(who.channel, who.userId, effect.contact);
        return undefined;
      case 'resolveAddress':
        return svc.resolveAddress(effect.text);
      case 'fileUrgentReport':
        return svc.fileUrgentReport(effect.draft, who);
      case 'submitReport':
        return svc.submitReport(effect.draft, who);
      case 'addReportDetails':
        return svc.addReportDetails(effect.filed, effect.draft, who);
      case 'recentReports':
        return svc.recentReports(who.channel, who.userId, effect.limit);
      case 'setNewsOff':
        await svc.setNewsOff(who.channel, who.userId, effect.off);
        return undefined;
      case 'keepPhoto':
        return svc.keepPhoto(effect.submissionId, effect.bytes);
      case 'attachPhotos':
        return svc.attachPhotos(effect.reportId, effect.photoIds);
    }
  };
}
