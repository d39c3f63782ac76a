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
  /** The person's name as colleagues know it (홍길동): shown in history and worklists instead of the login ID. */
  name?: string | null;
  /** 부서·팀 (복지정책과 통합콜센터, 연희동 주민센터 맞춤형복지팀). */
  department?: string | null;
  /** A work phone colleagues may call back on. */
  phone?: string | null;
  /** The last successful sign-in (set by sign-in; listed on the users page). */
  lastSignInAt?: Date | null;
}

/** What an admin keeps about the person behind an account (the management pages' user form). */
export type ConsoleUserProfile = Pick<ConsoleUser, 'name' | 'department' | 'phone'>;
