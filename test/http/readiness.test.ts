import { expect } from 'chai';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';

describe('/healthz (alive) and /readyz (can serve)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;

  before(async () => {
    db = await testDatabase('readiness');
    app = await startTestApp(db.connection);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  it('is not ready while a background job has not passed within its allowance, ready once it has, and not ready while shutting down — alive throughout', async () => {
    const ready = async () => {
      const res = await fetch(`${app.baseUrl}/readyz`);
      return {
        status: res.status,
        body: (await res.json()) as { ready: boolean; draining: boolean; jobs: Record<string, { ok: boolean }> },
      };
    };
    expect((await ready()).status).to.equal(200);

    app.health.expect('alert-sweep', -1); // an allowance already spent: the sweep is stuck
    const stuck = await ready();
    expect(stuck.status).to.equal(503);
    expect(stuck.body.jobs['alert-sweep']).to.deep.include({ ok: false });

    app.health.expect('alert-sweep', 3_600_000);
    app.health.beat('alert-sweep');
    expect((await ready()).body).to.deep.include({ ready: true });

    app.health.drain();
    const draining = await ready();
    expect(draining.status).to.equal(503);
    expect(draining.body).to.deep.include({ ready: false, draining: true });
    expect((await fetch(`${app.baseUrl}/healthz`)).status).to.equal(200);
  });
});
