import type { StaffTargetKind } from '../weekly/weekly-delivery';
import type { AlertTargets, PrivacyLevel } from './alert-targets';

/** What may change of an owner's alert targets. */
export type AlertTargetsPatch = Partial<
  Pick<AlertTargets, 'slackChannel' | 'telegramChatId' | 'emails' | 'webhookUrl'>
> & {
  privacy?: Partial<Record<StaffTargetKind, PrivacyLevel>>;
};

/** The call center's alert targets and every owner's privacy levels; src/store/alert-target implements it. */
export interface AlertTargetRepository {
  /** An owner's targets; the defaults (nothing set, minimal privacy) when none were saved. */
  of(district: string, owner: string): Promise<AlertTargets>;
  all(district: string): Promise<Map<string, AlertTargets>>;
  set(district: string, owner: string, patch: AlertTargetsPatch, now: Date): Promise<AlertTargets>;
}
