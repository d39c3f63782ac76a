import { hash, verify } from '@node-rs/argon2';

/** argon2id (the library's default) with its recommended memory cost: slow for a guesser on purpose. */
export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash signs nobody in
  }
}

/** Verified against when the username is unknown, so both answers take the same time. */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hash('not-a-real-password'));

export const PASSWORD_RULE = { min: 10, max: 200 } as const;
