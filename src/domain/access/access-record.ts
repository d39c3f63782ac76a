import { createHmac } from 'node:crypto';

/**
 * Access records (접속기록, 개인정보의 안전성 확보조치 기준 제8조): who handled which personal data,
 * when, from where and how. Domain words only; the store keeps them append-only in a hash chain.
 */
export const ACCESS_ACTIONS = [
  'view',
  'search',
  'download',
  'export',
  'change',
  'sign_in',
  'sign_in_failed',
  'password_change',
  'unlock',
  'review',
  'anonymise',
  'prune',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export const ACCESS_ACTION_LABELS: Record<AccessAction, string> = {
  view: '열람',
  search: '목록 조회',
  download: '내려받기',
  export: '내보내기',
  change: '변경',
  sign_in: '로그인',
  sign_in_failed: '로그인 실패',
  password_change: '비밀번호 변경',
  unlock: '로그인 제한 해제',
  review: '접속기록 검토',
  anonymise: '보존기간 경과 익명화',
  prune: '보존기간 경과 접속기록 삭제',
};

export type AccessChannel = 'console' | 'api' | 'cli' | 'job';

/** What a caller states; the chain adds seq, prevHash and hash. */
export interface AccessEntry {
  at: Date;
  /** The account (`user:kim`), `cli:<os user>` or `job:<name>`. */
  actor: string;
  role: string;
  /** The client address as configured by TRUST_PROXY; `local` for the CLI and jobs. */
  address: string;
  channel: AccessChannel;
  action: AccessAction;
  /** Receipt numbers of the reports shown or changed (a list page: the rows on it). */
  receiptNos: string[];
  /** For lists and exports: what was asked for (filter, week, dong, format), no free text. */
  scope: string;
  /** Rows shown or exported. */
  rowCount: number;
  /** A short machine word for the detail (the workflow action, the download's format). */
  detail: string;
}

export interface AccessRecord extends AccessEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The chain starts from this value, so the first record is verified like every other. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * HMAC-SHA256, keyed with a secret kept outside the database (ACCESS_RECORD_SECRET or the data
 * folder's key), over the previous hash and the record's fields in a fixed order. Someone who can
 * write the database but lacks the key cannot recompute the chain after an edit or a deletion.
 */
export function chainHash(key: string | Buffer, prevHash: string, seq: number, e: AccessEntry): string {
  const canonical = JSON.stringify([
    seq,
    e.at.toISOString(),
    e.actor,
    e.role,
    e.address,
    e.channel,
    e.action,
    e.receiptNos,
    e.scope,
    e.rowCount,
    e.detail,
  ]);
  return createHmac('sha256', key).update(`${prevHash}\n${canonical}`).digest('hex');
}

/**
 * What a prune removed, written into the chain (so signed) before the records go: the range, the
 * last removed record's hash (the next record chains to it) and its time (it must be older than
 * the retention period at the prune's own time).
 */
export interface PruneMarker {
  fromSeq: number;
  throughSeq: number;
  lastHash: string;
  lastAt: Date;
}

export const pruneScope = (m: PruneMarker) =>
  `removed #${m.fromSeq}-#${m.throughSeq} last=${m.lastHash} lastAt=${m.lastAt.toISOString()}`;

export function parsePruneScope(scope: string): PruneMarker | undefined {
  const m = /^removed #(\d+)-#(\d+) last=([0-9a-f]{64}) lastAt=(\S+)$/.exec(scope);
  const lastAt = m ? new Date(m[4]!) : undefined;
  if (!m || !lastAt || Number.isNaN(lastAt.getTime())) return undefined;
  return { fromSeq: Number(m[1]), throughSeq: Number(m[2]), lastHash: m[3]!, lastAt };
}

/** The earliest time a record may be pruned at `at`, given the retention in years. */
export function pruneCutoff(at: Date, years: number): Date {
  const cutoff = new Date(at);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

export type ChainBreak =
  | { seq: number; kind: 'gap'; expectedSeq: number }
  | { seq: number; kind: 'prev_hash' }
  | { seq: number; kind: 'hash' }
  /** The first records are gone and no signed prune marker says so. */
  | { seq: number; kind: 'unmarked_gap'; expectedSeq: number }
  /** A prune marker claims records newer than the retention period allowed at its time. */
  | { seq: number; kind: 'early_prune' }
  /** The head written down earlier (from the monthly review) is not in the chain any more. */
  | { seq: number; kind: 'head_mismatch' };

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  head: { seq: number; hash: string } | null;
  firstBreak: ChainBreak | null;
  /** The prune markers found (what was removed, and when). */
  prunes: { seq: number; at: Date; marker: PruneMarker }[];
}

export interface VerifyOptions {
  key: string | Buffer;
  /** The retention period in years: a marker newer than it allows is a break. */
  retentionYears: number;
  /** A head written down earlier (seq and hash): the record must still be there, unchanged. */
  knownHead?: { seq: number; hash: string };
}

/**
 * Walks records in seq order and reports the first break: a missing or extra seq, a record whose
 * prevHash is not its predecessor's hash, one whose keyed hash does not match its fields (edited,
 * or rechained without the key), first records missing without a signed prune marker that names
 * them, a marker pruning records younger than the retention, or a known head that is gone.
 */
export async function verifyChain(records: AsyncIterable<AccessRecord>, opts: VerifyOptions): Promise<ChainVerdict> {
  let prev: AccessRecord | undefined;
  let first: AccessRecord | undefined;
  let checked = 0;
  let knownHeadSeen = false;
  const prunes: ChainVerdict['prunes'] = [];
  const verdict = (firstBreak: ChainBreak | null): ChainVerdict => ({
    ok: firstBreak === null,
    checked,
    firstSeq: first?.seq ?? null,
    head: prev ? { seq: prev.seq, hash: prev.hash } : null,
    firstBreak,
    prunes,
  });
  for await (const r of records) {
    checked++;
    first ??= r;
    let broken: ChainBreak | undefined;
    if (prev && r.seq !== prev.seq + 1) broken = { seq: r.seq, kind: 'gap', expectedSeq: prev.seq + 1 };
    else if (prev ? r.prevHash !== prev.hash : r.seq === 1 && r.prevHash !== GENESIS_HASH)
      broken = { seq: r.seq, kind: 'prev_hash' };
    else if (chainHash(opts.key, r.prevHash, r.seq, r) !== r.hash) broken = { seq: r.seq, kind: 'hash' };
    if (!broken && r.action === 'prune') {
      const marker = parsePruneScope(r.scope);
      if (!marker || marker.throughSeq >= r.seq || marker.lastAt > pruneCutoff(r.at, opts.retentionYears))
        broken = { seq: r.seq, kind: 'early_prune' };
      else prunes.push({ seq: r.seq, at: r.at, marker });
    }
    if (broken) return verdict(broken);
    if (opts.knownHead && r.seq === opts.knownHead.seq) knownHeadSeen = r.hash === opts.knownHead.hash;
    prev = r;
  }
  // the first record present: the genesis, or the one right after what a signed marker removed
  if (first && first.seq > 1) {
    const marked = prunes.some((p) => p.marker.throughSeq === first!.seq - 1 && p.marker.lastHash === first!.prevHash);
    if (!marked) return verdict({ seq: first.seq, kind: 'unmarked_gap', expectedSeq: 1 });
  }
  if (opts.knownHead && !knownHeadSeen) return verdict({ seq: opts.knownHead.seq, kind: 'head_mismatch' });
  return verdict(null);
}
