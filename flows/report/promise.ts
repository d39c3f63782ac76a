import { firstCallDay, koreanDay } from '../../src/domain/first-call';
import { msg } from './messages';

/**
 * What a receipt promises: when the call center first acts, by the same calendar as the console.
 * Out of hours an urgent report names the on-call route only when its alert was really queued
 * (`onCall`, from the filing); otherwise the next business day and 112·119.
 */
export function receiptPromise(urgent: boolean, now: Date, onCall = false): string {
  const first = firstCallDay(now);
  if (urgent && !first.today && onCall) return msg.urgentOnCall;
  if (urgent) return first.today ? msg.urgentNow : msg.urgentLater(koreanDay(first.date));
  return first.today ? msg.promiseToday : msg.promiseLater(koreanDay(first.date));
}
