import type { z } from 'zod';
import type { Channel, Reply } from './types';

export interface TurnContext {
  channel: Channel;
  userId: string;
  now: Date;
}

/** A user's answer to a step, with any pressed or typed choice already matched to its value. */
export interface Answer {
  text: string;
  choice?: string;
  location?: { lat: number; lng: number };
  imageUrl?: string;
}

/** What a step decides: move on (with notes said before the next prompt), ask again, or finish. */
export type Outcome<D> =
  | { type: 'go'; to: string; data: D; notes?: string[] }
  | { type: 'retry'; reason: string }
  | { type: 'end'; reply: Reply; how?: 'done' | 'cancelled' };

export interface Step<D, S> {
  prompt(data: D, services: S): Reply | Promise<Reply>;
  answer(answer: Answer, data: D, services: S, ctx: TurnContext): Outcome<D> | Promise<Outcome<D>>;
}

/**
 * A step that acts instead of asking (filing the report). The engine stores the conversation at
 * this step *before* acting, so the act and any racing message (취소) cannot both win, and runs
 * it again on the next message if the process stopped half-way: `run` must be idempotent.
 */
export interface ActionStep<D, S> {
  prompt(data: D, services: S): Reply | Promise<Reply>;
  run(data: D, services: S, ctx: TurnContext): Promise<Exclude<Outcome<D>, { type: 'retry' }>>;
}

/**
 * A flow is a set of named steps plus where it starts. Its stored data is checked against
 * `dataSchema` on every turn, and `version` is bumped whenever steps change meaning, so an old
 * conversation restarts politely instead of failing on a step that no longer exists.
 */
export interface Flow<D, S> {
  id: string;
  version: number;
  dataSchema: z.ZodType<D>;
  start(services: S, ctx: TurnContext): Promise<Outcome<D>>;
  steps: Record<string, Step<D, S> | ActionStep<D, S>>;
}
