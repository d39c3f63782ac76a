/**
 * True when MongoDB (or FerretDB) refused a write because a unique index already holds the key.
 * Sagak's exactly-once mechanisms are inserts guarded by unique indexes, so this is how a loser learns it lost.
 */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number } | null)?.code === 11000;

/**
 * `updateOne(…, {upsert: true})` by `_id`. Two racing upserts of a missing document can both try
 * the insert; the loser's duplicate-key error means the document now exists, so it updates it.
 */
export async function upsertById(
  model: { updateOne(filter: object, update: object, options?: object): PromiseLike<unknown> },
  id: string,
  set: Record<string, unknown>,
): Promise<void> {
  try {
    await model.updateOne({ _id: id }, { $set: set }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await model.updateOne({ _id: id }, { $set: set });
  }
}

/**
 * `upsertById` for a caller that has just read the document by `_id`: a document that was not
 * there is inserted (on FerretDB 1.24 an insert is cheap, while any update decodes every document
 * of the collection), and one that was there, or that a racing writer inserted first, is updated.
 * `insert`: how the new document goes in (a batched insert, src/store/batched-inserts.ts).
 */
export async function saveById(
  model: {
    updateOne(filter: object, update: object, options?: object): PromiseLike<unknown>;
    collection: { insertOne(doc: never): PromiseLike<unknown> };
  },
  id: string,
  set: Record<string, unknown>,
  existed: boolean,
  insert: (doc: object) => PromiseLike<unknown> = (doc) => model.collection.insertOne(doc as never),
): Promise<void> {
  if (!existed) {
    try {
      await insert({ _id: id, ...set });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  await upsertById(model, id, set);
}
