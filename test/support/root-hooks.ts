import { stopSharedServer } from './database';

/** Mocha root hooks: the shared test database server stops once, after every file has run. */
export const mochaHooks = {
  async afterAll(this: unknown) {
    await stopSharedServer();
  },
};
