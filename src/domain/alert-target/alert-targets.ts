import type { StaffTargetKind } from '../weekly/weekly-delivery';

/**
 * How much of a case an alert may carry on a target's channel: `full` (why, address, person,
 * urgency) or `minimal` (the receipt number and a link to the console, which checks who reads).
 */
export const PRIVACY_LEVELS = ['full', 'minimal'] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

/** The call center's own alert targets, and every owner's privacy level per target. */
export interface AlertTargets {
  district: string;
  /** "callcenter", or a dong center's 10-digit code (its targets stay in dong_centers). */
  owner: string;
  slackChannel: string | null;
  telegramChatId: string | null;
  emails: string[];
  /** A district's own endpoint (src/delivery/webhook-sender.ts): HTTPS, signed. */
  webhookUrl: string | null;
  privacy: Record<StaffTargetKind, PrivacyLevel>;
  updatedAt: Date;
}

export const CALL_CENTER = 'callcenter';

/** Until someone decides otherwise, a message names no one. */
export const DEFAULT_PRIVACY: Record<StaffTargetKind, PrivacyLevel> = {
  slack: 'minimal',
  telegram: 'minimal',
  email: 'minimal',
  webhook: 'minimal',
};
