import type { Answer, Flow, Outcome, TurnContext } from './flow';
import type { ConversationKey, StateStore, StoredConversation } from './state-store';
import { answerChoices, reply, type Choice, type Incoming, type Reply } from './types';

/** Another turn of the same user changed the conversation first; the adapter asks to retry. */
export class ConcurrentTurnError extends Error {
  readonly code = 'CONCURRENT_TURN';
}

export interface EngineTexts {
  idle: Reply;
  cancelled: string;
  nothingToCancel: string;
  expired: string;
  restartedAfterUpdate: string;
  help: string;
}

export interface Command {
  words: string[];
  run(ctx: TurnContext): Promise<string[]>;
}

export interface EngineOptions<D, S> {
  flow: Flow<D, S>;
  services: S;
  store: StateStore;
  texts: EngineTexts;
  startWords: string[];
  cancelWords: string[];
  restartWords: string[];
  helpWords: string[];
  /** Extra commands usable at any point (조회); their texts come before the current prompt. */
  commands: Command[];
  idleTtlMs: number;
  now?: () => Date;
}

/** Folds spacing and trailing punctuation so "취소 ", "취소!" and "취소" mean the same command. */
export function commandWord(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').replace(/[.!?。~\s]+$/u, '').trim();
}

/**
 * Matches a pressed value, a typed label or value, or a typed list number to one of the choices.
 * The one place that decides what a typed number means: a choice only when the adapter showed
 * this question's choices numbered (`numberedChoices`), so "75" at the age question stays 75.
 * Call buttons (112/119) dial; they are never an answer.
 */
export function matchChoice(incoming: { text: string; choice?: string; numberedChoices?: number }, all: Choice[]): string | undefined {
  const choices = answerChoices(all);
  if (incoming.choice !== undefined && choices.some((c) => c.value === incoming.choice)) return incoming.choice;
  const typed = commandWord(incoming.text).toLowerCase();
  if (!typed) return undefined;
  const unmarked = (label: string) => label.replace(/^✓\s*/, '').toLowerCase();
  const exact = choices.find((c) => c.value.toLowerCase() === typed || c.label.toLowerCase() === typed || unmarked(c.label) === typed);
  if (exact) return exact.value;
  const numbered = incoming.numberedChoices !== undefined && choices.length >= incoming.numberedChoices;
  if (numbered && /^\d{1,2}$/.test(typed)) return choices[Number(typed) - 1]?.value;
  return undefined;
}

const withNotes = (notes: string[], r: Reply): Reply => ({ texts: [...notes, ...r.texts], choices: r.choices });

/**
 * Runs one turn: reads the conversation, applies global commands, lets the current step decide,
 * and writes the result back in one conditional write. Storage and sending happen around the
 * steps, so a step is a plain function of (data, answer).
 */
export class ConversationEngine<D, S> {
  constructor(private readonly opts: EngineOptions<D, S>) {}

  async turn(incoming: Incoming, signal?: AbortSignal): Promise<Reply> {
    const { flow, store, texts } = this.opts;
    const now = this.opts.now?.() ?? new Date();
    const ctx: TurnContext = { channel: incoming.channel, userId: incoming.userId, now };
    const key: ConversationKey = { channel: incoming.channel, userId: incoming.userId };
    const word = commandWord(incoming.choice ?? incoming.text);
    const notes: string[] = [];

    let stored = await store.read(key);
    if (stored && (stored.expired || now.getTime() - stored.updatedAt.getTime() > this.opts.idleTtlMs)) {
      await this.guard(signal, () => store.remove(key));
      notes.push(texts.expired);
      stored = undefined;
    }
    let data: D | undefined;
    if (stored) {
      const parsed = flow.dataSchema.safeParse(stored.data);
      if (stored.flowId !== flow.id || stored.flowVersion !== flow.version || !flow.steps[stored.stepId] || !parsed.success) {
        await this.guard(signal, () => store.remove(key));
        notes.push(texts.restartedAfterUpdate);
        return this.start(ctx, key, notes, signal);
      }
      data = parsed.data;
    }

    if (incoming.resume) {
      return this.whereWeAre(stored, data, notes);
    }
    if (this.opts.cancelWords.includes(word)) {
      if (!stored) return withNotes(notes, reply(texts.nothingToCancel, this.opts.texts.idle.choices));
      await this.guard(signal, () => store.remove(key));
      return withNotes(notes, reply(texts.cancelled, this.opts.texts.idle.choices));
    }
    if (this.opts.restartWords.includes(word)) {
      if (stored) await this.guard(signal, () => store.remove(key));
      return this.start(ctx, key, notes, signal);
    }
    if (this.opts.helpWords.includes(word)) {
      notes.push(texts.help);
      return this.whereWeAre(stored, data, notes);
    }
    const command = this.opts.commands.find((c) => c.words.includes(word));
    if (command) {
      notes.push(...(await command.run(ctx)));
      return this.whereWeAre(stored, data, notes);
    }

    if (!stored || data === undefined) {
      if (incoming.isStart || this.opts.startWords.includes(word)) return this.start(ctx, key, notes, signal);
      return withNotes(notes, texts.idle);
    }

    const step = flow.steps[stored.stepId]!;
    const prompt = await step.prompt(data, this.opts.services);
    const answer: Answer = {
      text: incoming.text.normalize('NFC').trim(),
      choice: matchChoice(incoming, prompt.choices),
      location: incoming.location,
      imageUrl: incoming.imageUrl,
    };
    const outcome = await step.answer(answer, data, this.opts.services, ctx);
    if (outcome.type === 'retry') return withNotes([...notes, outcome.reason], prompt);
    return this.apply(outcome, key, stored.rev, notes, ctx, signal);
  }

  private async start(ctx: TurnContext, key: ConversationKey, notes: string[], signal?: AbortSignal): Promise<Reply> {
    const outcome = await this.opts.flow.start(this.opts.services, ctx);
    if (outcome.type === 'retry') return withNotes([...notes, outcome.reason], this.opts.texts.idle);
    return this.apply(outcome, key, 0, notes, ctx, signal, true);
  }

  private async apply(
    outcome: Exclude<Outcome<D>, { type: 'retry' }>,
    key: ConversationKey,
    rev: number,
    notes: string[],
    ctx: TurnContext,
    signal?: AbortSignal,
    fresh = false,
  ): Promise<Reply> {
    if (outcome.type === 'end') {
      if (!fresh) await this.guard(signal, () => this.opts.store.remove(key));
      return withNotes(notes, outcome.reply);
    }
    const next: Omit<StoredConversation, 'rev'> = {
      flowId: this.opts.flow.id,
      flowVersion: this.opts.flow.version,
      stepId: outcome.to,
      data: outcome.data,
      updatedAt: ctx.now,
    };
    const written = await this.guard(signal, () => this.opts.store.write(key, next, fresh ? 0 : rev));
    if (!written) throw new ConcurrentTurnError('the conversation changed during this turn');
    return withNotes([...notes, ...(outcome.notes ?? [])], await this.prompt(outcome.to, outcome.data));
  }

  /** The current question again (or the idle greeting), after any notes: nothing changes. */
  private async whereWeAre(stored: StoredConversation | undefined, data: D | undefined, notes: string[]): Promise<Reply> {
    return stored && data !== undefined ? withNotes(notes, await this.prompt(stored.stepId, data)) : withNotes(notes, this.opts.texts.idle);
  }

  private async prompt(stepId: string, data: D): Promise<Reply> {
    return this.opts.flow.steps[stepId]!.prompt(data, this.opts.services);
  }

  /** Writes only while the channel can still deliver the answer, so a late turn changes nothing. */
  private async guard<T>(signal: AbortSignal | undefined, write: () => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    return write();
  }
}
