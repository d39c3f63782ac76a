import { createHash } from 'node:crypto';
import type { ActionStep, Answer, Flow, Outcome, Step, TurnContext } from './flow';
import type { ConversationKey, ConversationRecord, ConversationState, StateStore, StoredValue } from './state-store';
import { answerChoices, reply, type Choice, type Incoming, type Reply } from './types';

export interface EngineTexts {
  idle: Reply;
  cancelled: string;
  nothingToCancel: string;
  expired: string;
  restartedAfterUpdate: string;
  help: string;
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

/** What the person last saw of a conversation, comparable across revisions (a fence keeps it). */
export function signatureOf(value: StoredValue | undefined): string {
  if (!value || value.ended !== undefined) return 'none';
  return createHash('sha256').update(`${value.flowId}:${value.flowVersion}:${value.stepId}:${JSON.stringify(value.data)}`).digest('base64url');
}

/** What a running turn read: what its deadline handler needs to fence it off. */
interface TurnRead {
  key: ConversationKey;
  record: ConversationRecord;
  /** The unseen mark this turn took: put back if the person never gets this turn's reply either. */
  unseen?: string;
}

const keyId = (k: ConversationKey) => `${k.channel}:${k.userId}`;

type Running = Extract<StoredValue, { ended?: undefined }>;
const isRunning = (v: StoredValue | undefined): v is Running => v !== undefined && v.ended === undefined;

/**
 * Runs one turn: reads the conversation, applies global commands, lets the current step decide,
 * and writes the result as the next revision. Of several turns decided from the same revision
 * exactly one is stored (a unique claim, see src/store/revision); the others are told so and see
 * where the conversation is. Storage and sending happen around the steps, so a step is a plain
 * function of (data, answer); filing is an action step, stored before it acts.
 */
export class ConversationEngine<D, S> {
  private readonly reads = new WeakMap<AbortSignal, TurnRead>();
  /** Per conversation, the fence of a turn that missed its deadline: the next turn waits for it. */
  private readonly settling = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: EngineOptions<D, S>) {}

  async turn(incoming: Incoming, signal?: AbortSignal): Promise<Reply> {
    const { texts } = this.opts;
    const now = this.opts.now?.() ?? new Date();
    const ctx: TurnContext = { channel: incoming.channel, userId: incoming.userId, now };
    const key: ConversationKey = { channel: incoming.channel, userId: incoming.userId };
    const word = commandWord(incoming.choice ?? incoming.text);
    const notes: string[] = [];

    await this.settling.get(keyId(key));
    const record = await this.opts.store.read(key);
    if (signal) this.reads.set(signal, { key, record });
    const unseen = await this.opts.store.takeUnseen(key);
    if (signal && unseen !== undefined) {
      // Already past the deadline: this reply will not be seen either, so the mark stays.
      if (signal.aborted) await this.opts.store.markUnseen(key, unseen).catch(() => undefined);
      else this.reads.set(signal, { key, record, unseen });
    }
    let rev = record.rev;
    let value = record.value;

    if (isRunning(value) && now.getTime() - value.updatedAt.getTime() > this.opts.idleTtlMs) {
      if (!(await this.write(key, { ended: 'expired', updatedAt: now }, rev, signal))) return this.lostRace(key, notes);
      rev += 1;
      value = undefined;
      notes.push(texts.expired);
    } else if (value?.ended === 'expired') {
      if (!(await this.write(key, { ended: 'done', updatedAt: now }, rev, signal))) return this.lostRace(key, notes);
      rev += 1;
      value = undefined;
      notes.push(texts.expired);
    }

    let data: D | undefined;
    if (isRunning(value)) {
      data = this.validData(value);
      if (data === undefined) {
        if (!(await this.write(key, { ended: 'done', updatedAt: now }, rev, signal))) return this.lostRace(key, notes);
        notes.push(texts.restartedAfterUpdate);
        return this.start(ctx, key, rev + 1, notes, signal);
      }
    }
    const running = isRunning(value) && data !== undefined ? { state: value, data } : undefined;

    // A reply the person never got moved the conversation on: show it before taking anything.
    if (unseen !== undefined && unseen !== signatureOf(value) && !incoming.resume) {
      notes.push(texts.movedOnUnseen);
      if (running && this.isAction(running.state.stepId)) return this.act(running.state.stepId, running.data, key, rev, notes, ctx, signal);
      return this.whereWeAre(value, notes, true);
    }
    // Stopped half-way through an action (filing): finish it before anything else.
    if (running && this.isAction(running.state.stepId) && !incoming.resume) {
      return this.act(running.state.stepId, running.data, key, rev, notes, ctx, signal);
    }

    if (incoming.resume) return this.whereWeAre(value, notes);
    if (this.opts.cancelWords.includes(word)) {
      if (!running) return withNotes(notes, reply(texts.nothingToCancel, texts.idle.choices));
      const end: StoredValue = { ended: 'cancelled', updatedAt: now, endTexts: [texts.cancelled] };
      if (!(await this.write(key, end, rev, signal))) return this.lostRace(key, notes);
      return withNotes(notes, reply(texts.cancelled, texts.idle.choices));
    }
    if (this.opts.restartWords.includes(word)) return this.start(ctx, key, rev, notes, signal);
    if (this.opts.helpWords.includes(word)) {
      notes.push(texts.help);
      return this.whereWeAre(value, notes);
    }
    const command = this.opts.commands.find((c) => c.words.includes(word));
    if (command) {
      notes.push(...(await command.run(ctx)));
      // between reports the answer is enough, with the usual buttons (no greeting again)
      if (!running) return withNotes(notes, reply([], texts.idle.choices));
      return this.whereWeAre(value, notes);
    }

    if (!running) {
      if (incoming.isStart || this.opts.startWords.includes(word)) return this.start(ctx, key, rev, notes, signal);
      return withNotes(notes, texts.idle);
    }

    const step = this.opts.flow.steps[running.state.stepId] as Step<D, S>;
    const prompt = await step.prompt(running.data, this.opts.services);
    const answer: Answer = {
      text: incoming.text.normalize('NFC').trim(),
      choice: matchChoice(incoming, prompt.choices),
      location: incoming.location,
      imageUrl: incoming.imageUrl,
    };
    // A pressed button that is not one of this question's (an older message's, or a press sent
    // again after its first try moved on): its label is never taken as typed text
    if (incoming.choice !== undefined && answer.choice === undefined) return withNotes([...notes, texts.staleButton], prompt);
    const outcome = await step.answer(answer, running.data, this.opts.services, ctx);
    if (outcome.type === 'retry') return withNotes([...notes, outcome.reason], prompt);
    return this.apply(outcome, key, rev, notes, ctx, signal);
  }

  /**
   * After the channel's deadline passed (or the turn failed): fences the conversation at the
   * revision the turn read, so a write still in flight cannot land unseen. When the fence holds,
   * nothing changed and the person is told so; when it does not, the next message first shows
   * where the conversation is.
   */
  async unanswered(_incoming: Incoming, signal: AbortSignal): Promise<Reply> {
    const read = this.reads.get(signal);
    // The turn had not read yet: it checks the signal before every write, so it will change nothing.
    if (!read) return reply(this.opts.texts.lateKept);
    const id = keyId(read.key);
    const work = this.fence(read);
    const settled = work.finally(() => {
      if (this.settling.get(id) === settled) this.settling.delete(id);
    });
    this.settling.set(id, settled.catch(() => undefined));
    return work;
  }

  private async fence({ key, record, unseen }: TurnRead): Promise<Reply> {
    const { texts } = this.opts;
    const now = this.opts.now?.() ?? new Date();
    const copy: StoredValue = isRunning(record.value) ? { ...record.value } : { ended: 'fenced', updatedAt: record.value?.updatedAt ?? now };
    let fenced = false;
    try {
      fenced = await this.opts.store.write(key, copy, record.rev);
    } catch {
      fenced = false;
    }
    // A turn that took an unseen mark showed where the conversation went; lost too, it is still unseen.
    if (fenced) {
      if (unseen !== undefined) await this.opts.store.markUnseen(key, unseen).catch(() => undefined);
      return reply(texts.lateKept);
    }
    await this.opts.store.markUnseen(key, unseen ?? signatureOf(record.value)).catch(() => undefined);
    return reply(texts.lateUnsure);
  }

  private validData(state: ConversationState): D | undefined {
    const { flow } = this.opts;
    if (state.flowId !== flow.id || state.flowVersion !== flow.version || !flow.steps[state.stepId]) return undefined;
    const parsed = flow.dataSchema.safeParse(state.data);
    return parsed.success ? parsed.data : undefined;
  }

  private isAction(stepId: string): boolean {
    return 'run' in (this.opts.flow.steps[stepId] ?? {});
  }

  private async start(ctx: TurnContext, key: ConversationKey, rev: number, notes: string[], signal?: AbortSignal): Promise<Reply> {
    const outcome = await this.opts.flow.start(this.opts.services, ctx);
    if (outcome.type === 'retry') return withNotes([...notes, outcome.reason], this.opts.texts.idle);
    return this.apply(outcome, key, rev, notes, ctx, signal);
  }

  /** Stores the outcome as revision rev + 1; an action step it leads to runs right after. */
  private async apply(
    outcome: Exclude<Outcome<D>, { type: 'retry' }>,
    key: ConversationKey,
    rev: number,
    notes: string[],
    ctx: TurnContext,
    signal?: AbortSignal,
  ): Promise<Reply> {
    if (outcome.type === 'end') {
      const end: StoredValue = { ended: outcome.how ?? 'done', updatedAt: ctx.now, endTexts: outcome.reply.texts };
      if (!(await this.write(key, end, rev, signal))) return this.lostRace(key, notes);
      return withNotes(notes, outcome.reply);
    }
    const next: StoredValue = {
      flowId: this.opts.flow.id,
      flowVersion: this.opts.flow.version,
      stepId: outcome.to,
      data: outcome.data,
      updatedAt: ctx.now,
    };
    if (!(await this.write(key, next, rev, signal))) return this.lostRace(key, notes);
    const moved = [...notes, ...(outcome.notes ?? [])];
    if (this.isAction(outcome.to)) return this.act(outcome.to, outcome.data, key, rev + 1, moved, ctx, signal);
    return withNotes(moved, await this.prompt(outcome.to, outcome.data));
  }

  private async act(stepId: string, data: D, key: ConversationKey, rev: number, notes: string[], ctx: TurnContext, signal?: AbortSignal): Promise<Reply> {
    signal?.throwIfAborted();
    const step = this.opts.flow.steps[stepId] as ActionStep<D, S>;
    return this.apply(await step.run(data, this.opts.services, ctx), key, rev, notes, ctx, signal);
  }

  /** This message lost to another of the same person: say so, and show where the conversation now is. */
  private async lostRace(key: ConversationKey, notes: string[]): Promise<Reply> {
    const now = await this.opts.store.read(key);
    return this.whereWeAre(now.value, [...notes, this.opts.texts.lostRace], true);
  }

  /**
   * The current question again (or the idle greeting), after any notes: nothing changes. With
   * `withEnding`, a conversation that ended shows how (the receipt number) the person may not have seen.
   */
  private async whereWeAre(value: StoredValue | undefined, notes: string[], withEnding = false): Promise<Reply> {
    if (isRunning(value)) {
      const data = this.validData(value);
      if (data !== undefined) return withNotes(notes, await this.prompt(value.stepId, data));
    }
    if (withEnding && value?.ended !== undefined && value.endTexts?.length) {
      return withNotes([...notes, ...value.endTexts], reply([], this.opts.texts.idle.choices));
    }
    return withNotes(notes, this.opts.texts.idle);
  }

  private async prompt(stepId: string, data: D): Promise<Reply> {
    return this.opts.flow.steps[stepId]!.prompt(data, this.opts.services);
  }

  /** Writes only while the channel can still deliver the answer, so a late turn changes nothing. */
  private async write(key: ConversationKey, value: StoredValue, rev: number, signal?: AbortSignal): Promise<boolean> {
    signal?.throwIfAborted();
    return this.opts.store.write(key, value, rev);
  }
}
