import type { Report } from '../report/report';

/**
 * The steps of a case a reporter hears about (issue 26): someone called (1차 상담 완료), a dong
 * center took it (동 배정), the dong center went (방문 완료, or 재방문 예정 when nobody was met),
 * follow-up began (사후관리 시작), the case ended (종결). Each is told once per report: a second
 * assignment, a corrected consultation or a re-closing after a reopen is not news again.
 */
export const MILESTONES = ['consulted', 'assigned', 'visited', 'revisit', 'follow_up', 'closed'] as const;
export type Milestone = (typeof MILESTONES)[number];

export interface MilestoneEvent {
  milestone: Milestone;
  /** When it happened (the history entry's time): the date the message names. */
  at: Date;
}

/** The milestones one history entry marks (a visit that starts follow-up marks two). */
function milestonesOfEntry(entry: { action: string; to?: string }): Milestone[] {
  switch (entry.action) {
    case 'consult':
      return ['consulted'];
    case 'assign':
      return ['assigned'];
    case 'visit_result':
      if (entry.to === 'visit_requested') return ['revisit'];
      return entry.to === 'follow_up' ? ['visited', 'follow_up'] : ['visited'];
    case 'follow_up':
      return ['follow_up'];
    case 'close':
    case 'end_follow_up':
    case 'merge_duplicate':
      return ['closed'];
    default:
      return [];
  }
}

/** The first time each milestone was reached, in the order they happened. */
export function milestonesOf(report: Pick<Report, 'history'>): MilestoneEvent[] {
  const seen = new Map<Milestone, Date>();
  for (const entry of report.history) {
    for (const m of milestonesOfEntry(entry)) if (!seen.has(m)) seen.set(m, new Date(entry.at));
  }
  return [...seen].map(([milestone, at]) => ({ milestone, at })).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Chat channels a reporter can hear back on; reports from imported lists have no reporter to tell. */
export const NEWS_CHANNELS = ['kakao', 'slack', 'telegram', 'web'] as const;
export type NewsChannel = (typeof NEWS_CHANNELS)[number];
export const isNewsChannel = (c: string | undefined): c is NewsChannel =>
  (NEWS_CHANNELS as readonly string[]).includes(c ?? '');
