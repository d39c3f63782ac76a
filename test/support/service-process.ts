import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The real service (`src/main.ts`) as its own process, with its JSON log lines as they come. */
export function startService(env: Record<string, string>): {
  child: ChildProcess;
  lines: { msg?: string }[];
  waitFor(msg: string): Promise<void>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: { msg?: string }[] = [];
  const waiters: { msg: string; resolve: () => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let entry: { msg?: string };
    try {
      entry = JSON.parse(line) as { msg?: string };
    } catch {
      return;
    }
    lines.push(entry);
    for (const w of waiters.filter((x) => entry.msg?.startsWith(x.msg))) w.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor: (msg) =>
      lines.some((l) => l.msg?.startsWith(msg))
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ msg, resolve });
            void exited.then((code) => reject(new Error(`the service exited (${code}) before logging "${msg}"`)));
          }),
  };
}
