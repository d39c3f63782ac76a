import type { Report } from '../../domain/report/report';
import type { ChangedReport, FiledRow, ReporterReport } from '../../domain/report/repository';
import { OPEN_STATUSES, type ReportStatus } from '../../domain/report/status';
import type { ReportParts } from './report-parts';
import { compareBy, scoped, scopeQuery, sortOf, type ReportFilter, type ReportScope } from './report-query';
import { BATCH_QUERY, type ReportDoc } from './report-schema';
import { fromStored } from './stored-form';
import { newerOfCopies } from './closed-copies';

/**
 * Reading reports: each query is routed to the smallest collection that answers it — the open
 * copies (open statuses only), the working set (recent or not closed), or the working set and the
 * archive together — and reads by `_id` where it can (the receipt index, the reporter index).
 */
export function reportReads(p: ReportParts) {
  const { Hot, Archive, open, closed, receipts, reporters, addresses, revisions, horizon } = p;

  /**
   * A report by receipt number, as of its newest revision: the receipt index, then `_id` reads of
   * the head and of any newer claims (a racing writer's head write may still be under way); the
   * old search when the index has no entry.
   */
  async function latestByReceipt(district: string, receiptNo: string): Promise<ReportDoc | undefined> {
    const head = await headByReceipt(district, receiptNo);
    return head ? (await revisions.rollForward(head._id, head.rev, head)).value : undefined;
  }

  /**
   * Racing reads of one head share one find: staff acting on one case at once each need it, and
   * on FerretDB each find decodes the whole working set. A shared read may have started a moment
   * before its caller; `latestByReceipt` rolls it forward through the claims after, so the caller
   * still gets the newest revision.
   */
  const headReads = new Map<string, Promise<ReportDoc | null>>();
  function headById(id: string): Promise<ReportDoc | null> {
    let read = headReads.get(id);
    if (!read) {
      read = (async () =>
        (await Hot.findById(id).lean<ReportDoc>()) ?? (await Archive.findById(id).lean<ReportDoc>()))().finally(() =>
        headReads.delete(id),
      );
      headReads.set(id, read);
    }
    // each caller its own copy: a caller may build on it
    return read.then((doc) => doc && structuredClone(doc));
  }

  /**
   * A report's stored head by receipt number. An open report (what staff act on) is its open copy,
   * from this process's cache of the district's copies: no read of the receipt index (100,000
   * entries at 100,000 reports, ≈0.3 s on FerretDB) nor of the working set (≈0.2 s); the caller
   * rolls it forward through the claims, as it does a head. Otherwise the receipt index, then `_id`
   * reads; the old search when the index has no entry.
   */
  async function headByReceipt(district: string, receiptNo: string): Promise<ReportDoc | undefined> {
    const [copy] = await open.matching({ district, receiptNo });
    if (copy) return structuredClone(copy); // each caller its own: a caller may build on it
    const id = await receipts.reportIdOf(district, receiptNo);
    if (id) {
      const doc = await headById(id);
      if (doc && doc.district === district && doc.receiptNo === receiptNo) return doc;
      receipts.forget(district, receiptNo);
    }
    const doc =
      (await Hot.findOne({ district, receiptNo }).lean<ReportDoc>()) ??
      (await Archive.findOne({ district, receiptNo }).setOptions(BATCH_QUERY).lean<ReportDoc>());
    if (doc) await p.remember([doc]);
    return doc ?? undefined;
  }

  /** The working set answers alone when the filter keeps out closed reports or old ones. */
  const hotAnswers = (f: { statuses?: readonly ReportStatus[]; receivedFrom?: Date }) =>
    (f.statuses !== undefined && f.statuses.length > 0 && !f.statuses.includes('closed')) ||
    (f.receivedFrom !== undefined && f.receivedFrom >= horizon());

  /** The open copies answer alone when the filter asks only for open statuses (the console's open queue). */
  const openAnswers = (f: { statuses?: readonly ReportStatus[] }) =>
    f.statuses !== undefined && f.statuses.length > 0 && f.statuses.every((s) => OPEN_STATUSES.includes(s));

  /** Both collections' hits, each report once (a report being moved may briefly be in both). */
  async function findBoth(q: Record<string, unknown>, hotOnly: boolean): Promise<ReportDoc[]> {
    const hot = await Hot.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>();
    if (hotOnly) return hot;
    const archived = await Archive.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>();
    const byId = new Map<string, ReportDoc>();
    for (const d of [...archived, ...hot]) if (!byId.has(d._id) || byId.get(d._id)!.rev < d.rev) byId.set(d._id, d);
    return [...byId.values()];
  }

  /** Both collections' hits, working set first, each receipt number once (the import's pages and commits). */
  async function workingSetThenArchive(q: Record<string, unknown>): Promise<Report[]> {
    const [hot, archived] = await Promise.all([
      Hot.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>(),
      Archive.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>(),
    ]);
    const seen = new Set<string>();
    return [...hot, ...archived].map(fromStored).filter((r) => !seen.has(r.receiptNo) && !!seen.add(r.receiptNo));
  }

  /** Oldest first; reports received at the same instant by receipt number, whichever collection answered. */
  const receivedOrder = (a: ReportDoc, b: ReportDoc) =>
    a.receivedAt.getTime() - b.receivedAt.getTime() || a.receiptNo.localeCompare(b.receiptNo);

  const queueOrder = (a: ReportDoc, b: ReportDoc) =>
    (a.urgencyRank ?? 0) - (b.urgencyRank ?? 0) ||
    a.receivedAt.getTime() - b.receivedAt.getTime() ||
    a.receiptNo.localeCompare(b.receiptNo);

  return {
    /** Retention: reports closed before `cutoff` and not yet anonymised, from both collections (a daily batch read). */
    async closedBefore(cutoff: Date): Promise<Report[]> {
      return (await findBoth({ status: 'closed', closedAt: { $lt: cutoff }, anonymisedAt: null }, false)).map(
        fromStored,
      );
    },

    async byReceiptNo(district: string, receiptNo: string): Promise<Report | undefined> {
      const doc = await latestByReceipt(district, receiptNo);
      return doc ? fromStored(doc) : undefined;
    },
    async inScope(scope: ReportScope, receiptNo: string): Promise<Report | undefined> {
      const doc = await latestByReceipt(scope.district, receiptNo);
      if (!doc || (scope.kind === 'dong' && doc.assignedDongCode !== scope.dongCode)) return undefined;
      return fromStored(doc);
    },

    /** A chat reporter's latest reports ("조회"): their own small index, then each by `_id` (its open copy, else the working set). */
    async latestOfReporter(channel: string, userId: string, limit: number): Promise<ReporterReport[]> {
      const refs = (await reporters.latest(channel, userId)).slice(0, limit);
      // An open report from its copy by `_id`: on FerretDB an `_id` read scans its collection, and
      // the few hundred packed copies cost a fraction of the working set (3,500 whole reports at
      // 100,000 stored, ≈200 ms a read). Only a report without a copy (closed) is read from there.
      const found = await Promise.all(
        refs.map(async (ref) => (await open.byId(ref.id)) ?? Hot.findById(ref.id).lean<ReportDoc>()),
      );
      // Not in the working set means archived, which only closed reports are.
      return refs.map((ref, i) => ({ ref, report: found[i] ? fromStored(found[i]) : undefined }));
    },
    /** The latest report at a normalized address since a date, for the duplicate link at filing. */
    latestAtAddress: (district: string, addressKey: string, since: Date) =>
      addresses.latest(district, addressKey, since),

    /** Open reports of the district (the import's duplicate check): the open copies only. */
    async openReports(district: string): Promise<Report[]> {
      return (await open.all(district)).map(fromStored);
    },
    /** The reports one import created (its follow-up table; a resumed commit's filed rows): both collections. */
    ofImport: (district: string, importId: string) => workingSetThenArchive({ district, 'source.importId': importId }),
    /** ofImport's reports, only the fields a commit reads (20,000 whole reports would be held at once otherwise). */
    async filedOfImport(district: string, importId: string): Promise<FiledRow[]> {
      const q = { district, 'source.importId': importId };
      const fields = { submissionId: 1, receiptNo: 1, receivedAt: 1, urgency: 1, status: 1 };
      type Slim = Pick<ReportDoc, '_id' | 'submissionId' | 'receiptNo' | 'receivedAt' | 'urgency' | 'status'>;
      const [hot, archived] = await Promise.all([
        Hot.find(q).select(fields).setOptions(BATCH_QUERY).lean<Slim[]>(),
        Archive.find(q).select(fields).setOptions(BATCH_QUERY).lean<Slim[]>(),
      ]);
      const seen = new Set<string>();
      return [...hot, ...archived]
        .filter((d) => !seen.has(d.receiptNo) && !!seen.add(d.receiptNo))
        .map((d) => ({
          id: d._id,
          submissionId: d.submissionId,
          receiptNo: d.receiptNo,
          receivedAt: d.receivedAt,
          urgency: d.urgency,
          status: d.status,
        }));
    },
    /** Reports by receipt number from both collections (the open reports a list was linked to). */
    byReceiptNos: async (district: string, receiptNos: string[]) =>
      receiptNos.length ? workingSetThenArchive({ district, receiptNo: { $in: receiptNos } }) : [],

    /**
     * The console's queue and lookups. The scope is required: a dong user's scope adds its dong
     * to every query, so a forgotten filter does not compile rather than leaking another dong.
     */
    async search(
      scope: ReportScope,
      filter: ReportFilter,
      page: { skip: number; limit: number },
      caseOrder?: (a: Report, b: Report) => number,
    ): Promise<{ items: Report[]; total: number }> {
      const q = scoped(scope, filter);
      const byField = filter.sort && filter.sort !== 'urgency';
      // "urgent first" is the next steps' order (domain/casework/next-step.ts) when the caller gives it
      const sorted = (docs: ReportDoc[]): Report[] => {
        if (!byField && caseOrder) return docs.map(fromStored).sort(caseOrder);
        return docs.sort(byField ? compareBy(sortOf(filter.sort)) : queueOrder).map(fromStored);
      };
      if (openAnswers(filter) || hotAnswers(filter)) {
        // One read gives the page and the total: FerretDB scans (and decodes) the whole collection
        // for each query, so a separate count would double the cost. The open cases are few
        // enough to sort in memory.
        const found = openAnswers(filter)
          ? await open.matching(q)
          : await Hot.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>();
        const all = sorted(found);
        return { items: all.slice(page.skip, page.skip + page.limit), total: all.length };
      }
      const all = sorted(await findBoth(q, false));
      return { items: all.slice(page.skip, page.skip + page.limit), total: all.length };
    },
    /**
     * Every open case in the scope (the today pages ask each its next step): the open copies,
     * a few hundred packed documents, never the working set.
     */
    async openCasework(scope: ReportScope): Promise<Report[]> {
      return (await open.matching(scopeQuery(scope))).map(fromStored);
    },
    /**
     * Reports with an alert event in the window: urgent ones received, visits requested, visit
     * results. Each of these leaves the report open, so the open copies answer (a few hundred packed
     * documents) instead of the working set, which the alert sweep would otherwise decode in full
     * every ten seconds (≈3 s a pass at 100,000 stored reports). A case closed before its alert was
     * sent needs no alert; its delivery record, if any, stays in the alert log.
     */
    async alertable(district: string, since: Date): Promise<Report[]> {
      const docs = await open.matching({
        district,
        $or: [
          { urgency: 'immediate', receivedAt: { $gte: since } },
          { visitRequestedAt: { $gte: since } },
          { 'visit.at': { $gte: since } },
        ],
      });
      return docs.map(fromStored);
    },
    /**
     * Like `changedSince`, for the changes of the last minutes only (`after` within the hour the
     * revision claims are kept): the open copies and the claims made since, not the working set,
     * which the news sweep would otherwise decode in full every 30 s (≈3 s at 100,000 reports).
     * A report closed since `after` is in the claims; one filed since is in the open copies.
     * Dates are the history's own (the app's clock), not the claims' time of writing.
     */
    async changedRecently(district: string, after: Date): Promise<ChangedReport[]> {
      const newest = new Map<string, ReportDoc>();
      const keep = (d: ReportDoc) => {
        if (d.district === district && (newest.get(d._id)?.rev ?? 0) < d.rev) newest.set(d._id, d);
      };
      for (const d of await open.matching({ district, 'history.at': { $gte: after } })) keep(d);
      for (const c of await revisions.valuesMatching({ district, 'history.at': { $gte: after } }, 100_000))
        keep(c.value);
      return [...newest.values()].filter((d) => d.history.some((h) => new Date(h.at) >= after)).map(fromStored);
    },
    /** Reports with a history entry since a time, with only what a reporter's news needs (changed reports are in the working set). */
    async changedSince(district: string, since: Date): Promise<ChangedReport[]> {
      return Hot.find({ district, 'history.at': { $gte: since } })
        .select({ receiptNo: 1, receivedAt: 1, reporter: 1, history: 1, source: 1, demo: 1 })
        .lean<Pick<ReportDoc, 'receiptNo' | 'receivedAt' | 'reporter' | 'history' | 'source' | 'demo'>[]>();
    },
    async count(scope: ReportScope, filter: ReportFilter): Promise<number> {
      const q = scoped(scope, filter);
      if (openAnswers(filter)) return (await open.matching(q)).length;
      if (hotAnswers(filter)) return Hot.countDocuments(q);
      return (await findBoth(q, false)).length;
    },

    /**
     * Reports assigned to a dong and received in [start, end), oldest first (the weekly list). A
     * week within the working set's window is the open and closed copies' once the closed ones
     * are complete (closed-copies.ts); else the working set's, and the archive's for older weeks.
     */
    async assignedBetween(district: string, dongCode: string, start: Date, end: Date): Promise<Report[]> {
      const q = { district, assignedDongCode: dongCode, receivedAt: { $gte: start, $lt: end } };
      const recent = start >= horizon();
      const docs =
        recent && (await closed.ready(district))
          ? newerOfCopies(...(await Promise.all([open.matching(q), closed.matching(q)])))
          : await findBoth(q, recent);
      return docs.sort(receivedOrder).map(fromStored);
    },
    /** Reports assigned to a dong, received before `before` and not closed (from the open copies). */
    async openAssignedBefore(district: string, dongCode: string, before: Date): Promise<Report[]> {
      const docs = await open.matching({
        district,
        assignedDongCode: dongCode,
        status: { $in: OPEN_STATUSES },
        receivedAt: { $lt: before },
      });
      return docs.sort(receivedOrder).map(fromStored);
    },
    /** Every report of the district received in [start, end), unsorted (callers sort the small result). */
    async receivedBetween(district: string, start: Date, end: Date): Promise<Report[]> {
      return (await findBoth({ district, receivedAt: { $gte: start, $lt: end } }, start >= horizon())).map(fromStored);
    },
    /** The district's reports received before `before` and not closed (from the open copies). */
    async openBefore(district: string, before: Date): Promise<Report[]> {
      return (await open.matching({ district, status: { $in: OPEN_STATUSES }, receivedAt: { $lt: before } })).map(
        fromStored,
      );
    },
    async list(filter: { district: string; dongCode?: string; since?: Date; limit?: number }): Promise<Report[]> {
      const q: Record<string, unknown> = { district: filter.district };
      if (filter.dongCode) q.assignedDongCode = filter.dongCode;
      if (filter.since) q.receivedAt = { $gte: filter.since };
      const docs = await findBoth(q, filter.since !== undefined && filter.since >= horizon());
      return docs
        .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())
        .slice(0, filter.limit ?? 1000)
        .map(fromStored);
    },
  };
}
