import { text } from 'node:stream/consumers';
import { z } from 'zod';
import { loadDistrict } from '../domain/district';
import { PASSWORD_RULE } from '../domain/auth/passwords';
import { passwordProblem } from '../domain/auth/password-policy';
import { argon2Passwords } from '../passwords/argon2';
import { CONSOLE_ROLES, type ConsoleUser } from '../domain/auth/console-user';
import { parseCommandArgs, UsageError, type CommandGroup } from './command';

export { USERNAME } from '../domain/auth/user-admin';
import { parseProfile, USER_ADMIN_KO, USERNAME } from '../domain/auth/user-admin';

const addOptions = z.object({
  username: z
    .string({ message: '--username is required' })
    .regex(USERNAME, '--username: 3–32 of a-z 0-9 . _ -, starting with a letter or digit'),
  role: z.enum(CONSOLE_ROLES, { message: `--role must be one of ${CONSOLE_ROLES.join(', ')}` }),
  dong: z.string().trim().min(1).optional(),
  name: z.string().optional(),
  department: z.string().optional(),
  phone: z.string().optional(),
  'password-stdin': z.literal(true, {
    message: '--password-stdin is required (the password is read from standard input)',
  }),
});

const userJson = (u: ConsoleUser, dongName: string | null) => ({
  id: u.id,
  username: u.username,
  role: u.role,
  dong: dongName,
  active: u.active,
  name: u.name ?? null,
  department: u.department ?? null,
  phone: u.phone ?? null,
  lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
});

export const userCommands: CommandGroup = {
  usage: `  user add --username <u> --role <admin|staff|dong> [--dong <name>] [--name <이름>] [--department <부서>] [--phone <전화>] --password-stdin
  user disable <username>
  user list`,
  async run(args, { config, repos, now, stdin }) {
    const { values, positionals } = parseCommandArgs(args, {
      username: { type: 'string' },
      role: { type: 'string' },
      dong: { type: 'string' },
      name: { type: 'string' },
      department: { type: 'string' },
      phone: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    });
    const [command, name] = positionals;
    const district = loadDistrict(config.DISTRICT);
    const dongName = (u: ConsoleUser) => (u.dongCode ? (district.dongByCode(u.dongCode)?.name ?? u.dongCode) : null);

    if (command === 'add') {
      const parsed = addOptions.safeParse(values);
      if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
      const { username, role, dong: dongArg } = parsed.data;
      if ((role === 'dong') !== (dongArg !== undefined))
        throw new UsageError('--dong is required for, and only for, --role dong');
      const dong = dongArg ? district.dongByName(dongArg) : undefined;
      if (dongArg && !dong)
        throw new UsageError(
          `unknown dong "${dongArg}" in ${district.name}; known: ${district.dongs.map((d) => d.name).join(', ')}`,
        );
      const profile = parseProfile(parsed.data);
      if (!profile.ok) throw new UsageError(`--name/--department/--phone: ${USER_ADMIN_KO[profile.code]}`);
      const password = (await (stdin ?? (() => text(process.stdin)))()).replace(/\r?\n$/, '');
      const problem = passwordProblem(password, username);
      if (problem)
        throw new UsageError(
          `the password does not meet the policy (${PASSWORD_RULE.min}–${PASSWORD_RULE.max} characters, not a common or repetitive password, not containing the username): ${problem}`,
        );
      const user = await repos.consoleUsers.create({
        username,
        role,
        dongCode: dong?.code ?? null,
        passwordHash: await argon2Passwords.hash(password),
        active: true,
        createdAt: now?.() ?? new Date(),
        ...profile.value,
      });
      if (!user) throw new UsageError(`the username ${username} is taken`);
      return {
        text: `User created: ${username} (${role}${dong ? `, ${dong.name}` : ''})`,
        json: userJson(user, dongName(user)),
      };
    }
    if (command === 'disable') {
      if (!name) throw new UsageError('user disable needs the username');
      const user = await repos.consoleUsers.disable(name);
      if (!user) throw new UsageError(`no user ${name}`);
      const ended = await repos.sessions.removeForUser(user.id);
      return { text: `Disabled ${name}; ${ended} session(s) ended.`, json: userJson(user, dongName(user)) };
    }
    if (command === 'list') {
      const users = await repos.consoleUsers.list();
      const rows = users.map((u) => userJson(u, dongName(u)));
      return {
        text: rows.length
          ? rows
              .map((u) =>
                `${u.username.padEnd(20)} ${u.role.padEnd(5)} ${u.active ? 'active  ' : 'disabled'} ${(u.dong ?? '').padEnd(6)} ${u.name ?? ''}${u.department ? ` (${u.department})` : ''}  last sign-in ${u.lastSignInAt ?? 'never'}`.trimEnd(),
              )
              .join('\n')
          : 'No users yet.',
        json: rows,
      };
    }
    throw new UsageError(`Usage:\n${userCommands.usage}`);
  },
};
