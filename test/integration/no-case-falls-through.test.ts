import { expect } from 'chai';
import mongoose from 'mongoose';
import { runReportWorkflowCommand } from '../../src/cli/report-workflow-commands';
import { defaultCalendar, nextStep, type NextStep } from '../../src/domain/casework/next-step';
import { todayWorklist, type TodayOwner } from '../../src/domain/casework/today';
import { demoRandom } from '../../src/demo/demo-reports';
import { loadDistrict } from '../../src/domain/district';
import type { Report } from '../../src/domain/report/report';
import { applyReportActionTo } from '../../src/domain/workflow/apply-action';
import { ALLOWED_FROM, type ReportActionType } from '../../src/domain/workflow/report-actions';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { kst } from '../support/report-fixtures';

/**
 * No case can fall through: many reports and long random sequences of every kind of action —
 * filed and completed by chat (the flow's own calls), worked in the console's API on two
 * instances (two connections to one database), at the admin CLI, with racing pairs on one case —
 * and after every step each open case has exactly one next step, and when that step is open it is
 * on exactly its owner's today page (the call center's or one dong center's), on no other. The
 * pages are also fetched over HTTP from both instances every so often and at the end.
 *
 * The generator's seed is in every failure message; rerun one with SEQUENCE_SEED=<seed>.
 */
const SEED = Number(process.env.SEQUENCE_SEED ?? 20261205);
// `npm test` runs a shorter sequence (minutes on a 2-core machine); the full measure is
// SEQUENCE_ACTIONS=2000 SEQUENCE_REPORTS=200 npx mocha test/integration/no-case-falls-through.test.ts
const ACTIONS = Number(process.env.SEQUENCE_ACTIONS ?? 400);
const REPORTS = Number(process.env.SEQUENCE_REPORTS ?? 60);
const PAGE_CHECK_EVERY = 250;
/** How often the open copies the pages read are compared with every report's latest state. */
const STORE_CHECK_EVERY = 25;

const district = loadDistrict('seodaemun');
const DONGS = ['홍제3동', '연희동', '신촌동'].map((name) => district.dongByName(name)!);

describe('no case falls through: generated action sequences over two instances', function () {
  this.timeout(60 * 60_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let second: mongoose.Connection;
  let apps: RunningApp[];
  let clock = kst('2026-11-30 08:30'); // a Monday morning
  const config = testConfig({ CONSOLE_SESSION_HOURS: String(24 * 7), CONSOLE_LOGIN_MAX_PER_IP: '100000' });
  const calendar = defaultCalendar(config.TODAY_VISIT_REPORT_BUSINESS_DAYS);
  let partnerId: string;

  before(async () => {
    db = await testDatabase('no_case_falls_through');
    second = await mongoose.createConnection(db.uri, { autoIndex: false, ignoreUndefined: true }).asPromise();
    apps = [
      await startTestApp(db.connection, { config, now: () => clock }),
      await startTestApp(second, { config, now: () => clock }),
    ];
    partnerId = (await apps[0]!.repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock })).id;
    const deps = { config, repos: apps[0]!.repos };
    await addUser(deps, 'staff1', 'staff');
    await addUser(deps, 'staff2', 'staff');
    for (const [i, d] of DONGS.entries()) await addUser(deps, `dong${i}`, 'dong', d.name);
  });
  after(async () => {
    for (const app of apps ?? []) await app.close();
    await second?.close();
    await db?.drop();
  });

  // Bearer tokens per instance and user, renewed when the app clock has moved far on.
  const tokens = new Map<string, { token: string; at: number }>();
  async function client(instance: number, username: string) {
    const key = `${instance}:${username}`;
    const held = tokens.get(key);
    if (!held || clock.getTime() - held.at > 6 * 86_400_000)
      tokens.set(key, { token: await tokenOf(apps[instance]!.baseUrl, username), at: clock.getTime() });
    return apiClient(apps[instance]!.baseUrl, tokens.get(key)!.token);
  }

  it(`keeps every open case on exactly its owner's today page through ${ACTIONS} actions over ${REPORTS} reports (seed ${SEED})`, async () => {
    const rnd = demoRandom(SEED); // mulberry32, so a failing sequence can be replayed
    const filed: Report[] = [];
    const log: string[] = [];
    const fail = (step: number, what: string) =>
      `seed ${SEED}, step ${step}: ${what}\nlast actions:\n${log.slice(-8).join('\n')}`;

    const owners: TodayOwner[] = [
      { kind: 'callcenter' },
      ...DONGS.map((d) => ({ kind: 'dong' as const, dongCode: d.code })),
    ];
    const ownerKey = (o: TodayOwner | NextStep['owner']) => (o.kind === 'dong' ? o.dongCode : 'callcenter');

    /**
     * The invariant, after every step, over every open case as stored (each touched report is
     * re-read after the step; the others did not change): the next step and the pages it is on,
     * as the today routes build them (the dong page reads its dong's cases only).
     */
    function check(step: number, open: Report[]): Report[] {
      const onPages = new Map<string, string[]>();
      for (const owner of owners) {
        const scoped = owner.kind === 'dong' ? open.filter((r) => r.assignedDongCode === owner.dongCode) : open;
        const w = todayWorklist(scoped, owner, clock, calendar);
        for (const line of [...w.urgent, ...w.rest])
          onPages.set(line.report.receiptNo, [...(onPages.get(line.report.receiptNo) ?? []), ownerKey(owner)]);
      }
      for (const r of open) {
        const s = nextStep(r, clock, calendar);
        expect(s, fail(step, `${r.receiptNo} (${r.status}) is open with no next step`)).to.not.equal(undefined);
        const pages = onPages.get(r.receiptNo) ?? [];
        if (s!.state === 'later')
          expect(pages, fail(step, `${r.receiptNo}'s step opens later but is listed`)).to.deep.equal([]);
        else
          expect(
            pages,
            fail(step, `${r.receiptNo} (${r.status}, ${s!.kind}) should be on ${ownerKey(s!.owner)}'s page only`),
          ).to.deep.equal([ownerKey(s!.owner)]);
      }
      return open;
    }

    /**
     * What the pages really read (the open copies, on either instance) holds exactly the open
     * cases, at their latest state: none vanished, none closed still listed.
     */
    async function checkStore(step: number, open: Report[]) {
      const copies = await apps[step % 2]!.repos.reports.openCasework({ kind: 'district', district: district.id });
      const byId = new Map(copies.map((r) => [r.id, r]));
      for (const r of open) {
        const copy = byId.get(r.id);
        expect(copy, fail(step, `${r.receiptNo} (${r.status}) is open but on no list`)).to.not.equal(undefined);
        expect(copy!.status, fail(step, `${r.receiptNo}'s listed copy is behind`)).to.equal(r.status);
      }
      expect(copies.length, fail(step, 'a closed case is still listed')).to.equal(open.length);
    }

    /** The pages themselves, over HTTP on both instances: each owner's counts are the expected ones. */
    async function checkPages(step: number, open: Report[]) {
      for (const owner of owners) {
        const scoped = owner.kind === 'dong' ? open.filter((r) => r.assignedDongCode === owner.dongCode) : open;
        const expected = todayWorklist(scoped, owner, clock, calendar);
        const user = owner.kind === 'dong' ? `dong${DONGS.findIndex((d) => d.code === owner.dongCode)}` : 'staff1';
        for (const instance of [0, 1]) {
          const res = await (await client(instance, user)).get('/console/today.json');
          expect(res.status, fail(step, `today.json for ${user}`)).to.equal(200);
          const got = res.json as { counts: Record<string, number>; html: string };
          expect(got.counts, fail(step, `${ownerKey(owner)}'s page counts on instance ${instance}`)).to.deep.include({
            urgent: expected.urgent.length,
            overdue: expected.overdue,
            ...expected.counts,
          });
          const listed = new Set([...got.html.matchAll(/data-receipt="([^"]+)"/g)].map((m) => m[1]!));
          for (const line of [...expected.urgent.slice(0, 100), ...expected.rest.slice(0, 100)])
            expect(
              listed.has(line.report.receiptNo),
              fail(step, `${line.report.receiptNo} missing from ${ownerKey(owner)}'s page`),
            ).to.equal(true);
        }
      }
    }

    const texts = ['전화 받음, 생활 어려움', '받지 않음', '방문 필요', '문 두드렸으나 응답 없음', '괜찮다고 함'];
    /** One action of the given type, as its natural actor and channel would take it. */
    async function perform(r: Report, type: ReportActionType, instance: number): Promise<string> {
      const dongIndex = DONGS.findIndex((d) => d.code === r.assignedDongCode);
      const staff = () => client(instance, rnd.pick(['staff1', 'staff2']));
      const body = (): Record<string, unknown> => {
        switch (type) {
          case 'consult':
            return {
              type,
              result: rnd.pick(texts),
              callOutcome: rnd.pick(['talked', 'no_answer', 'no_answer', 'refused']),
              ...(rnd.chance(0.1) ? { urgency: rnd.pick(['immediate', 'normal']) } : {}),
            };
          case 'assign':
            return { type, dongCode: rnd.pick(DONGS).code };
          case 'request_visit':
            return { type, reason: '전화 연결 안 됨' };
          case 'visit_result': {
            const reached = rnd.chance(0.6);
            return {
              type,
              reached,
              investigationResult: rnd.pick(texts),
              enteredInSystem: reached,
              crisisLevel: rnd.pick(['high', 'medium', 'low', 'none']),
              followUpNeeded: rnd.chance(0.6),
            };
          }
          case 'follow_up':
            return {
              type,
              dueDate: new Date(clock.getTime() + (1 + rnd.int(20)) * 86_400_000).toISOString().slice(0, 10),
            };
          case 'follow_up_call':
            return { type, outcome: rnd.pick(['talked', 'no_answer', 'no_answer', 'refused', 'needs_link']) };
          case 'set_cadence':
            return { type, cadenceDays: 1 + rnd.int(30), reason: '상태에 따라' };
          case 'set_assignee':
            return { type, assignee: rnd.pick(['staff1', 'staff2', null]) };
          case 'merge_duplicate':
          case 'keep_separate':
            return { type };
          default:
            return { type, reason: '확인 완료' };
        }
      };
      if (type === 'add_details') {
        // the reporter completes an urgent report by chat (the flow's own call)
        const res = await applyReportActionTo(
          { reports: apps[instance]!.repos.reports, district },
          { id: `partner:${partnerId}`, role: 'reporter', ...r.reporter },
          r.id,
          { type, situation: '세부 내용: 며칠째 인기척 없음' },
          clock,
        );
        return `chat add_details → ${res.ok ? 'ok' : res.code}`;
      }
      if ((type === 'assign' || type === 'visit_result') && rnd.chance(0.25)) {
        // the admin CLI's report assign / report visit
        const b = body();
        const args =
          type === 'assign'
            ? ['assign', r.receiptNo, '--dong', DONGS.find((d) => d.code === b.dongCode)!.name]
            : [
                'visit',
                r.receiptNo,
                '--reached',
                b.reached ? 'yes' : 'no',
                '--result',
                String(b.investigationResult),
                '--entered',
                b.enteredInSystem ? 'yes' : 'no',
                '--crisis',
                String(b.crisisLevel),
                '--follow-up',
                b.followUpNeeded ? 'yes' : 'no',
              ];
        try {
          await runReportWorkflowCommand(args, { config, repos: apps[instance]!.repos, now: () => clock });
          return `cli ${args.slice(0, 2).join(' ')} → ok`;
        } catch (err) {
          return `cli ${args.slice(0, 2).join(' ')} → ${(err as Error).message.slice(0, 40)}`;
        }
      }
      const api =
        type === 'visit_result' && dongIndex >= 0 && rnd.chance(0.8)
          ? await client(instance, `dong${dongIndex}`)
          : await staff();
      const res = await api.act(r.receiptNo, body());
      expect([200, 400, 404, 409], `seed ${SEED}: unexpected HTTP ${res.status} ${res.text}`).to.include(res.status);
      return `api@${instance} ${type} → ${res.status}`;
    }

    const TYPES = Object.keys(ALLOWED_FROM) as ReportActionType[];
    let open: Report[] = [];
    /** Every report's latest stored state, re-read after each step that touched it. */
    const latest = new Map<string, Report>();
    for (let step = 1; step <= ACTIONS; step++) {
      const touched: string[] = [];
      // the app clock moves on: minutes mostly, now and then a night or a weekend
      clock = new Date(clock.getTime() + (rnd.chance(0.03) ? (12 + rnd.int(60)) * 3_600_000 : rnd.int(40) * 60_000));
      const fileNow = filed.length < REPORTS && (filed.length < 10 || rnd.chance(REPORTS / (ACTIONS * 0.6)));
      if (fileNow) {
        // filed by chat (what the flow's "접수" calls), on either instance; some at one address (duplicates)
        const dong = rnd.pick(DONGS);
        const address =
          rnd.chance(0.1) && filed.length
            ? filed[rnd.int(filed.length)]!.address.text
            : `서울 서대문구 ${dong.name} ${step}-${rnd.int(50)}`;
        const r = await file(apps[step % 2]!.repos, partnerId, clock, {
          address,
          dong: { code: dong.code, name: dong.name },
          urgency: rnd.pick(['immediate', 'prompt', 'normal', 'normal']),
        });
        filed.push(r);
        touched.push(r.id);
        log.push(`${step} file ${r.receiptNo} ${r.urgency}`);
      } else {
        const target = filed[rnd.int(filed.length)]!;
        const current = latest.get(target.id)!;
        touched.push(target.id);
        const allowed = TYPES.filter((t) => ALLOWED_FROM[t].includes(current.status));
        const type = allowed.length && rnd.chance(0.9) ? rnd.pick(allowed) : rnd.pick(TYPES);
        if (rnd.chance(0.05)) {
          // two people on one case at once, one on each instance
          const other = rnd.pick(allowed.length ? allowed : TYPES);
          const done = await Promise.all([perform(current, type, 0), perform(current, other, 1)]);
          log.push(`${step} ${current.receiptNo} (${current.status}) race: ${done.join(' | ')}`);
        } else {
          log.push(`${step} ${current.receiptNo} (${current.status}) ${await perform(current, type, step % 2)}`);
        }
      }
      for (const id of touched) latest.set(id, (await apps[step % 2]!.repos.reports.current(id))!);
      open = check(
        step,
        [...latest.values()].filter((r) => r.status !== 'closed'),
      );
      if (step % STORE_CHECK_EVERY === 0) await checkStore(step, open);
      if (step % PAGE_CHECK_EVERY === 0) await checkPages(step, open);
      if (process.env.SEQUENCE_PROGRESS && step % 100 === 0)
        process.stderr.write(`step ${step}: ${filed.length} reports, ${open.length} open\n`);
    }
    await checkStore(ACTIONS, open);
    await checkPages(ACTIONS, open);
    expect(filed.length, `seed ${SEED}`).to.equal(REPORTS);
    // the sequence reached every state, so the invariant was tried on each
    const statuses = new Set(
      (await Promise.all(filed.map((r) => apps[0]!.repos.reports.current(r.id)))).map((r) => r!.status),
    );
    expect([...statuses], `seed ${SEED}`).to.include.members(['received', 'visit_requested', 'follow_up', 'closed']);
  });
});
