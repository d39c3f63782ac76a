import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import type { Repositories } from '../ports';

export class UsageError extends Error {}

export interface CommandOutput {
  text: string;
  json: unknown;
}

export interface AdminDeps {
  config: Config;
  repos: Repositories;
  /** The database itself, for the commands that copy it whole (backup, restore). */
  connection?: Connection;
  now?: () => Date;
  /** Reads standard input to its end (passwords never go in arguments); tests pass their own. */
  stdin?: () => Promise<string>;
}

/** One command group of the admin CLI (partner, report, …): it parses its own arguments. */
export interface CommandGroup {
  usage: string;
  run(args: string[], deps: AdminDeps): Promise<CommandOutput>;
}

/** parseArgs with the options every command shares; unknown options are a usage error. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
