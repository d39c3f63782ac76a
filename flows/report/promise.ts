import { firstCallDay, koreanDay } from '../../src/domain/first-call';
import { msg } from './messages';

/** What a receipt promises: when the call center first acts, by the same calendar as the console. */
export function receiptPromise(urgent: boolean, now: Date): string {
  const first = firstCallDay(now);
  if (urgent) return first.today ? msg.urgentNow : msg.urgentLater(koreanDay(first.date));
  return first.today ? msg.promiseToday : msg.promiseLater(koreanDay(first.date));
}
