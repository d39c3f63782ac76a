import { expect } from 'chai';
import mongoose from 'mongoose';
import { batchedReads } from '../../src/store/batched-reads';
import { testDatabase } from '../support/database';

/** Reads by `_id` that arrive together (fifty filings reading their partner and lists) share commands, each caller its own answer. */
describe('reads by id made together', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let monitored: mongoose.Connection;
  const finds: unknown[] = [];

  before(async () => {
    db = await testDatabase('batched_reads');
    monitored = await mongoose
      .createConnection(db.uri, { autoIndex: false, ignoreUndefined: true, monitorCommands: true })
      .asPromise();
    monitored.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'find') finds.push(e.command.filter);
    });
  });
  after(async () => {
    await monitored.close();
    await db.drop();
  });

  it('answers fifty callers in a few reads: each its own document or null, a change by one never seen by another', async () => {
    const collection = db.connection.collection<{ _id: string; refs: string[] }>('batched_lists');
    await collection.insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: `r-${i}`, refs: [`receipt-${i}`] })));
    const read = batchedReads(monitored.collection<{ _id: string; refs: string[] }>('batched_lists'));
    finds.length = 0;
    const asked = Array.from({ length: 50 }, (_, i) => (i < 45 ? `r-${i % 40}` : `missing-${i}`));
    const answers = await Promise.all(asked.map((id) => read(id)));
    for (const [i, id] of asked.entries()) {
      if (id.startsWith('missing')) expect(answers[i]).to.equal(null);
      else expect(answers[i]).to.deep.equal({ _id: id, refs: [`receipt-${id.slice(2)}`] });
    }
    expect(finds.length, 'reads sent').to.be.at.most(5);
    answers[0]!.refs.push('changed by one caller');
    expect(answers[40]!.refs, 'the same list asked twice').to.deep.equal(['receipt-0']);
  });

  it('reads a change made before the call, never an answer from a read already under way', async () => {
    const collection = db.connection.collection<{ _id: string; n: number }>('batched_fresh');
    await collection.insertOne({ _id: 'one', n: 1 });
    const read = batchedReads(monitored.collection<{ _id: string; n: number }>('batched_fresh'));
    const first = read('one');
    await collection.updateOne({ _id: 'one' }, { $set: { n: 2 } });
    const second = read('one');
    expect((await first)?.n).to.be.oneOf([1, 2]);
    expect((await second)?.n).to.equal(2);
  });

  it('reads ObjectId keys through the id given', async () => {
    const collection = db.connection.collection('batched_oids');
    const ids = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];
    await collection.insertMany(ids.map((_id, i) => ({ _id, name: `기관${i}` })));
    const read = batchedReads(
      monitored.collection<{ _id: unknown; name: string }>('batched_oids'),
      (id: string) => new mongoose.Types.ObjectId(id),
    );
    const [a, b] = await Promise.all(ids.map((id) => read(id.toHexString())));
    expect([a?.name, b?.name]).to.deep.equal(['기관0', '기관1']);
    expect(String(a?._id)).to.equal(ids[0]!.toHexString());
  });
});
