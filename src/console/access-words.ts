import { ACCESS_ACTION_LABELS, type AccessRecord } from '../domain/access/access-record';
import type { District } from '../domain/district';
import { parseWeek, weekStartKo } from '../domain/weekly/iso-week';
import { ACTION_LABELS, ROLE_LABELS } from './messages';
import { actorWithId, type StaffNames } from './people';
import { seoulDateTime } from './views/format';

/**
 * Access records in Korean words (issue 25): the records keep short machine words (they are
 * hashed and must not change), and this module says them as a reviewer reads them — on the page,
 * in the XLSX and on paper alike.
 */

const ROLE_WORDS: Record<string, string> = { ...ROLE_LABELS, system: '시스템', reporter: '신고자', '': '-' };
export const roleText = (role: string) => ROLE_WORDS[role] ?? role;

const CHANNEL_WORDS: Record<AccessRecord['channel'], string> = {
  console: '콘솔',
  api: 'API',
  cli: '서버 관리 명령',
  job: '자동 작업',
};
export const channelText = (channel: AccessRecord['channel']) => CHANNEL_WORDS[channel] ?? channel;

const DETAIL_WORDS: Record<string, string> = {
  ...ACTION_LABELS,
  list_commit: '명단 반영',
  list_import: '명단 미리보기',
  list_upload: '명단 올리기',
  today: '',
  xlsx: '엑셀',
  csv: 'CSV',
  pdf: 'PDF',
  invalid: '아이디 또는 비밀번호 틀림',
  rate_limited: '시도 횟수 제한',
  slack: 'Slack',
  telegram: 'Telegram',
  email: '이메일',
};

/** The record's detail word in Korean ("list_commit" → 명단 반영); empty when it adds nothing. */
export function detailText(detail: string): string {
  if (!detail) return '';
  if (Object.hasOwn(DETAIL_WORDS, detail)) return DETAIL_WORDS[detail]!;
  const ended = /^ended=(\d+)$/.exec(detail);
  if (ended) return Number(ended[1]) ? `다른 로그인 ${ended[1]}곳 종료` : '';
  if (detail.startsWith('sha256 ')) return '검증값 기록';
  return detail;
}

const monthText = (m: string) => `${Number(m.slice(0, 4))}년 ${Number(m.slice(5, 7))}월`;

/** A week id as its Monday's date: "2026-W47" → "2026년 11월 16일 주". */
export function weekText(id: string): string {
  const week = parseWeek(id);
  return week ? weekStartKo(week, true) : id;
}

const FILTER_WORDS: Record<string, string> = {
  status: '상태',
  urgency: '긴급도',
  dong: '관할 동',
  sign: '위기 징후',
  from: '접수일 부터',
  to: '접수일 까지',
  q: '검색어',
  duplicates: '중복 의심만',
  assignee: '담당',
  partner: '신고 기관',
  sort: '정렬',
  page: '쪽',
  pageSize: '쪽당',
};

/**
 * What a record was about, in words: "import=bdb18f…" → 명단 가져오기, "today" → 오늘 할 일,
 * "status=open q=(3자)" → 검색 조건: 상태 open · 검색어 3자. Unknown shapes are shown as written
 * (nothing is hidden from the reviewer).
 */
export function scopeText(scope: string, district: District, names: StaffNames): string {
  if (!scope) return '';
  if (scope === 'today') return '오늘 할 일';
  if (scope === 'today refresh') return '오늘 할 일 (자동 새로 고침)';
  let m = /^access (list|monthly|export|monthly-export) month=(\d{4}-\d{2})(?: actor=(\S+))?$/.exec(scope);
  if (m) {
    const what = {
      list: '접속기록 목록',
      monthly: '접속기록 월간 점검',
      export: '접속기록 내려받기',
      'monthly-export': '월간 점검 보고서 내려받기',
    }[m[1] as 'list'];
    return `${what} (${monthText(m[2]!)}${m[3] ? ` · ${actorWithId(names, m[3].includes(':') ? m[3] : `user:${m[3]}`)}` : ''})`;
  }
  m = /^review note month=(\d{4}-\d{2})$/.exec(scope);
  if (m) return `월간 점검 결과 기록 (${monthText(m[1]!)})`;
  m = /^import=\S+( rejected)?$/.exec(scope);
  if (m) return m[1] ? '명단 가져오기 · 제외된 행' : '명단 가져오기';
  m = /^week=(\S+) (?:dong=(\S+)|(district-summary))$/.exec(scope);
  if (m) return `주간 명단 ${weekText(m[1]!)} · ${m[3] ? '구 전체 현황' : (district.dongByCode(m[2]!)?.name ?? m[2])}`;
  if (scope.startsWith('backup ')) return '백업 파일';
  m = /^removed #(\d+)-#(\d+) /.exec(scope);
  if (m) return `보존기간 지난 접속기록 ${m[1]}–${m[2]}번 삭제`;
  m = /^user:(\S+) (\S+)$/.exec(scope);
  if (m) return `${actorWithId(names, `user:${m[1]}`)} · ${m[2]}`;
  const pairs = scope.split(' ').map((t) => /^([a-zA-Z]+)=(.*)$/.exec(t));
  if (pairs.every(Boolean)) {
    return `검색 조건: ${pairs
      .map((p) => {
        const [, key, value] = p!;
        if (key === 'q') return `검색어 ${value!.replace(/^\((\d+)자\)$/, '$1자')}`;
        if (key === 'dong')
          return `관할 동 ${value === 'none' ? '미배정' : (district.dongByCode(value!)?.name ?? value)}`;
        return `${FILTER_WORDS[key!] ?? key} ${value}`;
      })
      .join(' · ')}`;
  }
  return scope;
}

/** One access record as a row of words: the page, the XLSX and print read the same. */
export function recordRow(r: AccessRecord, district: District, names: StaffNames) {
  const detail = detailText(r.detail);
  const targets = r.receiptNos.length
    ? `${r.receiptNos.slice(0, 10).join(', ')}${r.receiptNos.length > 10 ? ` 외 ${r.receiptNos.length - 10}건` : ''}`
    : '';
  return {
    seq: r.seq,
    at: seoulDateTime(r.at),
    who: actorWithId(names, r.actor),
    role: roleText(r.role),
    address: r.address === 'local' ? '서버' : r.address,
    channel: channelText(r.channel),
    action: `${ACCESS_ACTION_LABELS[r.action] ?? r.action}${detail ? ` (${detail})` : ''}`,
    targets,
    scope: scopeText(r.scope, district, names),
    rows: r.rowCount,
  };
}
export type RecordRow = ReturnType<typeof recordRow>;
