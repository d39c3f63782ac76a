import { expect } from 'chai';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';

/** A chat account's link to the partner it reports for: one identity per account, its contact kept. */
describe('chat identities', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;

  before(async () => {
    db = await testDatabase('chat_identity');
    app = await startTestApp(db.connection);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  it('links a new account without a contact, and re-links it to another partner keeping its contact', async () => {
    const now = new Date('2026-12-05T01:00:00Z');
    const first = await app.repos.identities.link('kakao', 'relinker', 'partner-a', now);
    expect(first).to.deep.include({ partnerId: 'partner-a', contact: null });
    await app.repos.identities.setContact('kakao', 'relinker', { name: '김우체', phone: '010-1111-2222' });
    const later = new Date('2026-12-05T02:00:00Z');
    const relinked = await app.repos.identities.link('kakao', 'relinker', 'partner-b', later);
    expect(relinked).to.deep.include({ partnerId: 'partner-b', contact: { name: '김우체', phone: '010-1111-2222' } });
    const stored = await app.repos.identities.find('kakao', 'relinker');
    expect(stored).to.deep.include({ partnerId: 'partner-b', linkedAt: later });
    expect(stored!.contact).to.deep.equal({ name: '김우체', phone: '010-1111-2222' });
  });

  it('keeps one identity when the same account links twice at once', async () => {
    const now = new Date('2026-12-05T03:00:00Z');
    const results = await Promise.all([
      app.repos.identities.link('telegram', 'twice', 'partner-c', now),
      app.repos.identities.link('telegram', 'twice', 'partner-d', now),
    ]);
    expect(results.map((r) => r.partnerId).sort()).to.deep.equal(['partner-c', 'partner-d']);
    const counts = await app.repos.identities.countByPartner();
    expect((counts.get('partner-c') ?? 0) + (counts.get('partner-d') ?? 0)).to.equal(1);
    expect(['partner-c', 'partner-d']).to.include((await app.repos.identities.find('telegram', 'twice'))!.partnerId);
  });
});
