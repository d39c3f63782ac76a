import type { OnCallSetup, PendingUrgent, UrgentStep } from './on-call';

/** The on-call setup, urgent alerts waiting for their 확인 and their claimed steps; src/store/on-call implements it. */
export interface OnCallRepository {
  setup(district: string): Promise<OnCallSetup>;
  saveSetup(
    district: string,
    patch: Partial<Pick<OnCallSetup, 'hours' | 'chain' | 'privacy'>>,
    now: Date,
  ): Promise<OnCallSetup>;
  /** Claims a step (an alert or the 확인) by inserting it; false when it was taken first. */
  claimStep(s: UrgentStep): Promise<boolean>;
  stepOf(district: string, receiptNo: string, step: number): Promise<UrgentStep | undefined>;
  openPending(p: Omit<PendingUrgent, 'id'>): Promise<boolean>;
  pending(district: string): Promise<PendingUrgent[]>;
  pendingOf(district: string, receiptNo: string): Promise<PendingUrgent | undefined>;
  advancePending(id: string, set: Pick<PendingUrgent, 'step' | 'stepAt' | 'dueAt' | 'sent'>): Promise<void>;
  closePending(id: string): Promise<void>;
  endWait(district: string, receiptNo: string): Promise<void>;
}
