import { expect } from 'chai';
import mongoose from 'mongoose';
import { reporterNewsRepository } from '../../src/store/reporter-news/reporter-news';
import { testDatabase } from '../support/database';

/**
 * Every chat turn asks whether news wait in the reporter's chat (src/delivery/news-in-chat.ts).
 * The answer must be exact across instances — a mark another instance's sweep set is seen at the
 * reporter's next message, a cleared one is not shown again — while fifty reporters typing at once
 * must not cost fifty database reads.
 */
describe('news waiting in a chat, asked on every turn', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let sweeper: ReturnType<typeof reporterNewsRepository>;
  let chat: ReturnType<typeof reporterNewsRepository>;
  let chatConnection: mongoose.Connection;
  const commands: { collection: string; filter: unknown }[] = [];
  const now = new Date('2026-12-10T02:00:00Z');

  before(async () => {
    db = await testDatabase('news_waiting');
    sweeper = reporterNewsRepository(db.connection);
    await sweeper.ensureIndexes();
    chatConnection = await mongoose
      .createConnection(db.uri, { autoIndex: false, ignoreUndefined: true, monitorCommands: true })
      .asPromise();
    chatConnection.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'find') commands.push({ collection: e.command.find, filter: e.command.filter });
    });
    chat = reporterNewsRepository(chatConnection);
  });
  after(async () => {
    await chatConnection.close();
    await db.drop();
  });

  it("sees another instance's mark at the next question, and not after it was cleared", async () => {
    expect(await chat.isWaiting('kakao', 'worker-1')).to.equal(false);
    await sweeper.markWaiting('kakao', 'worker-1', now);
    expect(await chat.isWaiting('kakao', 'worker-1')).to.equal(true);
    expect(await chat.isWaiting('kakao', 'worker-2'), 'another chat').to.equal(false);
    expect(await chat.isWaiting('telegram', 'worker-1'), 'the same id on another channel').to.equal(false);
    await sweeper.clearWaiting('kakao', 'worker-1');
    expect(await chat.isWaiting('kakao', 'worker-1')).to.equal(false);
    await sweeper.markWaiting('kakao', 'worker-1', now); // news again
    expect(await chat.isWaiting('kakao', 'worker-1')).to.equal(true);
  });

  it('answers fifty chats asking at once with a few reads, each as exact as alone', async () => {
    await sweeper.markWaiting('kakao', 'worker-7', now);
    await chat.isWaiting('kakao', 'warm'); // the instance has read the marks since the last one
    commands.length = 0;
    const users = Array.from({ length: 50 }, (_, i) => `worker-${i}`);
    const answers = await Promise.all(users.map((u) => chat.isWaiting('kakao', u)));
    expect(users.filter((_, i) => answers[i])).to.deep.equal(['worker-1', 'worker-7']);
    expect(commands.length, JSON.stringify(commands)).to.be.at.most(10);
    const markReads = commands.filter((c) => c.collection === 'reporter_news_marks');
    expect(markReads, 'only the two waiting chats read their mark').to.have.length(2);
  });

  it('never misses a mark set before the question began, with questions and marks racing', async () => {
    const marked = Array.from({ length: 12 }, (_, i) => `racer-${i}`);
    await Promise.all(
      marked.map(async (u, i) => {
        // a question under way while the mark lands may or may not see it; one after must
        const during = Promise.all([chat.isWaiting('kakao', `idle-${i}`), chat.isWaiting('kakao', u)]);
        await sweeper.markWaiting('kakao', u, now);
        await during;
        expect(await chat.isWaiting('kakao', u), u).to.equal(true);
      }),
    );
  });
});
