import type { MayNotFile } from '../../src/domain/partner-may-file';

/** Every Korean sentence the report flow says, in one place. */
export const EMERGENCY = '생명이 위급하면 지금 바로 112(경찰) 또는 119(소방)에 전화해 주세요.';

export const msg = {
  idleFor: (district: string) =>
    `안녕하세요. ${district} 복지사각지대 신고 채널 「사각」입니다.\n위기가 의심되는 가구를 알리시려면 "신고"를, 내 신고 내역은 "조회"를 눌러 주세요.`,
  help: [
    '도움말',
    '· 신고: 위기 의심 가구 신고 시작',
    '· 조회: 내 최근 신고 5건',
    '· 알림 끄기 / 알림 켜기: 신고 처리 소식 받기 설정',
    '· 처음으로: 신고를 처음부터 다시',
    '· 취소: 신고 중단 (저장되지 않음)',
    '· 모름 / 건너뛰기: 모르는 항목 넘기기',
    EMERGENCY,
  ].join('\n'),
  // true also after an urgent report was filed at once: what was 접수된 stays, the rest is dropped
  cancelled: '신고를 취소했습니다. 접수하지 않은 내용은 저장되지 않았습니다.',
  nothingToCancel: '진행 중인 신고가 없습니다.',
  expired:
    '24시간 동안 응답이 없어 진행 중이던 신고가 만료되었습니다. 접수하지 않은 내용은 저장되지 않았습니다. 처음부터 다시 시작해 주세요.',
  restartedAfterUpdate: '서비스가 새로워져 신고를 처음부터 다시 시작합니다.',

  askInvite:
    '처음 이용하시는군요. 소속 기관의 초대 코드를 입력해 주세요. (예: K7QM-4XPD)\n초대 코드는 구청 복지정책과에서 협약기관에 드립니다.',
  unlinkedHelp: (district: string) =>
    `초대 코드가 없으면 ${district} 복지정책과에 기관 등록을 문의해 주세요. 급한 상담은 보건복지상담센터 129, 위급한 상황은 112·119로 연락해 주세요.`,
  badInvite: '초대 코드를 확인할 수 없습니다. 코드를 다시 입력하시거나 "취소"를 눌러 주세요.',
  linked: (partner: string) => `${partner} 소속으로 등록되었습니다. 이제 신고하실 수 있습니다.`,
  partnerRevoked: (partner: string) =>
    `${partner}의 신고 권한이 해제되어 신고할 수 없습니다. 구청 복지정책과에 문의해 주세요. 급한 상담은 129, 위급한 상황은 112·119로 연락해 주세요.`,
  /** Why a partner may not file (partnerMayFile's code), in the chat's words. */
  mayNotFile: (why: MayNotFile, partner?: string): string =>
    msg.partnerRevoked(why === 'inactive' && partner ? partner : '소속 기관'),

  askReporterName:
    '먼저 신고하시는 분(본인)의 연락처를 한 번만 받겠습니다. 콜센터가 궁금한 점을 여쭐 때 쓰며, 동 주민센터에는 보이지 않습니다.\n성함을 알려 주세요. (예: 김민수)',
  badReporterName: '성함은 한글 또는 영문으로 30자 이내로 적어 주세요. (예: 김민수, 집배원 김민수)',
  askReporterPhone: (name: string) =>
    `${name}님께 연락드릴 전화번호를 알려 주세요. (예: 010-1234-5678 또는 02-330-1234)`,
  badReporterPhone:
    '전화번호로 읽을 수 없습니다. 휴대전화(예: 010-1234-5678) 또는 일반전화(예: 02-330-1234)를 숫자로 적어 주세요. 띄어쓰기나 "-"는 있어도 됩니다.',
  reporterContactSaved: '연락처를 저장했습니다. 다음 신고부터는 확인만 하시면 됩니다.',

  photoReceived: (count: number) => `사진을 받았습니다. (이 신고에 ${count}장) 신고를 접수하면 함께 전달됩니다.`,
  photoReceivedFiled: (count: number) => `사진을 받았습니다. 접수된 신고에 붙였습니다. (${count}장)`,
  photoAgain: '이미 받은 사진입니다. 같은 사진은 한 번만 저장했습니다.',
  photoTooMany: (max: number) => `사진은 신고 한 건에 ${max}장까지 붙일 수 있습니다. 이 사진은 저장하지 않았습니다.`,
  photoIdle:
    '사진은 신고를 진행하는 중에 보내 주시면 그 신고에 붙여 전달합니다. 이 사진은 저장하지 않았습니다. 먼저 "신고"를 눌러 주세요.',
  /** Why a photo was not kept: fetching it (the platform's link) or checking it (its bytes). */
  photoRefused: {
    not_allowed:
      '이 링크의 사진은 가져올 수 없습니다. 허용된 곳(채팅 앱)에 올린 사진만 받습니다. 사진을 채팅에 직접 올려 주세요. 저장된 것은 없습니다.',
    expired:
      '사진을 가져오지 못했습니다. 사진 링크가 만료되었거나 열 수 없습니다. 사진을 다시 보내 주세요. 저장된 것은 없습니다.',
    unreachable: '사진을 가져오지 못했습니다. 잠시 후 사진을 다시 보내 주세요. 저장된 것은 없습니다.',
    too_large: '사진 파일이 너무 큽니다. 10MB 이하로 줄여서 다시 보내 주세요. 저장된 것은 없습니다.',
    not_image: '보내신 파일은 사진(JPEG·PNG·GIF·WebP)이 아니어서 받을 수 없습니다. 저장된 것은 없습니다.',
    too_many_pixels: '사진의 해상도가 너무 큽니다(4천만 화소 이하). 줄여서 다시 보내 주세요. 저장된 것은 없습니다.',
    unreadable: '사진 파일이 손상되어 읽을 수 없습니다. 다시 찍거나 다른 사진을 보내 주세요. 저장된 것은 없습니다.',
  },
  /** A map app's link that names no point, or a short link (never opened). */
  mapLinkUnread: '지도 링크에서 위치를 읽을 수 없습니다. 주소를 글로 적어 주세요. (예: 연희로 123, 북가좌동 123-4)',
  dangerHeard: `⚠️ 위급한 상황으로 보입니다. ${EMERGENCY}`,
  dangerOfferIdle:
    '콜센터에 즉시 위험으로 바로 신고하시려면 "긴급 신고"를 눌러 주세요. 주소만 알려 주시면 바로 접수됩니다.',
  dangerOfferRunning:
    '이 신고를 즉시 위험으로 바꿔 바로 접수하시려면 "긴급 신고"를 눌러 주세요. 보내신 답은 그대로 받았습니다.',
  alreadyUrgent: '이미 즉시 위험 신고로 진행 중입니다.',
  urgentNoted: '즉시 위험 신고로 진행합니다. 등록을 마치면 바로 주소를 여쭙겠습니다.',
  confirmUrgency: (label: string, meaning: string) =>
    `"${label}"(${meaning})으로 할까요? 맞으면 "맞음"을, 아니면 아래에서 골라 주세요.`,
  askUrgency: '1/8 얼마나 급한가요?\n· 즉시 위험: 지금 생명·안전이 위험\n· 빠른 확인 필요: 며칠 안에 확인 필요\n· 일반',
  immediateWarning: `⚠️ ${EMERGENCY}`,

  askAddress: '2/8 위기 의심 가구의 주소를 입력해 주세요.\n(예: 홍제3동 ○○아파트 101동, 연희로 123, 북가좌동 123-4)',
  askAddressUrgent:
    '2/8 주소를 알려 주시면 바로 콜센터에 긴급 신고로 전달합니다. 아는 만큼만 적어 주세요.\n(예: 연희로 123, 홍제3동 ○○아파트 101동)',
  addressTooShort:
    '주소를 조금 더 자세히 입력해 주세요. 도로명과 건물번호(예: 연희로 123)나 동과 번지(예: 북가좌동 123-4)면 됩니다.',
  addressTooLong: '주소가 너무 깁니다. 200자 이내로 입력해 주세요. (예: 연희로 123 ○○빌라 201호)',
  outside: (place: string, district: string) =>
    `입력하신 주소(${place})는 ${district} 밖입니다. ${district} 주소만 접수할 수 있습니다. 주소를 다시 입력해 주세요. 다른 지역 가구는 보건복지상담센터 129로 알려 주세요.`,
  confirmDong: (dong: string) => `이 주소는 ${dong} 주민센터 관할로 확인됩니다. 맞습니까?`,
  addressNotPlace:
    '주소로 읽을 수 없습니다. 동 이름, 도로명과 건물번호, 또는 건물 이름을 적어 주세요. (예: 연희로 123, 북가좌동 123-4, 홍제3동 ○○아파트 101동)',
  addressIsLink: '링크는 주소로 받을 수 없습니다. 주소를 글로 적어 주세요. (예: 연희로 123, 북가좌동 123-4)',
  addressOtherLanguage:
    '주소를 한글로 적어 주세요. (예: 연희로 123, 북가좌동 123-4) Please type the address in Korean, e.g. 연희로 123.',
  didYouMean: (meant: string, many: boolean) =>
    `혹시 "${meant}"인가요? ${many ? '맞으면 아래에서 가까운 주민센터를 골라 주세요.' : '맞으면 아래 주민센터를 눌러 주세요.'} 아니면 "주소 다시 입력"을, 모르시면 "모름"을 눌러 주세요.`,
  chooseDong: (reason: 'split-legal-dong' | 'not-found') =>
    reason === 'split-legal-dong'
      ? '이 동네는 담당 주민센터가 여러 곳입니다. 가까운 곳을 골라 주세요. 모르시면 "모름"을 누르면 콜센터에서 정합니다.'
      : '주소만으로는 담당 주민센터를 찾지 못했습니다. 아시면 골라 주시고, 모르시면 "모름"을 누르면 콜센터에서 정합니다. (주민센터 이름을 입력해도 됩니다)',
  dongChosen: (dong: string) => `${dong} 주민센터로 연결합니다.`,
  dongUnknown: '관할 동은 콜센터에서 확인해 배정합니다.',
  pickFromList: '아래 버튼 중에서 골라 주세요. 버튼 이름을 그대로 입력해도 됩니다.',
  pickDong: '아래 주민센터 중에서 골라 주세요. (예: 홍제1동) 모르시면 "모름"을 눌러 주세요.',

  askSigns: (chosen: string[]) =>
    `3/8 발견하신 위기 징후를 모두 골라 주신 뒤 "선택 완료"를 눌러 주세요. (다시 누르면 선택이 풀립니다)\n현재 선택: ${chosen.length ? chosen.join(', ') : '없음'}`,
  signsNeedOne: '위기 징후를 하나 이상 골라 주세요. 해당하는 것이 없으면 "기타"를, 모르시면 "모름"을 눌러 주세요.',
  pickSign:
    '아래 버튼에서 위기 징후를 눌러 골라 주세요. 글로 적으셔도 됩니다. (예: 우편물이 쌓여 있어요) 다 고르셨으면 "선택 완료"를, 모르시면 "모름"을 눌러 주세요.',
  signsTyped: (labels: string[]) => `${labels.join(', ')}: 골랐습니다.`,
  signsSkipped: '위기 징후는 비워 두었습니다. 상황 설명에 적어 주시면 콜센터가 확인합니다.',

  askName: '4/8 대상자 이름을 알려 주세요. 성만 알면 "김씨", 모르면 "모름"이라고 적어 주세요.',
  badName:
    '이름으로 읽을 수 없습니다. 한글·영문 30자 이내로 적어 주세요. (예: 홍길동, 김씨, 김○○) 모르면 "모름"을 눌러 주세요.',
  askAge:
    '5/8 대상자의 나이를 알려 주세요. 대략이어도 됩니다. (예: 75, 70대 할머니, 80세쯤, 1950년생) 모르면 "모름"을 눌러 주세요.',
  badAge:
    '나이로 읽을 수 없습니다. 나이(예: 75), 나이대(예: 70대 할머니, 칠십대), 대략(예: 80세쯤) 또는 출생연도(예: 1950년생)로 적어 주세요. 모르면 "모름"을 눌러 주세요.',
  askPhone: '6/8 대상자 연락처를 알려 주세요. (예: 010-1234-5678, 02-330-1234) 모르면 "모름"을 눌러 주세요.',
  badPhone:
    '전화번호로 읽을 수 없습니다. 휴대전화(예: 010-1234-5678) 또는 일반전화(예: 02-330-1234)를 적어 주세요. "-"는 없어도 됩니다. 모르면 "모름"을 눌러 주세요.',
  askSituation:
    '7/8 현장에서 보신 상황을 적어 주세요. (5자 이상 1,000자 이내, 예: 우편물이 일주일째 쌓여 있고 인기척이 없습니다)',
  situationTooShort: '상황을 5자 이상으로 적어 주세요. (예: 문 앞에 쓰레기가 쌓여 있음)',
  situationTooLong: (n: number) => `1,000자 이내로 줄여 주세요. (지금 ${n.toLocaleString('ko-KR')}자)`,

  summaryTitle: '8/8 신고 내용을 확인해 주세요.',
  summaryActions: '맞으면 "접수", 고칠 항목이 있으면 "수정", 그만두시려면 "취소"를 눌러 주세요.',
  chooseField: '어느 항목을 고칠까요?',
  received: (receiptNo: string, dong: string | null, promise: string) =>
    [
      '접수되었습니다.',
      `접수번호: ${receiptNo}`,
      `${promise} ${dong ? `${dong} 주민센터로 연계합니다.` : '관할 주민센터는 콜센터가 확인해 배정합니다.'}`,
      '진행 상황은 "조회"로 확인하실 수 있습니다. 감사합니다.',
    ].join('\n'),
  promiseUrgent: '콜센터가 확인하고',
  promiseToday: '오늘 근무시간 안에 콜센터가 1차 상담을 시작하고',
  promiseLater: (day: string) => `콜센터 근무시간이 아니어서 ${day} 근무시간에 1차 상담을 시작하고`,
  urgentNow: '즉시 위험 신고로 콜센터 목록 맨 위에 바로 표시됩니다. 근무시간이라 지금 바로 확인해 연락드립니다.',
  urgentOnCall:
    '즉시 위험 신고로 접수해 당직 담당자에게 바로 알렸습니다. 지금은 콜센터 근무시간이 아니어서 당직 담당자가 확인하고 조치합니다. 그 전에 위험하면 112·119에 전화해 주세요.',
  urgentLater: (day: string) =>
    `즉시 위험 신고로 콜센터 목록 맨 위에 표시됩니다. 지금은 콜센터 근무시간이 아니어서 확인은 ${day} 아침입니다. 그 전에 위험하면 112·119에 전화해 주세요.`,

  urgentFiled: (receiptNo: string, now: string) =>
    [
      '긴급 신고로 바로 접수했습니다.',
      `접수번호: ${receiptNo}`,
      now,
      '이어서 아래 질문에 답해 주시면 같은 신고에 더해집니다. 중간에 그만두셔도 접수는 유지됩니다.',
    ].join('\n'),
  detailsAdded: (receiptNo: string) =>
    `긴급 신고에 추가 내용을 더했습니다.\n접수번호: ${receiptNo}\n진행 상황은 "조회"로 확인하실 수 있습니다. 감사합니다.`,
  detailsRefused: (receiptNo: string) =>
    `접수번호 ${receiptNo} 신고에 내용을 더하지 못했습니다. 콜센터가 이미 처리를 마쳤을 수 있습니다. 급한 내용은 콜센터나 112·119로 전화해 주세요.`,
  summaryTitleFiled: (receiptNo: string) => `8/8 접수번호 ${receiptNo} 신고에 더할 내용을 확인해 주세요.`,
  summaryActionsFiled: '맞으면 "접수"를 눌러 주세요. 고칠 항목이 있으면 "수정"을 눌러 주세요.',
  submitting: '접수하고 있습니다. 잠시 후 아무 메시지나 보내시면 접수번호를 알려 드립니다.',
  lostRace: '같은 질문에 먼저 보내신 답이 있어 이 메시지는 반영하지 않았습니다.',
  staleButton: '앞선 질문의 버튼이라 이번 질문의 답으로 받지 않았습니다. 아래 질문에 답해 주세요.',
  movedOnUnseen: '앞서 보내신 메시지가 처리되어 신고가 다음 단계로 넘어갔습니다. 지금 단계를 확인해 주세요.',
  lateKept: '잠시 후 다시 시도해 주세요. 방금 보내신 내용은 반영되지 않았고, 앞서 입력하신 내용은 그대로 있습니다.',
  lateUnsure: '잠시 후 다시 시도해 주세요. 방금 보내신 내용이 반영되었는지는 다음 메시지에서 알려 드립니다.',

  noReports: '아직 신고하신 내역이 없습니다.',
  latestChange: (day: string, what: string) => `최근 처리: ${day} ${what}`,
  reportsTitle: '최근 신고 내역 (최대 5건)',
  notLinkedForLookup: '등록된 기관 사용자만 신고 내역을 조회할 수 있습니다.',
  newsOff:
    '신고 처리 소식 알림을 껐습니다. 처리 상황은 "조회"로 확인하실 수 있습니다. 다시 받으시려면 "알림 켜기"를 입력하세요.',
  newsOn:
    '신고 처리 소식 알림을 켰습니다. 상담, 동 배정, 방문, 사후관리, 종결 소식을 이 채팅으로 알려 드립니다. (밤 9시~아침 8시에는 보내지 않고 아침 8시에 모아서 보냅니다.)',
  notLinkedForNews: '등록된 기관 사용자만 신고 처리 소식을 받을 수 있습니다.',
} as const;

/** Every message longer than this gets a re-prompt before any step sees it (the longest answer is the situation's 1,000). */
export const MAX_MESSAGE_LENGTH = 1000;

export const INPUT_GUARD_TEXTS = {
  tooLong: (n: number, max: number) =>
    `보내신 메시지가 너무 깁니다. (${n.toLocaleString('ko-KR')}자) 한 번에 ${max.toLocaleString('ko-KR')}자까지 받을 수 있으니 줄여서 다시 보내 주세요.`,
  empty: '내용이 비어 있습니다. 아래 질문에 글로 답해 주세요.',
  onlySymbols: '기호나 이모티콘만으로는 답을 알 수 없습니다. 아래 질문에 글로 답해 주세요.',
};

/** Tap-to-call buttons shown with every emergency warning. */
export const EMERGENCY_CALLS = [
  { label: '112 경찰 전화', value: 'call:112', call: '112' },
  { label: '119 소방 전화', value: 'call:119', call: '119' },
];

export const UNKNOWN = '모름';
export const SKIP_WORDS = ['모름', '건너뛰기', '모르겠음', '없음', 'skip'];
export const DONE_SIGNS = '선택 완료';
/** Starts an urgent filing between conversations, or makes the running one urgent (offered when danger is typed). */
export const URGENT = '긴급 신고';
export const YES = '맞음';
export const CHOOSE_OTHER_DONG = '동 직접 선택';
export const RETYPE_ADDRESS = '주소 다시 입력';
export const SUBMIT = '접수';
export const EDIT = '수정';
export const CANCEL = '취소';
export const NEW_REPORT = '새 신고';
export const LOOKUP = '조회';
export const MY_CONTACT = '내 연락처';
