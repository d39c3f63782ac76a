import { decider } from '../decide';
import { ConversationEngine } from '../conversation-engine';
import type { StateStore } from '../state-store';
import type { Draft } from './draft';
import { LOOKUP_EFFECTS, performReportEffect, type ReportEffect, type ReportFlowEnv } from './effects';
import { reportFlow } from './flow';
import { msg } from './messages';
import type { ReportFlowServices } from './flow-services';

export { START_WORDS } from './flow';

/** The engine's own words, in the report flow's voice. */
export const ENGINE_TEXTS = {
  expired: msg.expired,
  restartedAfterUpdate: msg.restartedAfterUpdate,
  lostRace: msg.lostRace,
  movedOnUnseen: msg.movedOnUnseen,
  staleButton: msg.staleButton,
  lateKept: msg.lateKept,
  lateUnsure: msg.lateUnsure,
};

/** The pure report turn over a district (flow tests run it over plain objects, with no database). */
export function reportDecider(env: ReportFlowEnv, idleTtlMs: number) {
  return decider({ flow: reportFlow, env, texts: ENGINE_TEXTS, idleTtlMs });
}

/** The engine every channel talks to: the report flow's pure turn, run over the store and the services. */
export function reportEngine(opts: {
  services: ReportFlowServices;
  store: StateStore;
  idleTtlMs: number;
  now?: () => Date;
}): ConversationEngine<Draft, ReportFlowEnv, ReportEffect> {
  return new ConversationEngine({
    flow: reportFlow,
    env: { district: opts.services.district },
    texts: ENGINE_TEXTS,
    idleTtlMs: opts.idleTtlMs,
    perform: performReportEffect(opts.services),
    readsOnly: (effect) => LOOKUP_EFFECTS.has(effect.kind),
    store: opts.store,
    now: opts.now,
  });
}
