/** The console's roles: admin runs the system, staff is the call center, dong a dong center. */
export const CONSOLE_ROLES = ['admin', 'staff', 'dong'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** A console account. The password is only ever stored as an argon2id hash. */
export interface ConsoleUser {
  id: string;
  username: string;
  role: ConsoleRole;
  /** Set for (and only for) a dong user: the one dong center it works for. */
  dongCode: string | null;
  passwordHash: string;
  active: boolean;
  createdAt: Date;
}
