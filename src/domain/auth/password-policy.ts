import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PASSWORD_RULE } from './passwords';

/**
 * The password policy, stated once: 10–200 characters, not a password from the breach lists
 * (data/auth/common-passwords.txt), not one character repeated, not a keyboard or digit run,
 * not the username inside it. Checked when an admin creates a user and when a user changes theirs.
 */
export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'repetitive' | 'contains_username';

export const PASSWORD_PROBLEM_KO: Record<PasswordProblem, string> = {
  too_short: `비밀번호는 ${PASSWORD_RULE.min}자 이상이어야 합니다.`,
  too_long: `비밀번호는 ${PASSWORD_RULE.max}자 이하여야 합니다.`,
  common: '널리 알려진 비밀번호입니다. 다른 비밀번호를 정해 주세요.',
  repetitive: '같은 글자나 키보드 순서를 되풀이한 비밀번호는 쓸 수 없습니다.',
  contains_username: '아이디가 들어간 비밀번호는 쓸 수 없습니다.',
};

export const PASSWORD_POLICY_KO = `${PASSWORD_RULE.min}자 이상, 널리 알려진 비밀번호·같은 글자 반복·키보드 순서·아이디 포함은 안 됩니다.`;

const LIST_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../../data/auth/common-passwords.txt');
let common: Set<string> | undefined;
const commonPasswords = () =>
  (common ??= new Set(
    readFileSync(LIST_FILE, 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l && !l.startsWith('#')),
  ));

const RUNS = [
  '0123456789012345678901234567890',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm',
];
function isRun(p: string): boolean {
  const lower = p.toLowerCase();
  if (lower.length < 6) return false;
  return RUNS.some((r) => r.includes(lower) || [...r].reverse().join('').includes(lower));
}

export function passwordProblem(password: string, username?: string): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < PASSWORD_RULE.min) return 'too_short';
  if (length > PASSWORD_RULE.max) return 'too_long';
  if (commonPasswords().has(password.toLowerCase())) return 'common';
  if (new Set(password).size <= 2 || isRun(password)) return 'repetitive';
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()))
    return 'contains_username';
  return undefined;
}
