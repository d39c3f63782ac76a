import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { District } from '../district';
import { PASSWORD_RULE, type PasswordHasher } from './passwords';
import { CONSOLE_ROLES, type ConsoleRole, type ConsoleUser, type ConsoleUserProfile } from './console-user';

export const USERNAME = /^[a-z0-9][a-z0-9._-]{2,31}$/;
/** A one-time password link lives this long: long enough to pass on by phone the same day. */
export const RESET_TTL_MS = 24 * 3_600_000;

/** A one-time password link as stored: only the token's SHA-256. */
export interface PasswordReset {
  tokenHash: string;
  userId: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

/** What user administration needs of the store (src/store/console-user, session, password-reset) and the password hasher. */
export interface UserAdminDeps {
  users: {
    create(user: Omit<ConsoleUser, 'id'>): Promise<ConsoleUser | undefined>;
    byUsername(username: string): Promise<ConsoleUser | undefined>;
    byId(id: string): Promise<ConsoleUser | undefined>;
    update(
      username: string,
      patch: Partial<Pick<ConsoleUser, 'role' | 'dongCode' | 'active' | 'name' | 'department' | 'phone'>>,
    ): Promise<ConsoleUser | undefined>;
    setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  };
  sessions: { removeForUser(userId: string): Promise<number> };
  resets: {
    create(r: PasswordReset): Promise<void>;
    live(tokenHash: string, now: Date): Promise<PasswordReset | undefined>;
    claim(tokenHash: string, now: Date): Promise<boolean>;
  };
  district: District;
  passwords: PasswordHasher;
}

export type UserAdminError =
  | 'bad_name'
  | 'bad_department'
  | 'bad_phone'
  | 'bad_username'
  | 'bad_role'
  | 'dong_needed'
  | 'unknown_dong'
  | 'taken'
  | 'no_user'
  | 'self'
  | 'bad_password'
  | 'link_used';

/** Korean words for each refusal, for the console. */
export const USER_ADMIN_KO: Record<UserAdminError, string> = {
  bad_name: '이름을 2–40자로 입력해 주세요.',
  bad_department: '부서는 60자까지 입력해 주세요.',
  bad_phone: '전화번호는 02-330-1234, 010-1234-5678처럼 입력해 주세요.',
  bad_username: '아이디는 영문 소문자·숫자·. _ - 3–32자로, 영문이나 숫자로 시작해야 합니다.',
  bad_role: '역할을 선택해 주세요.',
  dong_needed: '동 주민센터 사용자는 동을, 그 밖의 사용자는 동 없이 지정해 주세요.',
  unknown_dong: '이 구에 없는 동입니다.',
  taken: '이미 있는 아이디입니다.',
  no_user: '사용자를 찾을 수 없습니다.',
  self: '자기 자신의 역할 변경이나 사용 중지는 다른 관리자가 해야 합니다.',
  bad_password: `비밀번호는 ${PASSWORD_RULE.min}–${PASSWORD_RULE.max}자여야 하고, 두 번 같게 입력해야 합니다.`,
  link_used: '이미 사용했거나 기한이 지난 링크입니다. 관리자에게 새 링크를 요청해 주세요.',
};

type Result<T> = { ok: true; value: T } | { ok: false; code: UserAdminError };
const fail = (code: UserAdminError) => ({ ok: false as const, code });

/** A Korean landline or mobile number, dashes optional (02-330-1234, 010-1234-5678, 0212345678). */
const PHONE = /^0\d{1,2}-?\d{3,4}-?\d{4}$/;

/**
 * The person behind an account as the admin types it: name, department, phone. Each may be blank
 * (accounts made by the CLI start without them; the pages then show the login ID).
 */
export const profileSchema = z.object({
  name: z.union([z.literal(''), z.string().trim().min(2, 'bad_name').max(40, 'bad_name')]),
  department: z.string().trim().max(60, 'bad_department'),
  phone: z.union([z.literal(''), z.string().trim().regex(PHONE, 'bad_phone')]),
});

/** The admin's form fields as a profile, or the first field's refusal. */
export function parseProfile(input: {
  name?: string;
  department?: string;
  phone?: string;
}): Result<ConsoleUserProfile> {
  const parsed = profileSchema.safeParse({
    name: (input.name ?? '').trim(),
    department: input.department ?? '',
    phone: (input.phone ?? '').trim(),
  });
  if (!parsed.success) return fail((parsed.error.issues[0]?.message as UserAdminError | undefined) ?? 'bad_name');
  const { name, department, phone } = parsed.data;
  return { ok: true, value: { name: name || null, department: department || null, phone: phone || null } };
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

function roleAndDong(
  district: District,
  role: string,
  dong: string | undefined,
): Result<{ role: ConsoleRole; dongCode: string | null }> {
  if (!(CONSOLE_ROLES as readonly string[]).includes(role)) return fail('bad_role');
  if ((role === 'dong') !== Boolean(dong)) return fail('dong_needed');
  if (dong && !district.dongByCode(dong)) return fail('unknown_dong');
  return { ok: true, value: { role: role as ConsoleRole, dongCode: dong || null } };
}

/** Issues a one-time password link for a user; only its hash is stored. */
export async function issuePasswordLink(
  deps: UserAdminDeps,
  user: ConsoleUser,
  by: string,
  now: Date,
): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await deps.resets.create({
    tokenHash: tokenHash(token),
    userId: user.id,
    createdBy: by,
    createdAt: now,
    expiresAt: new Date(now.getTime() + RESET_TTL_MS),
  });
  return token;
}

/**
 * Adds a console user with no usable password and returns a one-time link for them to set one,
 * so no password passes through the admin. The unique username index decides between two
 * admins adding the same name at once.
 */
export async function addConsoleUser(
  deps: UserAdminDeps,
  input: { username: string; role: string; dong?: string; name?: string; department?: string; phone?: string },
  by: string,
  now: Date,
): Promise<Result<{ user: ConsoleUser; token: string }>> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) return fail('bad_username');
  const profile = parseProfile(input);
  if (!profile.ok) return profile;
  const rd = roleAndDong(deps.district, input.role, input.dong);
  if (!rd.ok) return rd;
  // a random hash nobody knows the password of: the user signs in only after using the link
  const placeholder = await deps.passwords.hash(randomBytes(32).toString('base64url'));
  const user = await deps.users.create({
    username,
    ...rd.value,
    ...profile.value,
    passwordHash: placeholder,
    active: true,
    createdAt: now,
  });
  if (!user) return fail('taken');
  return { ok: true, value: { user, token: await issuePasswordLink(deps, user, by, now) } };
}

/** Changes role and dong; a changed role ends the user's sessions so the new scope applies at once. */
export async function changeRole(
  deps: UserAdminDeps,
  actor: ConsoleUser,
  username: string,
  role: string,
  dong: string | undefined,
): Promise<Result<ConsoleUser>> {
  if (username === actor.username) return fail('self');
  const rd = roleAndDong(deps.district, role, dong);
  if (!rd.ok) return rd;
  const before = await deps.users.byUsername(username);
  if (!before) return fail('no_user');
  const user = await deps.users.update(username, rd.value);
  if (!user) return fail('no_user');
  if (before.role !== user.role || before.dongCode !== user.dongCode) await deps.sessions.removeForUser(user.id);
  return { ok: true, value: user };
}

/** Changes the person's name, department and phone (anyone's, one's own included: nothing of scope changes). */
export async function setProfile(
  deps: UserAdminDeps,
  username: string,
  input: { name?: string; department?: string; phone?: string },
): Promise<Result<ConsoleUser>> {
  const profile = parseProfile(input);
  if (!profile.ok) return profile;
  const user = await deps.users.update(username, profile.value);
  return user ? { ok: true, value: user } : fail('no_user');
}

/** Disables (and signs out everywhere) or enables a user. */
export async function setActive(
  deps: UserAdminDeps,
  actor: ConsoleUser,
  username: string,
  active: boolean,
): Promise<Result<ConsoleUser>> {
  if (username === actor.username) return fail('self');
  const user = await deps.users.update(username, { active });
  if (!user) return fail('no_user');
  if (!active) await deps.sessions.removeForUser(user.id);
  return { ok: true, value: user };
}

/** The user a live link belongs to (to greet them on the page), or undefined. */
export async function linkOwner(deps: UserAdminDeps, token: string, now: Date): Promise<ConsoleUser | undefined> {
  const reset = await deps.resets.live(tokenHash(token), now);
  return reset ? deps.users.byId(reset.userId) : undefined;
}

/**
 * Sets a password through a one-time link. The claim insert makes the link work once, even if
 * submitted twice at once; every session of the user ends (a reset after a leaked password).
 */
export async function usePasswordLink(
  deps: UserAdminDeps,
  token: string,
  password: string,
  repeat: string,
  now: Date,
): Promise<Result<ConsoleUser>> {
  if (password !== repeat || password.length < PASSWORD_RULE.min || password.length > PASSWORD_RULE.max)
    return fail('bad_password');
  const hash = tokenHash(token);
  const reset = await deps.resets.live(hash, now);
  if (!reset) return fail('link_used');
  const user = await deps.users.byId(reset.userId);
  if (!user) return fail('no_user');
  const passwordHash = await deps.passwords.hash(password);
  if (!(await deps.resets.claim(hash, now))) return fail('link_used');
  await deps.users.setPasswordHash(user.id, passwordHash);
  await deps.sessions.removeForUser(user.id);
  return { ok: true, value: user };
}
