import { userInfo } from 'node:os';
import type { AccessAction } from '../domain/access/access-record';
import type { AdminDeps } from './command';

/** Who runs the CLI, as the access records name them: the operating-system account. */
export const cliActor = () => `cli:${userInfo().username}`;

/** Appends the access record of a CLI command that showed, exported or changed personal data. */
export async function recordCliAccess(
  deps: AdminDeps,
  facts: { action: AccessAction; receiptNos?: string[]; scope?: string; rowCount?: number; detail?: string },
): Promise<void> {
  await deps.repos.accessRecords.append({
    at: deps.now?.() ?? new Date(),
    actor: cliActor(),
    role: 'admin',
    address: 'local',
    channel: 'cli',
    action: facts.action,
    receiptNos: facts.receiptNos ?? [],
    scope: facts.scope ?? '',
    rowCount: facts.rowCount ?? facts.receiptNos?.length ?? 0,
    detail: facts.detail ?? '',
  });
}
