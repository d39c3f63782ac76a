import type { CommandGroup } from './command';
import { partnerCommands } from './partner-commands';
import { reportCommands } from './report-commands';
import { userCommands } from './user-commands';
import { dongCommands } from './dong-commands';
import { summaryCommands } from './summary-commands';
import { telegramCommands } from './telegram-commands';
import { importCommands } from './import-commands';
import { alertCommands } from './alert-commands';
import { accessCommands } from './access-commands';
import { demoCommands } from './demo-commands';
import { retentionCommands } from './retention-commands';
import { backupCommands, restoreCommands } from './backup-commands';

/** The admin CLI's command groups; a new group is one file and one line here. */
export const COMMAND_GROUPS: Record<string, CommandGroup> = {
  partner: partnerCommands,
  report: reportCommands,
  user: userCommands,
  dong: dongCommands,
  summary: summaryCommands,
  telegram: telegramCommands,
  import: importCommands,
  alerts: alertCommands,
  access: accessCommands,
  demo: demoCommands,
  retention: retentionCommands,
  backup: backupCommands,
  restore: restoreCommands,
};

export const usage = () =>
  `Usage: npm run admin -- <group> <command> [options] [--json]\n${Object.values(COMMAND_GROUPS)
    .map((g) => g.usage)
    .join('\n')}`;
