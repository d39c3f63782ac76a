import { msg } from '../../flows/report/messages';
import type { RunningApp } from '../support/app';
import type { ChatUser } from '../support/kakao-client';
import { memorySampler } from './stats';
import { storedCount } from '../../src/store/report/inspect';

/** A simulated reporter on any channel: the 14 turns of the Kakao bench, and the text of the last reply. */
export interface BenchUser extends ChatUser {
  text(): string;
}

/** "Try again" answers met under load; a simulated reporter sends the same answer again, as a person would. */
export const tryAgains = { count: 0 };

/**
 * One reporter's whole report (14 turns: link, contact, report), timing every turn, retrying a turn answered "try again";
 * returns the filing's time from the first message to the receipt.
 */
export async function timedReport(
  user: BenchUser,
  invite: string,
  latencies: number[],
  afterTurn?: () => void,
): Promise<number> {
  const started = performance.now();
  const steps: (() => Promise<unknown>)[] = [
    () => user.say('신고'),
    () => user.say(invite),
    // a newly linked reporter's own call-back contact, then the report: urgency first
    () => user.say('김집배'),
    () => user.say('010-9876-5432'),
    () => user.press('빠른 확인 필요'),
    () => user.say('서울 서대문구 홍제3동 문화촌아파트 101동'),
    () => user.press('맞음'),
    () => user.press('공과금 체납·단전·단수'),
    () => user.press('선택 완료'),
    () => user.say('홍길동'),
    () => user.say('70대'),
    () => user.say('010-1234-5678'),
    () => user.say('두 달째 전기요금이 밀렸고 우편물이 쌓여 있습니다.'),
    () => user.press('접수'),
  ];
  // The replies so far, so a filing that goes astray says where.
  const seen: string[] = [];
  const astray = (why: string) =>
    new Error(
      `${why}\n  replies before it:\n${seen
        .slice(-4)
        .map((r) => `  > ${r.replace(/\n/g, ' / ').slice(0, 160)}`)
        .join('\n')}`,
    );
  // The question the person last read (a "try again" answer shows none).
  const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';
  let question = '';
  for (const step of steps) {
    for (let attempt = 0; ; attempt++) {
      const t = performance.now();
      await step().catch((err: unknown) => {
        throw astray((err as Error).message);
      });
      latencies.push(performance.now() - t);
      seen.push(user.text());
      afterTurn?.();
      // "moved on" answers were not taken; they show where the conversation is. As a person
      // would: the same question again means answering it again, another one means going on.
      if (user.text().includes(msg.movedOnUnseen) && lastLine(user.text()) === question && attempt < 9) {
        tryAgains.count++;
        continue;
      }
      if (!user.text().includes('잠시 후 다시 시도')) question = lastLine(user.text());
      if (!user.text().includes('잠시 후 다시 시도') || attempt >= 9) break;
      tryAgains.count++;
      // as a person would: wait a moment, longer each time, then send the same again
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
  if (!/접수번호: \d{4}-\d{6}/.test(user.text())) throw astray('report not filed');
  return performance.now() - started;
}

/** Runs `reporters` reports at once and returns the wall time and the peak RSS of this process. */
export async function concurrently(reporters: number, report: (i: number) => Promise<unknown>) {
  const mem = memorySampler();
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: reporters }, (_, i) => report(i)));
  return { wallMs: performance.now() - t0, peakRss: mem.stop(), results };
}

/** Fails the bench unless every report (the warm-up's too) reached the database. */
export async function expectStored(
  app: RunningApp,
  partnerId: string,
  channel: string,
  expected: number,
): Promise<string> {
  const stored = await storedCount(app.connection, 'working', { 'partner.id': partnerId, 'reporter.channel': channel });
  if (stored !== expected) throw new Error(`${channel}: ${stored} reports stored, expected ${expected}`);
  return `reports stored (${channel}, counted in the database): ${stored} of ${expected}`;
}
