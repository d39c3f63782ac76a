import type { z } from 'zod';
import type { Channel, Choice, PhotoInput, Reply } from './types';

export interface TurnContext {
  channel: Channel;
  userId: string;
  now: Date;
  /** A fresh random id the runner made for this turn (a new report's submissionId): decisions stay pure. */
  freshId: string;
}

/** A user's answer to a step, with any pressed or typed choice already matched to its value. */
export interface Answer {
  text: string;
  choice?: string;
  location?: { lat: number; lng: number };
}

/** Work a decision asks the runner to do (look something up, file, save): plain data, named by `kind`. */
export interface Effect {
  kind: string;
}

/**
 * A decision that needs the result of an effect: the runner performs `effect` and hands its result
 * to `after`, itself pure, which decides the rest. Named `after` (not `then`) so it is never taken
 * for a promise.
 */
export interface Need<T, E extends Effect> {
  type: 'need';
  effect: E;
  after(result: unknown): T;
}

/** What a step decides: move on (with notes said before the next prompt), ask again, finish, or first learn something. */
export type Outcome<D, E extends Effect = Effect> =
  | { type: 'go'; to: string; data: D; notes?: string[] }
  | { type: 'retry'; reason: string }
  | { type: 'end'; reply: Reply; how?: 'done' | 'cancelled' }
  | Need<Outcome<D, E>, E>;

/**
 * A question. Both functions are pure: `env` is read-only data (the district), and whatever needs
 * the outside world is asked for as a `need` outcome.
 */
export interface Step<D, S, E extends Effect = Effect> {
  prompt(data: D, env: S): Reply;
  answer(answer: Answer, data: D, env: S, ctx: TurnContext): Outcome<D, E>;
}

/**
 * A step that acts instead of asking (filing the report). The runner stores the conversation at
 * this step *before* acting, so the act and any racing message (취소) cannot both win, and runs
 * it again on the next message if the process stopped half-way: its effect must be idempotent.
 */
export interface ActionStep<D, S, E extends Effect = Effect> {
  prompt(data: D, env: S): Reply;
  run(data: D, env: S, ctx: TurnContext): Outcome<D, E>;
}

/** What a command does: say something and show where the conversation is, start over, end it, or first learn something. */
export type CommandOutcome<E extends Effect = Effect> =
  /** Texts before where the conversation is; between conversations, the greeting or only its buttons. */
  | { type: 'say'; texts: string[]; between: 'greeting' | 'buttons' }
  /** Start the flow (`mode`: a way of starting the flow knows, e.g. an urgent filing). */
  | { type: 'start'; mode?: string }
  /** Change the running conversation as the flow's `amend` decides (e.g. make it urgent). */
  | { type: 'amend'; how: string }
  | { type: 'end'; reply: Reply; how: 'done' | 'cancelled' }
  | Need<CommandOutcome<E>, E>;

/**
 * Something a message says that must be answered first, whatever the step or none (danger in
 * words): `notes` lead the reply, `choices` join its buttons. Between conversations they are the
 * whole reply.
 */
export interface Alarm {
  notes: string[];
  choices: Choice[];
}

/** A word that means the same at any point of a conversation (취소, 처음으로, 도움말, 조회). */
export interface Command<S, E extends Effect = Effect> {
  words: string[];
  /** `running`: whether a conversation is under way (a command between conversations may differ). */
  run(running: boolean, env: S, ctx: TurnContext): CommandOutcome<E>;
}

/**
 * A flow is a set of named steps plus where it starts. Its stored data is checked against
 * `dataSchema` on every turn, and `version` is bumped whenever steps change meaning, so an old
 * conversation restarts politely instead of failing on a step that no longer exists.
 */
export interface Flow<D, S, E extends Effect = Effect> {
  id: string;
  version: number;
  dataSchema: z.ZodType<D>;
  /** Words that start the flow between conversations (a platform's own start event does too). */
  startWords: string[];
  /** What is said between conversations. */
  idle(env: S): Reply;
  start(env: S, ctx: TurnContext, mode?: string): Outcome<D, E>;
  steps: Record<string, Step<D, S, E> | ActionStep<D, S, E>>;
  /** Words usable at any point, checked before the current step sees the message. */
  commands: Command<S, E>[];
  /** Reads every typed message first, at any step or none: what must be said before anything else. */
  alarm?(text: string, running: { stepId: string; data: D } | undefined, env: S): Alarm | undefined;
  /**
   * What photos do (at any step or none; one message may carry several): never an answer. It may be kept (a `go` to the same
   * step with the photo in the data and a note) or refused (`retry` with the reason); either way
   * the current question is asked again. Between conversations a `retry` shows the greeting.
   */
  photo?(
    photos: PhotoInput[],
    running: { stepId: string; data: D } | undefined,
    env: S,
    ctx: TurnContext,
  ): Outcome<D, E>;
  /** A command's change to the running conversation (`amend` outcome), decided like a step's answer. */
  amend?(how: string, stepId: string, data: D, env: S, ctx: TurnContext): Outcome<D, E>;
}
