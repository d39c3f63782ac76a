import { expect } from 'chai';
import mongoose from 'mongoose';
import { batchedInserts } from '../../src/store/batched-inserts';
import { isDuplicateKey } from '../../src/store/duplicate-key';
import { testDatabase } from '../support/database';

/**
 * Inserts that arrive together share commands (fifty filings at once), and each caller still learns
 * its own document's fate: claims and receipt numbers are decided by which insert a unique index refused.
 */
describe('inserts made together', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let monitored: mongoose.Connection;
  const inserts: number[] = [];

  before(async () => {
    db = await testDatabase('batched_inserts');
    monitored = await mongoose
      .createConnection(db.uri, { autoIndex: false, ignoreUndefined: true, monitorCommands: true })
      .asPromise();
    monitored.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'insert') inserts.push((e.command.documents as unknown[]).length);
    });
  });
  after(async () => {
    await monitored.close();
    await db.drop();
  });

  it('stores fifty documents sent at once in a few commands, every one of them', async () => {
    const insert = batchedInserts(monitored.collection('batched_all') as never);
    inserts.length = 0;
    await Promise.all(Array.from({ length: 50 }, (_, i) => insert({ _id: `doc-${i}`, n: i })));
    const stored = await db.connection.collection('batched_all').find({}).toArray();
    expect(stored.map((d) => d.n).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(inserts.reduce((a, b) => a + b, 0)).to.equal(50);
    expect(inserts.length, `documents per command: ${inserts.join(', ')}`).to.be.at.most(5);
  });

  it('refuses only the duplicates of a batch, each to its own caller, and exactly one of two racing the same id', async () => {
    const collection = monitored.collection('batched_claims');
    await collection.insertOne({ _id: 'taken' as never, by: 'earlier' });
    const insert = batchedInserts(collection as never);
    const attempts = [
      { _id: 'first', by: 'a' },
      { _id: 'taken', by: 'b' },
      { _id: 'twice', by: 'c' },
      { _id: 'twice', by: 'd' },
      { _id: 'last', by: 'e' },
    ];
    const outcomes = await Promise.all(
      attempts.map((doc) =>
        insert(doc).then(
          () => 'stored',
          (err: unknown) => (isDuplicateKey(err) ? 'refused' : `failed: ${(err as Error).message}`),
        ),
      ),
    );
    expect(outcomes[0]).to.equal('stored');
    expect(outcomes[1]).to.equal('refused');
    expect([outcomes[2], outcomes[3]].sort()).to.deep.equal(['refused', 'stored']);
    expect(outcomes[4]).to.equal('stored');
    const stored = await db.connection.collection('batched_claims').find({}).toArray();
    const byId = new Map(stored.map((d) => [String(d._id), d.by]));
    expect(byId.get('taken')).to.equal('earlier');
    expect(byId.get('twice')).to.equal(outcomes[2] === 'stored' ? 'c' : 'd');
    expect(stored).to.have.length(4);
  });
});
