import express from 'express';
import type { Server } from 'node:http';
import type mongoose from 'mongoose';
import { Schema } from 'mongoose';
import type { RunningApp } from '../support/app';
import { KakaoUser } from '../support/kakao-client';
import { concurrently, timedReport, tryAgains } from './channel-report';
import { median, summarize, type Summary } from './stats';
import { storedCount } from '../../src/store/report/inspect';

/**
 * Chat figures through the real Kakao skill endpoint (/kakao/skill over HTTP): many reporters
 * filing at once, one reporter alone (a filing's time and 조회), and the floor any stateful turn
 * stands on — a bare Express endpoint doing one read and one write on the same database.
 */

/** The floor: one read and one write on the same database over HTTP. */
export async function startBaseline(conn: mongoose.Connection): Promise<{ url: string; close(): void }> {
  const Model =
    conn.models.BenchBaseline ??
    conn.model('BenchBaseline', new Schema({ _id: String, n: Number }, { versionKey: false }), 'bench_baseline');
  const app = express();
  app.post('/baseline', express.json(), async (req, res) => {
    const id = String((req.body as { user?: string }).user);
    const doc = await Model.findById(id).lean<{ n?: number }>();
    await Model.updateOne({ _id: id }, { $set: { n: (doc?.n ?? 0) + 1 } }, { upsert: true });
    res.json({ ok: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
}

/** As many requests as the filings make (14 per reporter), `users` at a time. */
export async function runBaseline(url: string, users: number, turnsPerUser = 14): Promise<Summary> {
  const latencies: number[] = [];
  const run = await concurrently(users, async (u) => {
    for (let i = 0; i < turnsPerUser; i++) {
      const t = performance.now();
      const res = await fetch(`${url}/baseline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: `b${u}` }),
      });
      await res.json();
      latencies.push(performance.now() - t);
    }
  });
  return summarize(latencies, run.wallMs);
}

export interface ChatRun {
  reporters: number;
  /** Filings that did not reach a receipt (their replies are printed on stderr). */
  astray: number;
  /** Reports stored by this run, counted in the database. */
  stored: number;
  turns: Summary;
  /** Each reporter's whole filing (14 turns), first message to receipt, under this load. */
  filingP50: number;
  filingMax: number;
  tryAgains: number;
  peakRss: number;
}

/** A user who does not retry by itself: the bench retries a "try again" turn and counts it. */
function benchUser(baseUrl: string, id: string): KakaoUser {
  const user = new KakaoUser(baseUrl, id);
  user.patient = false;
  return user;
}

/** `reporters` different users each file a full report at the same time; fails unless all are stored. */
export async function runChat(
  app: RunningApp,
  invite: string,
  partnerId: string,
  reporters: number,
  tag: string,
): Promise<ChatRun> {
  const before = await storedOf(app, partnerId);
  const latencies: number[] = [];
  tryAgains.count = 0;
  // A filing that goes astray is reported (with the replies that led there) and counted, not hidden.
  const astray: string[] = [];
  const run = await concurrently(reporters, (i) =>
    timedReport(benchUser(app.baseUrl, `bench-${tag}-${reporters}-${i}`), invite, latencies).catch((err: unknown) => {
      astray.push((err as Error).message);
      return undefined;
    }),
  );
  for (const why of astray) process.stderr.write(`filing astray (${tag}, ${reporters} reporters): ${why}\n`);
  const filings = (run.results as (number | undefined)[]).filter((f): f is number => f !== undefined);
  const stored = (await storedOf(app, partnerId)) - before;
  if (stored < filings.length)
    throw new Error(`${filings.length} filings answered a receipt, ${stored} reports stored`);
  return {
    reporters,
    astray: astray.length,
    stored,
    turns: summarize(latencies, run.wallMs),
    filingP50: median(filings),
    filingMax: Math.max(...filings),
    tryAgains: tryAgains.count,
    peakRss: run.peakRss,
  };
}

export interface SoloRun {
  /** One reporter alone, nothing else running: a full filing's time (median of the tries). */
  filing: number;
  /** `조회` (the reporter's latest reports), median. */
  lookup: number;
}

/** A full filing by one reporter alone, `tries` times, each followed by `조회`. */
export async function runSolo(app: RunningApp, invite: string, tries: number, tag: string): Promise<SoloRun> {
  const filings: number[] = [];
  const lookups: number[] = [];
  for (let i = 0; i < tries; i++) {
    const user = benchUser(app.baseUrl, `bench-${tag}-solo-${i}`);
    filings.push(await timedReport(user, invite, []));
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())![1]!;
    const t = performance.now();
    await user.say('조회');
    lookups.push(performance.now() - t);
    if (!user.text().includes(receipt)) throw new Error(`조회 did not list ${receipt}: ${user.text().slice(0, 80)}`);
  }
  return { filing: median(filings), lookup: median(lookups) };
}

/** A scan of the working set (seconds on FerretDB at 100,000 reports), so with a batch read's timeout, not the 20 s socket timeout. */
async function storedOf(app: RunningApp, partnerId: string): Promise<number> {
  return storedCount(app.connection, 'working', { 'partner.id': partnerId, 'reporter.channel': 'kakao' });
}
