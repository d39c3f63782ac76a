import type { Command } from '../flow';
import { historyPhrase } from '../../src/domain/report/history';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';
import { idleReply } from './idle';
import { msg, URGENT } from './messages';
import type { ReporterReportLine } from './flow-services';

type C = Command<ReportFlowEnv, ReportEffect>;

const DATE_KST = new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', month: 'long', day: 'numeric' });
const dateKst = (d: Date) => DATE_KST.format(d);

/** Enough of the address to tell reports apart on a phone screen. */
const SHORT_ADDRESS = 18;
const shorten = (text: string) =>
  [...text].length <= SHORT_ADDRESS ? text : `${[...text].slice(0, SHORT_ADDRESS - 1).join('')}…`;

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
  if (l.latestChange)
    lines.push(`  ${msg.latestChange(dateKst(l.latestChange.at), historyPhrase(l.latestChange) ?? '')}`);
  return lines.join('\n');
}

/** "취소": ends the conversation; nothing not yet filed is kept. */
export const cancelCommand: C = {
  words: ['취소', '신고 취소', '그만'],
  run: (running, env) =>
    running
      ? { type: 'end', how: 'cancelled', reply: { texts: [msg.cancelled], choices: idleReply(env).choices } }
      : { type: 'say', texts: [msg.nothingToCancel], between: 'buttons' },
};

/** "처음으로": the report again from its first question. */
export const restartCommand: C = { words: ['처음으로', '처음부터'], run: () => ({ type: 'start' }) };

/** "도움말": what can be said, then where the conversation is. */
export const helpCommand: C = {
  words: ['도움말', '도움', 'help', '?'],
  run: () => ({ type: 'say', texts: [msg.help], between: 'greeting' }),
};

/** "조회": the reporter's last five reports: receipt, date, dong, short address, status and latest change. */
export const lookupCommand: C = {
  words: ['조회', '신고 조회', '내 신고'],
  run: () =>
    need({ kind: 'partnerOf' }, (link) =>
      link
        ? need({ kind: 'recentReports', limit: 5 }, (lines) => ({
            type: 'say',
            texts: [lines.length === 0 ? msg.noReports : [msg.reportsTitle, ...lines.map(lineOf)].join('\n')],
            between: 'buttons',
          }))
        : { type: 'say', texts: [msg.notLinkedForLookup], between: 'buttons' },
    ),
};

/** "긴급 신고" (offered when danger is typed): an urgent filing from the start, or the running report made urgent. */
export const urgentCommand: C = {
  words: [URGENT, '긴급신고', '즉시 위험으로 신고', '즉시 위험 신고'],
  run: (running) => (running ? { type: 'amend', how: 'urgent' } : { type: 'start', mode: 'urgent' }),
};

/** "알림 끄기" / "알림 켜기": whether news of the reporter's reports are sent to this chat (issue 26). */
const newsSwitch = (off: boolean): C => ({
  words: off ? ['알림 끄기', '알림끄기', '알림 꺼', '소식 끄기'] : ['알림 켜기', '알림켜기', '알림 켜', '소식 켜기'],
  run: () =>
    need({ kind: 'partnerOf' }, (link) =>
      link
        ? need({ kind: 'setNewsOff', off }, () => ({
            type: 'say',
            texts: [off ? msg.newsOff : msg.newsOn],
            between: 'buttons',
          }))
        : { type: 'say', texts: [msg.notLinkedForNews], between: 'buttons' },
    ),
});
export const newsOffCommand = newsSwitch(true);
export const newsOnCommand = newsSwitch(false);

/** Every word the report flow understands at any point, in the order they are checked. */
export const REPORT_COMMANDS: C[] = [
  cancelCommand,
  restartCommand,
  helpCommand,
  lookupCommand,
  urgentCommand,
  newsOffCommand,
  newsOnCommand,
];
