/**
 * How console passwords are hashed and checked: a port the sign-in and the user administration
 * take in their deps (argon2id in src/passwords/argon2.ts), so the domain does not load the hasher.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a malformed stored hash (it signs nobody in). */
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** A hash to verify against when the username is unknown, so both answers take the same time. */
  dummyHash(): Promise<string>;
}

export const PASSWORD_RULE = { min: 10, max: 200 } as const;
