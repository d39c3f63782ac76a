import type { Milestone } from './milestones';

/**
 * What a reporter is told, in their words: the receipt number, what happened and on which day.
 * Never the household's name, situation, crisis level or the services given — a chat on a
 * worker's phone is not the place for them, and the receipt number is enough to ask by phone.
 */
const PHRASES: Record<Milestone, string> = {
  consulted: '콜센터에서 1차 상담을 마쳤습니다',
  assigned: '동 주민센터에 배정되었습니다',
  visited: '동 주민센터에서 방문했습니다',
  revisit: '동 주민센터에서 방문했으나 만나지 못해 다시 방문할 예정입니다',
  follow_up: '사후관리를 시작했습니다',
  closed: '처리가 종결되었습니다',
};

export const MILESTONE_LABELS: Record<Milestone, string> = {
  consulted: '1차 상담 완료',
  assigned: '동 배정',
  visited: '방문 완료',
  revisit: '재방문 예정',
  follow_up: '사후관리 시작',
  closed: '종결',
};

export const NEWS_TITLE = '[신고 소식]';
/** The web chat and Kakao (without the Event API) show news at the reporter's next message, under this. */
export const NEWS_SHOWN_TITLE = '지난번 신고 소식';
const FOOTER = '알림을 받지 않으려면 "알림 끄기"를 입력하세요.';

/** "12월 5일", in Seoul. */
const DATE_IN_WORDS = new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', month: 'long', day: 'numeric' });
export const dateInWords = (d: Date) => DATE_IN_WORDS.format(d);

export interface NewsItem {
  receiptNo: string;
  milestone: Milestone;
  at: Date;
}

/** One line per milestone: "접수번호 2026-000123: 12월 5일 동 주민센터에서 방문했습니다." */
export const newsLine = (n: NewsItem) => `접수번호 ${n.receiptNo}: ${dateInWords(n.at)} ${PHRASES[n.milestone]}.`;

/** One message for everything a reporter is told at once (held overnight news arrive together). */
export function newsMessage(items: NewsItem[], title: string = NEWS_TITLE): string {
  const ordered = [...items].sort((a, b) => a.receiptNo.localeCompare(b.receiptNo) || a.at.getTime() - b.at.getTime());
  return [title, ...ordered.map(newsLine), FOOTER].join('\n');
}
