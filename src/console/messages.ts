import { LIST_MATCH_ACTION } from '../domain/list-import/list-match';
import type { ReportActionType } from '../domain/workflow/report-actions';

/** Korean text of the console, in one place. */
export const ACTION_LABELS: Record<ReportActionType, string> = {
  consult: '1차 상담 기록',
  assign: '동 주민센터 배정',
  request_visit: '방문 요청',
  visit_result: '방문 결과 보고',
  follow_up: '사후관리 예약',
  close: '종결',
  reopen: '재개',
  merge_duplicate: '중복 신고로 병합',
  keep_separate: '별도 신고로 유지',
  set_assignee: '담당 상담원 지정',
  follow_up_call: '안부 전화 기록',
  set_cadence: '안부 주기 변경',
  end_follow_up: '사후관리 종료',
  add_details: '신고자 추가 내용',
  acknowledge_urgent: '긴급 알림 확인',
  correct_name: '이름 정정',
  correct_phone: '연락처 정정',
  correct_sex: '성별 정정',
  correct_age: '나이 정정',
  correct_address: '주소 정정',
};

export const HISTORY_LABELS: Record<string, string> = {
  ...ACTION_LABELS,
  [LIST_MATCH_ACTION]: '명단에서 다시 확인',
  received: '접수',
  anonymise: '보존기간 경과 익명화',
  add_photos: '사진 추가',
};

export const ROLE_LABELS = { admin: '관리자', staff: '콜센터 상담원', dong: '동 주민센터' } as const;

export const ko = {
  title: '사각 · 복지사각지대 신고 콘솔',
  signIn: '로그인',
  signOut: '로그아웃',
  username: '아이디',
  password: '비밀번호',
  invalidLogin: '아이디 또는 비밀번호가 맞지 않습니다.',
  rateLimited: '로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.',
  expiredForm: '화면이 오래되었습니다. 다시 시도해 주세요.',
  queue: '신고 목록',
  noReports: '조건에 맞는 신고가 없습니다.',
  notFound: '신고를 찾을 수 없습니다.',
  invalidInput: '입력값을 확인해 주세요.',
  done: '처리했습니다.',
  unchanged: '바뀐 내용이 없어 저장하지 않았습니다.',
};
