import { createHash } from 'node:crypto';

/**
 * Access records (접속기록, 개인정보의 안전성 확보조치 기준 제8조): who handled which personal data,
 * when, from where and how. Domain words only; the store keeps them append-only in a hash chain.
 */
export const ACCESS_ACTIONS = ['view', 'search', 'download', 'export', 'change', 'sign_in', 'sign_in_failed', 'password_change', 'unlock', 'review', 'anonymise'] as const;
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

/** SHA-256 over the previous hash and the record's fields in a fixed order. */
export function chainHash(prevHash: string, seq: number, e: AccessEntry): string {
  const canonical = JSON.stringify([seq, e.at.toISOString(), e.actor, e.role, e.address, e.channel, e.action, e.receiptNos, e.scope, e.rowCount, e.detail]);
  return createHash('sha256').update(`${prevHash}\n${canonical}`).digest('hex');
}

export type ChainBreak =
  | { seq: number; kind: 'gap'; expectedSeq: number }
  | { seq: number; kind: 'prev_hash'; }
  | { seq: number; kind: 'hash' };

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  head: { seq: number; hash: string } | null;
  firstBreak: ChainBreak | null;
}

/**
 * Walks records in seq order and reports the first break: a missing or extra seq, a record whose
 * prevHash is not its predecessor's hash, or one whose hash does not match its fields (edited).
 * The first record present is the anchor (earlier ones may have been pruned after retention).
 */
export async function verifyChain(records: AsyncIterable<AccessRecord>): Promise<ChainVerdict> {
  let prev: AccessRecord | undefined;
  let checked = 0;
  let firstSeq: number | null = null;
  for await (const r of records) {
    checked++;
    firstSeq ??= r.seq;
    let broken: ChainBreak | undefined;
    if (prev && r.seq !== prev.seq + 1) broken = { seq: r.seq, kind: 'gap', expectedSeq: prev.seq + 1 };
    else if (prev ? r.prevHash !== prev.hash : r.seq === 1 && r.prevHash !== GENESIS_HASH) broken = { seq: r.seq, kind: 'prev_hash' };
    else if (chainHash(r.prevHash, r.seq, r) !== r.hash) broken = { seq: r.seq, kind: 'hash' };
    if (broken) return { ok: false, checked, firstSeq, head: prev ? { seq: prev.seq, hash: prev.hash } : null, firstBreak: broken };
    prev = r;
  }
  return { ok: true, checked, firstSeq, head: prev ? { seq: prev.seq, hash: prev.hash } : null, firstBreak: null };
}
