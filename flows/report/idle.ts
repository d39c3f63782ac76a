import { choicesOf, reply, type Reply } from '../types';
import type { ReportFlowEnv } from './effects';
import { msg } from './messages';

/** What is said between reports: the greeting with the usual buttons. */
export const idleReply = (env: ReportFlowEnv): Reply =>
  reply(msg.idleFor(env.district.name), choicesOf('신고', '조회', '도움말'));
