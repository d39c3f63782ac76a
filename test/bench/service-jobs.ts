import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RunningApp } from '../support/app';
import { percentile } from './stats';

/**
 * What the benchmark needs to measure the service as it runs: the today pages polling the way an
 * open page does (src/console/static/today.js, every 15 s), and FerretDB's own CPU time.
 */

export interface TodayTimes {
  count: number;
  failed: number;
  p50: number;
  p99: number;
}

const summarizeToday = (times: number[], failed: number): TodayTimes => {
  const sorted = [...times].sort((a, b) => a - b);
  return { count: sorted.length, failed, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

async function fetchToday(app: RunningApp, cookie: string): Promise<{ ms: number; ok: boolean }> {
  const t0 = performance.now();
  const res = await fetch(`${app.baseUrl}/console/today.json`, { headers: { cookie, accept: 'application/json' } });
  await res.text();
  return { ms: performance.now() - t0, ok: res.status === 200 };
}

/** `requests` sequential refreshes of each signed-in today page (call center and a dong). */
export async function runToday(app: RunningApp, cookies: string[], requests: number): Promise<TodayTimes> {
  const times: number[] = [];
  let failed = 0;
  for (let i = 0; i < requests; i++) {
    for (const cookie of cookies) {
      const r = await fetchToday(app, cookie);
      times.push(r.ms);
      if (!r.ok) failed++;
    }
  }
  return summarizeToday(times, failed);
}

/**
 * Open today pages refreshing themselves every `seconds` (one per ten staff: the call center's and
 * a dong's), staggered, until stopped; `stop` returns their refresh times.
 */
export function startTodayPollers(app: RunningApp, cookies: string[], seconds = 15): { stop(): Promise<TodayTimes> } {
  const times: number[] = [];
  let failed = 0;
  let running = true;
  const inFlight = new Set<Promise<void>>();
  const timers = cookies.map((cookie, i) => {
    const poll = () => {
      if (!running) return;
      const p = fetchToday(app, cookie)
        .then((r) => {
          times.push(r.ms);
          if (!r.ok) failed++;
        })
        .catch(() => {
          failed++;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    return setTimeout(
      function tick() {
        poll();
        timers[i] = setTimeout(tick, seconds * 1000);
      },
      ((i + 1) * seconds * 1000) / (cookies.length + 1),
    );
  });
  return {
    async stop() {
      running = false;
      for (const t of timers) clearTimeout(t);
      await Promise.all(inFlight);
      return summarizeToday(times, failed);
    },
  };
}

/** CPU seconds (user + system) used so far by this process's FerretDB children; null when external. */
export function databaseCpuSeconds(): number | null {
  let pids: string[];
  try {
    pids = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([, comm]) => comm?.startsWith('ferretdb'))
      .map(([pid]) => pid!);
  } catch {
    return null;
  }
  if (pids.length === 0) return null;
  // /proc/<pid>/stat fields 14 and 15 (utime, stime) in clock ticks; Linux uses 100 per second
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

/** FerretDB's CPU over `windowMs` with no requests: core-seconds per minute (60 = one core busy). */
export async function idleDatabaseCpu(windowMs: number): Promise<number | null> {
  const before = databaseCpuSeconds();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const after = databaseCpuSeconds();
  if (before === null || after === null) return null;
  return ((after - before) / ((performance.now() - t0) / 1000)) * 60;
}
