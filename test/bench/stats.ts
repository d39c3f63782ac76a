import { execFileSync } from 'node:child_process';

/** Small helpers the benchmarks share: percentiles, summaries and memory readings. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(latenciesMs: number[], wallMs: number) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    perSecond: (sorted.length / wallMs) * 1000,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}
export type Summary = ReturnType<typeof summarize>;

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** Samples this process's RSS every 25 ms; `stop` returns the peak. */
export function memorySampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

export interface MemoryReading {
  /** The bench process: the service, its HTTP clients and the driver. */
  rss: number;
  heapUsed: number;
  /** The FerretDB processes this one started (0 when the database is external). */
  databaseRss: number;
}

/** This process's RSS and heap, and the resident size of the FerretDB child processes. */
export function memoryNow(): MemoryReading {
  const { rss, heapUsed } = process.memoryUsage();
  let databaseRss = 0;
  try {
    const out = execFileSync('ps', ['-o', 'rss=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    for (const line of out.split('\n')) {
      const [kb, comm] = line.trim().split(/\s+/);
      if (comm?.startsWith('ferretdb')) databaseRss += Number(kb) * 1024;
    }
  } catch {
    // no children (an external database): nothing to add
  }
  return { rss, heapUsed, databaseRss };
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const ms = (v: number) =>
  Number.isNaN(v) ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`;
