import { expect } from 'chai';
import { deliveryClaimRepository } from '../../src/store/inbound-claim/delivery-claim';
import { testDatabase } from '../support/database';

describe('delivery claims (exactly-once guard for platform redeliveries)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let claims: ReturnType<typeof deliveryClaimRepository>;

  before(async () => {
    db = await testDatabase('delivery_claims');
    // a fixed clock: the cut-off test below purges by date, whatever day the machine says it is
    claims = deliveryClaimRepository(db.connection, () => new Date('2026-06-01T00:00:00Z'));
    await claims.ensureIndexes();
  });
  after(() => db.drop());

  it('grants one of 20 simultaneous claims of the same delivery, and each different delivery once', async () => {
    const same = await Promise.all(Array.from({ length: 20 }, () => claims.claim('slack:event:Ev-race')));
    expect(same.filter(Boolean)).to.have.length(1);
    const different = await Promise.all(Array.from({ length: 20 }, (_, i) => claims.claim(`telegram:1:${i}`)));
    expect(different.every(Boolean)).to.equal(true);
    expect(await claims.claim('telegram:1:3')).to.equal(false);
  });

  it('forgets claims older than the cut-off, so the collection does not grow forever', async () => {
    const old = deliveryClaimRepository(db.connection, () => new Date('2026-01-01T00:00:00Z'));
    expect(await old.claim('slack:event:Ev-old')).to.equal(true);
    expect(await claims.purge(new Date('2026-01-02T00:00:00Z'))).to.equal(1);
    expect(await claims.claim('slack:event:Ev-old')).to.equal(true);
    expect(await claims.claim('slack:event:Ev-race')).to.equal(false);
  });

  it("takes a released claim again (a failed turn frees its message for the client's retry)", async () => {
    expect(await claims.claim('web:user-2:msg-1')).to.equal(true);
    await claims.release('web:user-2:msg-1');
    expect(await claims.claim('web:user-2:msg-1')).to.equal(true);
    expect(await claims.claim('web:user-2:msg-1')).to.equal(false);
  });
});
