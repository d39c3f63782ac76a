import type { Report } from '../../domain/report/report';
import type { FileResult } from '../../domain/report/repository';
import type { mongo } from 'mongoose';
import { batchedInserts } from '../batched-inserts';
import { coalescedRuns } from '../coalesced-runs';
import { isDuplicateKey } from '../duplicate-key';
import { deleteIfOlder, replaceIfNewer } from '../newer-copy';
import type { ReportParts } from './report-parts';
import type { ReportDoc } from './report-schema';
import { fromStored } from './stored-form';

/** A race on a report is over when its claims have not moved for this long (see `untilQuiet`). */
const RACE_QUIET_MS = 120;
const RACE_POLL_MS = 30;
/** The longest the copies wait for a race to end before writing what it has reached. */
const RACE_WAIT_MS = 2_000;

/**
 * Writing a report: filing (one insert, revision 1) and every change after it, a compare-and-set
 * on the revision. A change is claimed in `report_revisions` first (an insert into a unique index:
 * the one atomic step FerretDB 1.24 has), then written to the working set (or the archive), the
 * open copy, and checked against the claims: the newest claim is written back wherever a racing
 * writer's older copy or delete left it behind. Racing changes to one report share their copies'
 * writes (`afterClaim`). See src/store/README.md for the diagram.
 */
export function reportWrites(p: ReportParts) {
  const { Hot, Archive, copies, revisions, archiveBound } = p;
  const insertFiled = batchedInserts(Hot.collection as unknown as mongo.Collection<never>);

  async function headOf(id: string): Promise<ReportDoc | undefined> {
    return (await Hot.findById(id).lean<ReportDoc>()) ?? (await Archive.findById(id).lean<ReportDoc>()) ?? undefined;
  }

  /** A stored copy brought up to its report's newest claimed revision. */
  const latestFrom = async (copy: ReportDoc): Promise<ReportDoc> =>
    (await revisions.rollForward(copy._id, copy.rev, copy)).value;

  /** The report's newest revision, wherever its head is. */
  async function latestOf(id: string): Promise<ReportDoc | undefined> {
    const head = await headOf(id);
    return head ? latestFrom(head) : undefined;
  }

  /** Brings the working-set copy up to `doc.rev` (a later revision already there wins). */
  async function writeHot(doc: ReportDoc): Promise<void> {
    await replaceIfNewer(Hot, doc);
  }

  /** The archive's copy of a report, read only when the archive may hold one (see archive-mark.ts). */
  async function archivedCopy(doc: ReportDoc): Promise<{ rev: number } | null> {
    if (!(await archiveBound.mayHold(doc.district, doc.receivedAt))) return null;
    return Archive.findById(doc._id).select({ rev: 1 }).lean<{ rev: number }>();
  }

  /**
   * Run after deleting an older copy. FerretDB deletes by reading the matches and then deleting by
   * `_id`, without isolation, so a racing writer's newer copy can be the one deleted; the latest
   * revision (from the claims) is then written back where it belongs. Every delete is followed by
   * its writer's settle, so the last one to run sees the truth.
   */
  async function settle(doc: ReportDoc): Promise<void> {
    const latest = await latestFrom(doc);
    await copies.write(latest);
    const [hot, archived] = await Promise.all([
      Hot.findById(doc._id).select({ rev: 1 }).lean<{ rev: number }>(),
      archivedCopy(doc),
    ]);
    if ((hot?.rev ?? 0) >= latest.rev || (archived?.rev ?? 0) >= latest.rev) return;
    if (!p.belongsInArchive(latest)) return writeHot(latest);
    await archiveBound.raise(latest.district, latest.receivedAt);
    await replaceIfNewer(Archive, latest);
  }

  /** Deletes the archive's older copy of a report that returns to the working set, if it may have one. */
  async function leaveArchive(doc: ReportDoc): Promise<void> {
    if (await archiveBound.mayHold(doc.district, doc.receivedAt))
      await deleteIfOlder(Archive, doc._id, { $lt: doc.rev });
  }

  /** A claimed revision written to the working set, the open or closed copy, out of the archive, then settled. */
  async function toWorkingSet(doc: ReportDoc): Promise<void> {
    await writeHot(doc);
    await copies.write(doc);
    await leaveArchive(doc);
    await settle(doc);
  }

  /**
   * The copies of changed reports, brought up to date after their claims. The claim alone decides
   * a change; the working-set copy, the open copy and the archive follow, and writing them is the
   * dearest part of a change on FerretDB (each read or write of the working set decodes all of it,
   * ≈0.3–0.6 s at 100,000 stored reports). So:
   * - within this process, changes to one report that arrive while its copies are being written
   *   share the next write, which takes the newest revision (`coalescedRuns`): ten staff acting on
   *   one case through one instance cost two writes, not ten, and often one;
   * - a write that finds a newer revision claimed than any this process made leaves the copies to
   *   that claim's writer, which writes them after its claim (in its own process, or in a run here
   *   queued after this one). The writer of the newest claim therefore always writes.
   * A change is answered when a write that began after its claim is done, so once every racing
   * change is answered the copies hold the newest revision.
   */
  const claimedHere = new Map<string, ReportDoc>();
  /** The newest revision a finished run wrote, while later runs of the report are queued. */
  const writtenHere = new Map<string, number>();
  const writeCopies = coalescedRuns(async (id) => {
    const from = claimedHere.get(id);
    if (!from) return; // a run that began after this one's claim wrote a newer revision
    try {
      const latest = await untilQuiet(id, await latestFrom(from));
      if (latest.rev <= (writtenHere.get(id) ?? 0)) return; // the run before this one wrote it
      if (latest.rev > (claimedHere.get(id)?.rev ?? 0)) return; // a newer claim's writer writes it
      await writeClaimed(latest, from);
      writtenHere.set(id, latest.rev);
    } finally {
      if (claimedHere.get(id) === from) {
        claimedHere.delete(id);
        writtenHere.delete(id);
      }
    }
  });
  /**
   * While staff are racing on a report (a change here lost its claim, or the claims moved on, in
   * the last RACE_QUIET_MS), the copies wait for the claims to stop moving, for at most
   * RACE_WAIT_MS: the racers' changes take a few milliseconds each, a write of the working set
   * hundreds, so the copies are written once with the outcome instead of with each step of it. A
   * change nobody races is written at once.
   */
  const lostHere = new Map<string, number>();
  async function untilQuiet(id: string, latest: ReportDoc): Promise<ReportDoc> {
    const started = performance.now();
    let moved = -Infinity;
    const lastMove = () => Math.max(moved, lostHere.get(id) ?? -Infinity);
    while (performance.now() - lastMove() < RACE_QUIET_MS && performance.now() - started < RACE_WAIT_MS) {
      await new Promise((r) => setTimeout(r, RACE_POLL_MS));
      const next = await latestFrom(latest);
      if (next.rev !== latest.rev) moved = performance.now();
      latest = next;
    }
    if ((lostHere.get(id) ?? Infinity) < performance.now() - RACE_QUIET_MS) lostHere.delete(id);
    return latest;
  }
  const lost = (id: string) => {
    lostHere.set(id, performance.now());
    if (lostHere.size > 10_000) lostHere.clear(); // only the last second's entries matter
  };

  /**
   * The changes of this process that lost the same revision of a report share one read of what
   * won it: a read begun a moment before a caller may miss a newer claim, which only costs that
   * caller another lost claim (never a wrong one).
   */
  const afterLost = new Map<string, Promise<ReportDoc | undefined>>();

  const afterClaim = (doc: ReportDoc): Promise<void> => {
    if ((claimedHere.get(doc._id)?.rev ?? 0) < doc.rev) claimedHere.set(doc._id, doc);
    return writeCopies(doc._id);
  };

  /**
   * Writes the newest claimed revision `doc` of a changed report (it returns to the working set)
   * by `_id` alone, without first reading the stored revision, then checks the claims. When no
   * newer revision is claimed, this write is the newest: an older writer that lands on it later
   * sees this claim in its own check and repairs it. When a newer one is claimed by another
   * process, this write may have landed on it after its writer finished: `settle` reads the
   * copies and writes the newest back where it belongs. (`started`: the claim the run began from,
   * to tell a run queued here after this one.)
   */
  async function writeClaimed(doc: ReportDoc, started: ReportDoc): Promise<void> {
    try {
      await Hot.replaceOne({ _id: doc._id }, doc, { upsert: true });
    } catch (err) {
      // two upserts of a missing copy both tried the insert: the other writer's check repairs it
      if (!isDuplicateKey(err)) throw err;
    }
    await copies.write(doc);
    await leaveArchive(doc);
    const latest = await latestFrom(doc);
    if (latest.rev === doc.rev) return;
    const queued = claimedHere.get(doc._id);
    if (queued && queued !== started && queued.rev >= latest.rev) return; // the run queued after this one writes it
    await settle(doc);
  }

  return {
    headOf,
    latestFrom,
    latestOf,
    writeHot,
    settle,

    /**
     * Files a report: one insert of the whole document (its first history entry included).
     * `stored` when it is in (now or by an earlier try of the same submission), `receiptTaken`
     * when another filing holds that receipt number and a fresh one must be drawn.
     */
    async file(
      report: Omit<Report, 'id' | 'rev'>,
      alongside?: (stored: Report) => Promise<unknown>,
    ): Promise<FileResult> {
      const doc = p.toStored({ ...report, rev: 1 });
      try {
        // validated as `create` would, inserted beside the filings of the same moment
        const checked = new Hot(doc);
        await checked.validate();
        await insertFiled(checked.toBSON());
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const earlier = await Hot.findById(report.submissionId).lean<ReportDoc>();
        if (!earlier) return { receiptTaken: true };
        const stored = fromStored(earlier);
        // an earlier try may have stopped before its copy or the caller's indexes
        await Promise.all([copies.write(await latestFrom(earlier)), alongside?.(stored)]);
        return { stored, fresh: false };
      }
      p.receipts.learn(doc.district, doc.receiptNo, doc._id);
      const stored = fromStored(doc);
      // independent writes side by side: a filing turn's time is its chain of round trips
      await Promise.all([copies.write(doc), p.remember([doc]), alongside?.(stored)]);
      return { stored, fresh: true };
    },

    /** The report as of its latest revision: its head document, rolled forward through newer claims. */
    async current(id: string): Promise<Report | undefined> {
      const latest = await latestOf(id);
      return latest ? fromStored(latest) : undefined;
    },

    /**
     * The newest revision of a report after a change from `lost` was refused: rolled forward from
     * the claim that took its place, by `_id` in the claims alone (no read of the head). When that
     * claim is gone already (pruned: the head has caught up with it), from the head.
     */
    async latestAfter(lost: Report): Promise<Report | undefined> {
      const rev = (lost.rev ?? 1) + 1;
      const key = `${lost.id}#${rev}`;
      let read = afterLost.get(key);
      if (!read) {
        read = (async () => {
          const taken = await revisions.get(lost.id, rev);
          if (taken === undefined) return latestOf(lost.id);
          return (await revisions.rollForward(lost.id, rev, taken)).value;
        })().finally(() => afterLost.delete(key));
        afterLost.set(key, read);
      }
      const latest = await read;
      return latest ? fromStored(structuredClone(latest)) : undefined;
    },

    async latestSince(read: Report): Promise<Report> {
      const latest = await revisions.rollForward(read.id, read.rev ?? 1, undefined as unknown as ReportDoc);
      return latest.advanced ? fromStored(structuredClone(latest.value)) : read;
    },

    /**
     * Stores `next` as revision `current.rev + 1` — only if no other change took that revision
     * first (false: re-read and decide again). A changed report returns to the working set.
     *
     * The claim alone decides; the copies follow (`afterClaim`): racing changes to one report
     * share their copies' writes.
     */
    async change(current: Report, next: Report): Promise<boolean> {
      const doc = p.toStored({ ...next, rev: (current.rev ?? 1) + 1 });
      if (!(await revisions.claim(current.id, doc.rev, doc, p.now()))) {
        lost(current.id);
        return false;
      }
      await afterClaim(doc);
      return true;
    },

    /**
     * Like `change`, but the new revision stays where the report belongs (a closed, old report in
     * the archive) instead of returning to the working set: for the retention job, which changes
     * closed cases without reopening them.
     */
    async changeInPlace(current: Report, next: Report): Promise<boolean> {
      const doc = p.toStored({ ...next, rev: (current.rev ?? 1) + 1 });
      if (!(await revisions.claim(current.id, doc.rev, doc, p.now()))) return false;
      if (!p.belongsInArchive(doc)) {
        await toWorkingSet(doc);
        return true;
      }
      await archiveBound.raise(doc.district, doc.receivedAt);
      await replaceIfNewer(Archive, doc);
      await deleteIfOlder(Hot, doc._id, { $lt: doc.rev });
      await copies.write(doc);
      await settle(doc);
      return true;
    },
  };
}
export type ReportWrites = ReturnType<typeof reportWrites>;
