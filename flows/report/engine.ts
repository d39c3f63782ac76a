import { ConversationEngine } from '../engine';
import type { StateStore } from '../state-store';
import { choicesOf, reply } from '../types';
import type { Draft } from './draft';
import { reportFlow } from './flow';
import { lookupCommand } from './lookup';
import { msg } from './messages';
import type { ReportFlowServices } from './services';

export const START_WORDS = ['신고', '새 신고', '사각지대 신고', '시작', '신고하기', '/start', 'start'];

/** The engine every channel talks to: the report flow plus the global commands. */
export function reportEngine(opts: {
  services: ReportFlowServices;
  store: StateStore;
  idleTtlMs: number;
  now?: () => Date;
}): ConversationEngine<Draft, ReportFlowServices> {
  return new ConversationEngine({
    flow: reportFlow,
    services: opts.services,
    store: opts.store,
    idleTtlMs: opts.idleTtlMs,
    now: opts.now,
    texts: {
      idle: reply(msg.idleFor(opts.services.district.name), choicesOf('신고', '조회', '도움말')),
      cancelled: msg.cancelled,
      nothingToCancel: msg.nothingToCancel,
      expired: msg.expired,
      restartedAfterUpdate: msg.restartedAfterUpdate,
      help: msg.help,
      lostRace: msg.lostRace,
      movedOnUnseen: msg.movedOnUnseen,
      staleButton: msg.staleButton,
      lateKept: msg.lateKept,
      lateUnsure: msg.lateUnsure,
    },
    startWords: START_WORDS,
    cancelWords: ['취소', '신고 취소', '그만'],
    restartWords: ['처음으로', '처음부터'],
    helpWords: ['도움말', '도움', 'help', '?'],
    commands: [lookupCommand(opts.services)],
  });
}
