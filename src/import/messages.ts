/** Korean text of list imports, in one place. */

export const FILE_ERROR_KO = {
  empty: '빈 파일입니다. 명단이 담긴 CSV 또는 XLSX 파일을 올려 주세요.',
  no_rows: '머리글(첫 행) 아래에 명단 행이 없습니다.',
  not_table: 'CSV 또는 XLSX(엑셀) 파일만 올릴 수 있습니다.',
  xls_legacy:
    '예전 엑셀 형식(.xls)은 읽지 않습니다. 엑셀에서 "다른 이름으로 저장 → Excel 통합 문서(.xlsx)"로 저장해 올려 주세요.',
  too_large: '파일이 너무 큽니다 (최대 20MB). 명단을 나누어 올려 주세요.',
  cut_short: '파일이 끝까지 전송되지 않았습니다 (최대 20MB). 아무것도 저장하지 않았으니 다시 올려 주세요.',
  form_too_large: '양식 항목이 너무 깁니다 (항목당 최대 4,096자, 항목 10개). 아무것도 저장하지 않았습니다.',
  too_many_rows: '행이 너무 많습니다 (최대 20,000행). 명단을 나누어 올려 주세요.',
  too_many_columns: '열이 너무 많습니다 (최대 100열).',
  formula: '수식이 들어 있는 파일은 받지 않습니다. 엑셀에서 값만 붙여넣기(또는 값으로 저장)한 뒤 다시 올려 주세요.',
  broken_csv: 'CSV 파일의 따옴표(")가 닫히지 않았거나 형식이 깨져 있습니다. 원본을 확인해 주세요.',
  encoding: '문자 인코딩을 알 수 없습니다. UTF-8 또는 CP949(EUC-KR)로 저장해 주세요.',
  zip_bomb: '압축을 풀면 비정상적으로 커지는 파일이라 열지 않았습니다. 원본 엑셀에서 다시 저장해 올려 주세요.',
  broken_xlsx: 'XLSX 파일이 손상되었거나 엑셀 통합 문서가 아닙니다.',
  cell_too_long: '한 칸의 내용이 너무 깁니다 (최대 2,000자).',
} as const;
export type FileErrorCode = keyof typeof FILE_ERROR_KO;

/** Why one row is not filed; each becomes the 사유 column of the rejected-rows file. */
export const ROW_ERROR_KO = {
  no_address: '주소가 비어 있습니다.',
  outside: (place: string) => `관할 구역 밖의 주소입니다 (${place}).`,
  no_name: '성명이 비어 있습니다.',
  bad_name: '성명에 쓸 수 없는 글자가 있습니다 (한글·영문 30자 이내).',
  bad_birth: '생년월일을 읽을 수 없습니다 (예: 1950-03-02, 19500302, 500302).',
  bad_age: '나이를 읽을 수 없습니다 (예: 75, 70대, 1950년생).',
  bad_phone: '전화번호를 읽을 수 없습니다 (예: 010-1234-5678, 02-123-4567).',
  bad_sign: (v: string) => `알 수 없는 위기 징후입니다 (${v}).`,
  bad_urgency: (v: string) => `알 수 없는 긴급도입니다 (${v}). 즉시 위험·빠른 확인 필요·일반 중 하나로 적어 주세요.`,
  situation_too_long: '상황 설명이 1,000자를 넘습니다.',
} as const;
export type RowErrorCode = keyof typeof ROW_ERROR_KO;

/** The report fields a list's columns map to, as the mapping form names them. */
export const FIELD_LABELS = {
  name: '성명',
  birth: '생년월일',
  age: '나이',
  address: '주소',
  phone: '전화번호',
  signs: '위기 징후',
  situation: '상황',
  urgency: '긴급도',
} as const;

export const OUTCOME_LABELS = {
  create: '새 신고로 접수',
  link: '열린 신고에 연결 (중복)',
  in_file: '파일 안 중복 (앞 행에 연결)',
  unresolved: '동 선택 필요',
  rejected: '제외 (오류)',
} as const;

export const MAPPING_ERROR_KO = {
  need_address: '주소 열을 지정해 주세요.',
  need_name: '성명 열을 지정해 주세요.',
  unknown_column: (c: string) => `파일에 없는 열입니다: ${c}`,
  need_sign: '명단의 위기 징후를 하나 이상 골라 주세요.',
} as const;

export const IMPORT_KO = {
  duplicateFile: '이미 올린 파일입니다. 같은 명단을 다시 접수하지 않도록 이전 가져오기로 이동했습니다.',
  unknownPartner: '사용 중인 협약기관을 골라 주세요 (초대 코드를 회수한 기관은 고를 수 없습니다).',
  needListName: '명단 이름을 적어 주세요 (예: 한전 2026-11 장기체납).',
  notFound: '가져오기를 찾을 수 없습니다.',
  notPreviewed: '먼저 열을 지정하고 미리보기를 확인해 주세요.',
  committed: '접수를 마쳤습니다.',
  fileGone: '원본 파일이 보관 기간이 지나 지워졌습니다.',
  forbidden: '명단 가져오기는 콜센터 직원과 관리자만 할 수 있습니다.',
  noFile: '파일을 골라 주세요.',
  oneFile: '파일은 한 번에 하나만 올릴 수 있습니다. 아무것도 저장하지 않았습니다.',
} as const;
