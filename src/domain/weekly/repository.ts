import type { DeliveryAttempt, DeliveryKey, WeeklyDelivery } from './weekly-delivery';

/**
 * Weekly list deliveries and their attempts; src/store/weekly-delivery implements it. Inserting
 * attempt N is the claim (one instance wins it), so `claim` answers undefined to the loser.
 */
export interface WeeklyDeliveryRepository {
  /** The delivery for `key`, created once whichever instance asks first. */
  ensure(key: DeliveryKey, address: string, now: Date): Promise<WeeklyDelivery>;
  byId(id: string): Promise<WeeklyDelivery | undefined>;
  ofWeek(district: string, week: string): Promise<WeeklyDelivery[]>;
  recentOfWeek(district: string, week: string, since: Date): Promise<WeeklyDelivery[]>;
  dueRetries(district: string, now: Date): Promise<WeeklyDelivery[]>;
  latestAttempt(deliveryId: string): Promise<DeliveryAttempt | undefined>;
  attempts(deliveryId: string): Promise<DeliveryAttempt[]>;
  claim(
    deliveryId: string,
    attemptNo: number,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<DeliveryAttempt | undefined>;
  finishAttempt(attemptId: string, ok: boolean, error: string | null, now: Date): Promise<void>;
  record(deliveryId: string, set: Partial<Omit<WeeklyDelivery, 'id'>>): Promise<void>;
}
