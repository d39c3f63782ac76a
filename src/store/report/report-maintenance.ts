import { OPEN_STATUSES } from '../../domain/report/status';
import { deleteIfOlder, replaceIfNewer } from '../newer-copy';
import { DAY_MS, type ReportParts } from './report-parts';
import { BATCH_QUERY, type ReportDoc } from './report-schema';
import type { ReportWrites } from './report-writes';

/**
 * The report store's upkeep, run by the purge job (src/jobs/purge.ts) and after a restore: the
 * archive sweep (closed, old reports out of the working set) with the repair of the open copies,
 * which read the working set, and the prune of old revision claims and address entries, which
 * reads only the claims.
 */
export function reportMaintenance(p: ReportParts, w: ReportWrites) {
  const { Hot, Archive, open, closed, copies, revisions, archiveBound, addresses } = p;

  /** The closed reports of the working set's window: what the closed copies hold (closed-copies.ts). */
  const closedInWindow = () => ({ status: 'closed', receivedAt: { $gte: p.horizon() } });

  /**
   * Repairs the closed copies from `read` (the working set's reports in scope, or at least its
   * closed ones in the window), then marks them complete for every district the pass saw.
   */
  async function reconcileClosedCopies(scope: Record<string, unknown>, read: ReportDoc[]): Promise<void> {
    const held = read.filter((r) => closed.holds(r));
    await closed.reconcile(scope, held, w.latestOf);
    const districts = typeof scope.district === 'string' ? [scope.district] : read.map((r) => r.district);
    for (const d of new Set(districts)) await closed.markReady(d, p.now());
  }

  /**
   * Repairs the open and closed copies from the working set (after a restore, and in the hourly
   * pass below; see open-copies.ts, closed-copies.ts).
   */
  async function reconcileOpenCopies(district?: string): Promise<{ written: number; removed: number }> {
    const scope: Record<string, unknown> = district ? { district } : {};
    const read = await Hot.find({ ...scope, $or: [{ status: { $in: OPEN_STATUSES } }, closedInWindow()] })
      .setOptions(BATCH_QUERY)
      .lean<ReportDoc[]>();
    return reconcileCopies(scope, read);
  }

  /** Both sets of copies checked against one read of the working set (open reports and the window's closed ones, at least). */
  async function reconcileCopies(
    scope: Record<string, unknown>,
    read: ReportDoc[],
  ): Promise<{ written: number; removed: number }> {
    const repaired = await open.reconcile(
      scope,
      read.filter((r) => open.holds(r)),
      w.latestOf,
    );
    await reconcileClosedCopies(scope, read);
    return repaired;
  }

  /**
   * Claims older than an hour: first make sure their report's copies caught up, then drop them.
   * A report's head is read once per pass, however many of its claims go (on FerretDB each read
   * by `_id` scans the working set: ≈0.2 s at 100,000 reports; ten staff racing on one case leave
   * dozens of claims of one report).
   */
  async function pruneClaims(): Promise<number> {
    const at = p.now();
    let pruned = 0;
    const heads = new Map<string, number>(); // the head's revision as this pass read or wrote it
    const old = await revisions.olderThan(new Date(at.getTime() - 3_600_000), 5_000);
    for (const c of old) {
      let headRev = heads.get(c.key);
      if (headRev === undefined || headRev < c.rev) headRev = (await w.headOf(c.key))?.rev ?? 0;
      if (headRev < c.rev) {
        // behind (a crash between a claim and its copies): the newest claim, written once, not each step
        const latest = await w.latestFrom(c.value);
        await w.writeHot(latest);
        await copies.write(latest);
        await w.settle(latest); // like every writer: a newer revision this write landed on goes back
        headRev = latest.rev;
      }
      heads.set(c.key, headRev);
      pruned++;
    }
    // after every head caught up: one delete per collection, not one per claim (each scans under the write lock)
    await revisions.removeAll(old);
    await addresses.prune(new Date(at.getTime() - 31 * DAY_MS));
    return pruned;
  }

  return {
    /**
     * Moves closed reports older than the working set's window to the archive, each as a claimed
     * revision (so a change racing the move is applied after it, and brings the report back).
     * Idempotent and safe on every instance at once; also prunes the claims and indexes' old entries.
     */
    async archiveSweep(district?: string): Promise<{ archived: number; pruned: number }> {
      const at = p.now();
      const scope: Record<string, unknown> = district ? { district } : {};
      // One read of the working set for both jobs of the pass (on FerretDB each read decodes all
      // of it, ≈2 s at 100,000 stored reports): the closed reports due for the archive, and the
      // open and recently closed ones whose copies the reconcile checks.
      const due = {
        status: 'closed',
        receivedAt: { $lt: p.horizon() },
        closedAt: { $lt: new Date(at.getTime() - 7 * DAY_MS) },
      };
      const read = await Hot.find({ ...scope, $or: [due, { status: { $in: OPEN_STATUSES } }, closedInWindow()] })
        .setOptions(BATCH_QUERY)
        .lean<ReportDoc[]>();
      const dueNow = read.filter((r) => r.status === 'closed' && p.belongsInArchive(r));
      let archived = 0;
      for (const d of new Set(dueNow.map((r) => r.district))) {
        await archiveBound.raise(
          d,
          new Date(Math.max(...dueNow.filter((r) => r.district === d).map((r) => new Date(r.receivedAt).getTime()))),
        );
      }
      for (const head of dueNow) {
        const latest = await w.latestFrom(head);
        if (latest.status !== 'closed') continue;
        const moved = { ...latest, rev: latest.rev + 1 };
        if (!(await revisions.claim(head._id, moved.rev, moved, at))) continue;
        await replaceIfNewer(Archive, moved);
        await deleteIfOlder(Hot, moved._id, { $lte: moved.rev });
        await w.settle(moved);
        archived++;
      }
      const pruned = await pruneClaims();
      await reconcileCopies(scope, read);
      return { archived, pruned };
    },
    pruneClaims,
    /**
     * After a restore: every report with claims is brought to its newest claimed revision and
     * written where it belongs (a report that moved while the backup read may have no copy at all
     * but its claims). Reads the claims, which are the last hour's changes.
     */
    async settleClaims(): Promise<number> {
      const newest = new Map<string, ReportDoc>();
      for (const c of await revisions.olderThan(new Date(8.64e15), 1_000_000)) newest.set(c.key, c.value);
      for (const doc of newest.values()) await w.settle(doc);
      return newest.size;
    },
    reconcileOpenCopies,
  };
}
