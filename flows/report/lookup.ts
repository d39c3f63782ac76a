import type { Command } from '../engine';
import { msg } from './messages';
import type { ReportFlowServices } from './services';

const dateKst = (d: Date) =>
  new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', month: 'numeric', day: 'numeric' }).format(d);

/** "조회": the reporter's last five reports with receipt number, dong and status in plain Korean. */
export function lookupCommand(svc: ReportFlowServices): Command {
  return {
    words: ['조회', '신고 조회', '내 신고'],
    async run(ctx) {
      const link = await svc.partnerOf(ctx.channel, ctx.userId);
      if (!link) return [msg.notLinkedForLookup];
      const lines = await svc.recentReports(ctx.channel, ctx.userId, 5);
      if (lines.length === 0) return [msg.noReports];
      return [
        [
          msg.reportsTitle,
          ...lines.map((l) => `· ${l.receiptNo} (${dateKst(l.receivedAt)}) ${l.dongName ?? '동 배정 전'} — ${l.statusLabel}`),
        ].join('\n'),
      ];
    },
  };
}
