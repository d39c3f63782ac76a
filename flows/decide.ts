import { createHash } from 'node:crypto';
import type { ActionStep, Alarm, Answer, CommandOutcome, Effect, Flow, Outcome, Step, TurnContext } from './flow';
import type { ConversationRecord, ConversationState, StoredValue } from './state-store';
import { answerChoices, reply, type Choice, type Incoming, type Reply } from './types';

/** What the engine itself says (the flow's own words are in its steps and commands). */
export interface EngineTexts {
  expired: string;
  restartedAfterUpdate: string;
  /** Another message of the same person changed the conversation first; this one was not taken. */
  lostRace: string;
  /** A reply the person never got had moved the conversation on: it is shown before anything is taken. */
  movedOnUnseen: string;
  /** A button of an earlier question was pressed: it is not read as an answer to this one. */
  staleButton: string;
  /** The turn missed the channel's deadline and provably changed nothing. */
  lateKept: string;
  /** The turn missed the deadline and whether it changed anything is not known yet. */
  lateUnsure: string;
}

/** What a turn starts from: the stored conversation (its unseen mark taken out, see StoredValue) and that mark. */
export interface TurnState {
  record: ConversationRecord;
  unseen?: string;
}

/** What a turn is decided with besides the state and the message: the time, and a fresh id should it start a report. */
export interface DecideContext {
  now: Date;
  freshId: string;
}

/**
 * One step of a turn, decided without I/O. The runner stores `store` (when given) as the next
 * revision — if another turn took that revision, the turn ends with `lostRace` — and then either
 * sends `reply`, or performs `effect` (when given) and hands its result to `after` for the rest.
 */
export type Decision<E extends Effect> = {
  /** The conversation as the next revision; absent when this step changes nothing stored. */
  store?: StoredValue;
  /** What was said before `store`: a turn that loses the race still shows it. */
  notes: string[];
} & ({ reply: Reply } | { effect?: E; after(result: unknown): Decision<E> });

export interface DecideRules<D, S, E extends Effect> {
  flow: Flow<D, S, E>;
  env: S;
  texts: EngineTexts;
  idleTtlMs: number;
}

/** Folds spacing and trailing punctuation so "취소 ", "취소!" and "취소" mean the same command. */
export function commandWord(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(/[.!?。~\s]+$/u, '')
    .trim();
}

/**
 * Matches a pressed value, a typed label or value, or a typed list number to one of the choices.
 * The one place that decides what a typed number means: a choice only when the adapter showed
 * this question's choices numbered (`numberedChoices`), so "75" at the age question stays 75.
 * Call buttons (112/119) dial; they are never an answer.
 */
export function matchChoice(
  incoming: { text: string; choice?: string; numberedChoices?: number },
  all: Choice[],
): string | undefined {
  const choices = answerChoices(all);
  if (incoming.choice !== undefined && choices.some((c) => c.value === incoming.choice)) return incoming.choice;
  const typed = commandWord(incoming.text).toLowerCase();
  if (!typed) return undefined;
  const unmarked = (label: string) => label.replace(/^✓\s*/, '').toLowerCase();
  const exact = choices.find(
    (c) => c.value.toLowerCase() === typed || c.label.toLowerCase() === typed || unmarked(c.label) === typed,
  );
  if (exact) return exact.value;
  const numbered = incoming.numberedChoices !== undefined && choices.length >= incoming.numberedChoices;
  if (numbered && /^\d{1,2}$/.test(typed)) return choices[Number(typed) - 1]?.value;
  return undefined;
}

/** What the person last saw of a conversation, comparable across revisions (a fence keeps it). */
export function signatureOf(value: StoredValue | undefined): string {
  if (!value || value.ended !== undefined) return 'none';
  return createHash('sha256')
    .update(`${value.flowId}:${value.flowVersion}:${value.stepId}:${JSON.stringify(value.data)}`)
    .digest('base64url');
}

const withNotes = (notes: string[], r: Reply): Reply => ({ texts: [...notes, ...r.texts], choices: r.choices });

type Running = Extract<StoredValue, { ended?: undefined }>;
const isRunning = (v: StoredValue | undefined): v is Running => v !== undefined && v.ended === undefined;

/**
 * The conversation turn as a pure function: from what is stored, the unseen mark and the message,
 * what to store, what to say and what to do. No store, no services, no clock: `now` comes in.
 */
export function decider<D, S, E extends Effect>(rules: DecideRules<D, S, E>) {
  const { flow, env, texts } = rules;
  const idle = () => flow.idle(env);
  const done = (notes: string[], r: Reply): Decision<E> => ({ notes: [], reply: withNotes(notes, r) });

  function validData(state: ConversationState): D | undefined {
    if (state.flowId !== flow.id || state.flowVersion !== flow.version || !flow.steps[state.stepId]) return undefined;
    const parsed = flow.dataSchema.safeParse(state.data);
    return parsed.success ? parsed.data : undefined;
  }
  const isAction = (stepId: string) => 'run' in (flow.steps[stepId] ?? {});
  const promptOf = (stepId: string, data: D) => flow.steps[stepId]!.prompt(data, env);

  /**
   * The current question again (or the idle greeting), after any notes: nothing changes. With
   * `withEnding`, a conversation that ended shows how (the receipt number) the person may not have seen.
   */
  function whereWeAre(value: StoredValue | undefined, notes: string[], withEnding = false): Reply {
    if (isRunning(value)) {
      const data = validData(value);
      if (data !== undefined) return withNotes(notes, promptOf(value.stepId, data));
    }
    if (withEnding && value?.ended !== undefined && value.endTexts?.length) {
      return withNotes([...notes, ...value.endTexts], reply([], idle().choices));
    }
    return withNotes(notes, idle());
  }

  /** Where an outcome leads: stored as the next revision; an action step it leads to runs right after. */
  function apply(outcome: Outcome<D, E>, notes: string[], again: Reply, ctx: TurnContext): Decision<E> {
    switch (outcome.type) {
      case 'need':
        return { notes, effect: outcome.effect, after: (result) => apply(outcome.after(result), notes, again, ctx) };
      case 'retry':
        return done([...notes, outcome.reason], again);
      case 'end': {
        const end: StoredValue = { ended: outcome.how ?? 'done', updatedAt: ctx.now, endTexts: outcome.reply.texts };
        return { store: end, notes, reply: withNotes(notes, outcome.reply) };
      }
      case 'go': {
        const next: StoredValue = {
          flowId: flow.id,
          flowVersion: flow.version,
          stepId: outcome.to,
          data: outcome.data,
          updatedAt: ctx.now,
        };
        const moved = [...notes, ...(outcome.notes ?? [])];
        if (isAction(outcome.to)) return { store: next, notes, after: () => act(outcome.to, outcome.data, moved, ctx) };
        return { store: next, notes, reply: withNotes(moved, promptOf(outcome.to, outcome.data)) };
      }
    }
  }

  function act(stepId: string, data: D, notes: string[], ctx: TurnContext): Decision<E> {
    const step = flow.steps[stepId] as ActionStep<D, S, E>;
    return apply(step.run(data, env, ctx), notes, step.prompt(data, env), ctx);
  }

  const start = (notes: string[], ctx: TurnContext, mode?: string) =>
    apply(flow.start(env, ctx, mode), notes, idle(), ctx);

  type Running = { stepId: string; data: D } | undefined;

  function command(
    outcome: CommandOutcome<E>,
    value: StoredValue | undefined,
    current: Running,
    notes: string[],
    ctx: TurnContext,
  ): Decision<E> {
    const running = current !== undefined;
    switch (outcome.type) {
      case 'need':
        return {
          notes,
          effect: outcome.effect,
          after: (result) => command(outcome.after(result), value, current, notes, ctx),
        };
      case 'start':
        return start(notes, ctx, outcome.mode);
      case 'amend':
        if (!current || !flow.amend) return done([], whereWeAre(value, notes));
        return apply(
          flow.amend(outcome.how, current.stepId, current.data, env, ctx),
          notes,
          promptOf(current.stepId, current.data),
          ctx,
        );
      case 'end':
        return apply({ type: 'end', reply: outcome.reply, how: outcome.how }, notes, idle(), ctx);
      case 'say': {
        const said = [...notes, ...outcome.texts];
        // between conversations a looked-up answer is enough, with the usual buttons (no greeting again)
        if (!running && outcome.between === 'buttons') return done(said, reply([], idle().choices));
        return done([], whereWeAre(value, said));
      }
    }
  }

  /** After expiry and version checks: commands, then the current step. */
  function proceed(
    value: StoredValue | undefined,
    notes: string[],
    state: TurnState,
    incoming: Incoming,
    ctx: TurnContext,
  ): Decision<E> {
    let data: D | undefined;
    if (isRunning(value)) {
      data = validData(value);
      if (data === undefined) {
        return {
          store: { ended: 'done', updatedAt: ctx.now },
          notes,
          after: () => start([...notes, texts.restartedAfterUpdate], ctx),
        };
      }
    }
    const running = isRunning(value) && data !== undefined ? { stepId: value.stepId, data } : undefined;

    // A reply the person never got moved the conversation on: show it before taking anything.
    if (state.unseen !== undefined && state.unseen !== signatureOf(value) && !incoming.resume) {
      const moved = [...notes, texts.movedOnUnseen];
      if (running && isAction(running.stepId)) return act(running.stepId, running.data, moved, ctx);
      return done([], whereWeAre(value, moved, true));
    }
    // Stopped half-way through an action (filing): finish it before anything else.
    if (running && isAction(running.stepId) && !incoming.resume) return act(running.stepId, running.data, notes, ctx);
    if (incoming.resume) return done([], whereWeAre(value, notes));

    // Danger in words is answered first, at any step or none; the message is then taken as usual.
    const alarm = incoming.choice === undefined && flow.alarm ? flow.alarm(incoming.text, running, env) : undefined;
    if (alarm && !running) return done(notes, reply(alarm.notes, alarm.choices));
    const decision = take(value, running, notes, incoming, ctx);
    return alarm ? raise(decision, alarm) : decision;
  }

  /** The alarm's notes lead whatever the turn says, and its buttons join the reply's (once each). */
  function raise(d: Decision<E>, alarm: Alarm): Decision<E> {
    if ('reply' in d) {
      const choices = [
        ...d.reply.choices,
        ...alarm.choices.filter((c) => !d.reply.choices.some((o) => o.value === c.value)),
      ];
      return {
        ...d,
        notes: [...alarm.notes, ...d.notes],
        reply: { texts: [...alarm.notes, ...d.reply.texts], choices },
      };
    }
    return { ...d, notes: [...alarm.notes, ...d.notes], after: (result: unknown) => raise(d.after(result), alarm) };
  }

  /** A command, the start, or the current step's answer. */
  function take(
    value: StoredValue | undefined,
    running: Running,
    notes: string[],
    incoming: Incoming,
    ctx: TurnContext,
  ): Decision<E> {
    // a photo is never read as an answer: the flow keeps or refuses it, and the question stays
    // (an image reference the adapter did not fetch is a photo that could not be had)
    const photos =
      incoming.photos ??
      (incoming.imageUrl !== undefined ? [{ ok: false, problem: 'unreachable' } as const] : undefined);
    if (photos?.length && flow.photo)
      return apply(
        flow.photo(photos, running, env, ctx),
        notes,
        running ? promptOf(running.stepId, running.data) : idle(),
        ctx,
      );
    const word = commandWord(incoming.choice ?? incoming.text);
    const found = flow.commands.find((c) => c.words.includes(word));
    if (found) return command(found.run(running !== undefined, env, ctx), value, running, notes, ctx);

    if (!running) {
      if (incoming.isStart || flow.startWords.includes(word)) return start(notes, ctx);
      return done(notes, idle());
    }

    const step = flow.steps[running.stepId] as Step<D, S, E>;
    const prompt = step.prompt(running.data, env);
    const answer: Answer = {
      text: incoming.text.normalize('NFC').trim(),
      choice: matchChoice(incoming, prompt.choices),
      location: incoming.location,
    };
    // A pressed button that is not one of this question's (an older message's, or a press sent
    // again after its first try moved on): its label is never taken as typed text
    if (incoming.choice !== undefined && answer.choice === undefined)
      return done([...notes, texts.staleButton], prompt);
    return apply(step.answer(answer, running.data, env, ctx), notes, prompt, ctx);
  }

  return {
    /**
     * Decides a turn: expiry first (said, and stored, before anything else), then a flow-version
     * change (restart), the unseen mark, an unfinished action, commands, and the current step.
     */
    decide(state: TurnState, incoming: Incoming, context: DecideContext): Decision<E> {
      const ctx: TurnContext = { channel: incoming.channel, userId: incoming.userId, ...context };
      const value = state.record.value;
      if (isRunning(value) && ctx.now.getTime() - value.updatedAt.getTime() > rules.idleTtlMs) {
        return {
          store: { ended: 'expired', updatedAt: ctx.now },
          notes: [],
          after: () => proceed(undefined, [texts.expired], state, incoming, ctx),
        };
      }
      if (value?.ended === 'expired') {
        return {
          store: { ended: 'done', updatedAt: ctx.now },
          notes: [],
          after: () => proceed(undefined, [texts.expired], state, incoming, ctx),
        };
      }
      return proceed(value, [], state, incoming, ctx);
    },
    /** This message lost to another of the same person: say so, and show where the conversation now is. */
    lostRace(notes: string[], current: StoredValue | undefined): Reply {
      return whereWeAre(current, [...notes, texts.lostRace], true);
    },
  };
}
