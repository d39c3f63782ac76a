import type { mongo } from 'mongoose';

/** The most documents one command carries: far below the 16 MB message limit for these documents. */
const MAX_BATCH = 100;

interface Waiting {
  doc: object;
  settle(err?: unknown): void;
}

/** One document's refusal in an unordered insert, as the error a lone insert would have thrown. */
function refusalOf(writeError: { code?: number; errmsg?: string; err?: { code?: number; errmsg?: string } }) {
  const code = writeError.code ?? writeError.err?.code;
  return Object.assign(new Error(writeError.errmsg ?? writeError.err?.errmsg ?? 'insert refused'), { code });
}

/**
 * Inserts into one collection, several per command when they arrive together. While an insert
 * command is out, the documents that arrive wait and then go as one unordered `insertMany`; a
 * document that arrives alone goes at once. Each caller gets its own document's outcome: a
 * duplicate key refuses only the documents it names (claims and receipt numbers rely on that),
 * and a failure of the whole command fails every caller of that batch.
 *
 * Why: fifty reporters filing at once sent fifty insert commands per collection, each about a
 * millisecond of the service's CPU and of FerretDB's, one after another behind SQLite's single
 * writer; one command of fifty documents costs about as much as two (docs/store.md).
 */
export function batchedInserts(collection: mongo.Collection<never>): (doc: object) => Promise<void> {
  const queue: Waiting[] = [];
  let sending = false;

  async function send(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) {
      try {
        await collection.insertOne(batch[0]!.doc as never);
        batch[0]!.settle();
      } catch (err) {
        batch[0]!.settle(err);
      }
      return;
    }
    try {
      await collection.insertMany(
        batch.map((w) => w.doc as never),
        { ordered: false },
      );
      for (const w of batch) w.settle();
    } catch (err) {
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      if (writeErrors === undefined) {
        for (const w of batch) w.settle(err);
        return;
      }
      const refused = new Map<number, Error>();
      for (const we of (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as {
        index: number;
        code?: number;
        errmsg?: string;
      }[])
        refused.set(we.index, refusalOf(we));
      for (const [i, w] of batch.entries()) w.settle(refused.get(i));
    }
  }

  async function drain(): Promise<void> {
    sending = true;
    try {
      while (queue.length > 0) await send(queue.splice(0, MAX_BATCH));
    } finally {
      sending = false;
    }
  }

  return (doc) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ doc, settle: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!sending) void drain();
    });
}
