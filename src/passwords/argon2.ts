import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../domain/auth/passwords';

/** Verified against when the username is unknown, so both answers take the same time. */
let dummy: Promise<string> | undefined;

/** argon2id (the library's default) with its recommended memory cost: slow for a guesser on purpose. */
export const argon2Passwords: PasswordHasher = {
  hash: (password) => hash(password),
  async verify(passwordHash, password) {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false; // a malformed stored hash signs nobody in
    }
  },
  dummyHash: () => (dummy ??= hash('not-a-real-password')),
};
