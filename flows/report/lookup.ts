import type { Command } from '../engine';
import { historyPhrase } from '../../src/domain/report/history';
import { msg } from './messages';
import type { ReportFlowServices, ReporterReportLine } from './services';

const dateKst = (d: Date) =>
  new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', month: 'long', day: 'numeric' }).format(d);

/** Enough of the address to tell reports apart on a phone screen. */
const SHORT_ADDRESS = 18;
const shorten = (text: string) => ([...text].length <= SHORT_ADDRESS ? text : `${[...text].slice(0, SHORT_ADDRESS - 1).join('')}…`);

/**
 * One report as the reporter sees it. The receipt number starts its own line so it never breaks
 * across lines; the latest thing someone did shows that the case moved.
 */
function lineOf(l: ReporterReportLine): string {
  const lines = [
    `· ${l.receiptNo}`,
    `  ${dateKst(l.receivedAt)} · ${l.dongName ?? '동 배정 전'} · ${shorten(l.shortAddress)}`,
    `  상태: ${l.statusLabel}`,
  ];
  if (l.latestChange) lines.push(`  ${msg.latestChange(dateKst(l.latestChange.at), historyPhrase(l.latestChange) ?? '')}`);
  return lines.join('\n');
}

/** "조회": the reporter's last five reports: receipt, date, dong, short address, status and latest change. */
export function lookupCommand(svc: ReportFlowServices): Command {
  return {
    words: ['조회', '신고 조회', '내 신고'],
    async run(ctx) {
      const link = await svc.partnerOf(ctx.channel, ctx.userId);
      if (!link) return [msg.notLinkedForLookup];
      const lines = await svc.recentReports(ctx.channel, ctx.userId, 5);
      if (lines.length === 0) return [msg.noReports];
      return [[msg.reportsTitle, ...lines.map(lineOf)].join('\n')];
    },
  };
}
