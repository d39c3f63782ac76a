import { expect } from 'chai';
import { deliveryClaims } from '../../src/store/delivery/delivery-claim';
import { testDatabase } from '../support/database';

describe('delivery claims on FerretDB', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let claims: ReturnType<typeof deliveryClaims>;

  before(async () => {
    db = await testDatabase('delivery_claims');
    claims = deliveryClaims(db.connection);
    await claims.model.createIndexes();
  });
  after(async () => {
    await db.drop();
  });

  it('lets exactly one of 20 simultaneous deliveries of a message through', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => claims.claim('web', 'user-1:msg-1', new Date())));
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await claims.claim('web', 'user-1:msg-2', new Date())).to.equal(true);
    expect(await claims.claim('kakao', 'user-1:msg-1', new Date())).to.equal(true); // channels do not collide
  });

  it('takes a released claim again, and purges only old claims', async () => {
    expect(await claims.claim('web', 'user-2:msg-1', new Date())).to.equal(true);
    await claims.release('web', 'user-2:msg-1');
    expect(await claims.claim('web', 'user-2:msg-1', new Date())).to.equal(true);

    await claims.claim('web', 'user-2:old', new Date('2026-01-01T00:00:00Z'));
    expect(await claims.purge(new Date('2026-01-02T00:00:00Z'))).to.equal(1);
    expect(await claims.claim('web', 'user-2:old', new Date())).to.equal(true);
    expect(await claims.claim('web', 'user-2:msg-1', new Date())).to.equal(false);
  });
});
