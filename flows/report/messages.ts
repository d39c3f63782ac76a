/** Every Korean sentence the report flow says, in one place. */
export const EMERGENCY = '생명이 위급하면 지금 바로 112(경찰) 또는 119(소방)에 전화해 주세요.';

export const msg = {
  idleFor: (district: string) =>
    `안녕하세요. ${district} 복지사각지대 신고 채널 「사각」입니다.\n위기가 의심되는 가구를 알리시려면 "신고"를, 내 신고 내역은 "조회"를 눌러 주세요.`,
  help: [
    '도움말',
    '· 신고: 위기 의심 가구 신고 시작',
    '· 조회: 내 최근 신고 5건',
    '· 처음으로: 신고를 처음부터 다시',
    '· 취소: 신고 중단 (저장되지 않음)',
    '· 모름 / 건너뛰기: 모르는 항목 넘기기',
    EMERGENCY,
  ].join('\n'),
  cancelled: '신고를 취소했습니다. 입력하신 내용은 저장되지 않았습니다.',
  nothingToCancel: '진행 중인 신고가 없습니다.',
  expired: '24시간 동안 응답이 없어 진행 중이던 신고가 만료되었습니다. 입력하신 내용은 저장되지 않았습니다. 처음부터 다시 시작해 주세요.',
  restartedAfterUpdate: '서비스가 새로워져 신고를 처음부터 다시 시작합니다.',

  askInvite:
    '처음 이용하시는군요. 소속 기관의 초대 코드를 입력해 주세요. (예: K7QM-4XPD)\n초대 코드는 구청 복지정책과에서 협약기관에 드립니다.',
  unlinkedHelp: (district: string) =>
    `초대 코드가 없으면 ${district} 복지정책과에 기관 등록을 문의해 주세요. 급한 상담은 보건복지상담센터 129, 위급한 상황은 112·119로 연락해 주세요.`,
  badInvite: '초대 코드를 확인할 수 없습니다. 코드를 다시 입력하시거나 "취소"를 눌러 주세요.',
  linked: (partner: string) => `${partner} 소속으로 등록되었습니다. 이제 신고하실 수 있습니다.`,
  partnerRevoked: (partner: string) =>
    `${partner}의 신고 권한이 해제되어 신고할 수 없습니다. 구청 복지정책과에 문의해 주세요. 급한 상담은 129, 위급한 상황은 112·119로 연락해 주세요.`,

  askAddress: '1/8 위기 의심 가구의 주소를 입력해 주세요.\n(예: 홍제3동 ○○아파트 101동, 연희로 123, 북가좌동 123-4)',
  addressTooShort: '주소를 조금 더 자세히 입력해 주세요. (2자 이상)',
  addressTooLong: '주소가 너무 깁니다. 200자 이내로 입력해 주세요.',
  outside: (place: string, district: string) =>
    `입력하신 주소(${place})는 ${district} 밖입니다. ${district} 주소만 접수할 수 있습니다. 주소를 다시 입력해 주세요. 다른 지역 가구는 보건복지상담센터 129로 알려 주세요.`,
  confirmDong: (dong: string) => `이 주소는 ${dong} 주민센터 관할로 확인됩니다. 맞습니까?`,
  chooseDong: (reason: 'split-legal-dong' | 'not-found') =>
    reason === 'split-legal-dong'
      ? '이 법정동은 여러 행정동에 걸쳐 있습니다. 관할 주민센터(행정동)를 골라 주세요. 모르시면 "모름"을 눌러 주세요. (번호나 이름으로 입력해도 됩니다)'
      : '주소에서 행정동을 찾지 못했습니다. 관할 동을 골라 주세요. 모르시면 "모름"을 누르면 콜센터에서 정합니다. (번호나 이름으로 입력해도 됩니다)',
  dongChosen: (dong: string) => `${dong} 주민센터로 연결합니다.`,
  dongUnknown: '관할 동은 콜센터에서 확인해 배정합니다.',
  pickFromList: '목록에서 골라 주세요.',

  askSigns: (chosen: string[]) =>
    `2/8 발견하신 위기 징후를 모두 골라 주신 뒤 "선택 완료"를 눌러 주세요. (다시 누르면 선택이 풀립니다)\n현재 선택: ${chosen.length ? chosen.join(', ') : '없음'}`,
  signsNeedOne: '위기 징후를 하나 이상 골라 주세요.',

  askName: '3/8 대상자 이름을 알려 주세요. 모르면 "모름"을 눌러 주세요.',
  badName: '이름은 한글 또는 영문 30자 이내로 입력해 주세요. 모르면 "모름"을 눌러 주세요.',
  askAge: '4/8 대상자의 나이나 출생연도를 알려 주세요. (예: 75, 70대, 1950) 모르면 "모름"을 눌러 주세요.',
  badAge: '나이(예: 75), 나이대(예: 70대) 또는 출생연도(예: 1950)로 입력해 주세요. 모르면 "모름"을 눌러 주세요.',
  askPhone: '5/8 대상자 연락처를 알려 주세요. (예: 010-1234-5678) 모르면 "모름"을 눌러 주세요.',
  badPhone: '전화번호 형식이 아닙니다. 010-1234-5678처럼 입력하시거나 "모름"을 눌러 주세요.',
  askSituation: '6/8 현장에서 보신 상황을 적어 주세요. (5자 이상 1,000자 이내)',
  situationTooShort: '상황을 5자 이상으로 적어 주세요.',
  situationTooLong: (n: number) => `1,000자 이내로 줄여 주세요. (지금 ${n}자)`,
  askUrgency: '7/8 얼마나 급한가요?\n· 즉시 위험: 지금 생명·안전이 위험\n· 빠른 확인 필요: 며칠 안에 확인 필요\n· 일반',
  immediateWarning: `⚠️ ${EMERGENCY} 신고는 계속 접수됩니다.`,

  summaryTitle: '8/8 신고 내용을 확인해 주세요.',
  summaryActions: '맞으면 "접수", 고칠 항목이 있으면 "수정", 그만두시려면 "취소"를 눌러 주세요.',
  chooseField: '어느 항목을 고칠까요?',
  received: (receiptNo: string, dong: string) =>
    `접수되었습니다. 접수번호: ${receiptNo}\n오늘 중 콜센터에서 1차 상담을 진행하고 ${dong} 주민센터로 연계합니다. 진행 상황은 "조회"로 확인하실 수 있습니다. 감사합니다.`,

  submitting: '접수하고 있습니다. 잠시 후 아무 메시지나 보내시면 접수번호를 알려 드립니다.',
  lostRace: '같은 질문에 먼저 보내신 답이 있어 이 메시지는 반영하지 않았습니다.',
  movedOnUnseen: '앞서 보내신 메시지가 처리되어 신고가 다음 단계로 넘어갔습니다. 지금 단계를 확인해 주세요.',
  lateKept: '잠시 후 다시 시도해 주세요. 방금 보내신 내용은 반영되지 않았고, 앞서 입력하신 내용은 그대로 있습니다.',
  lateUnsure: '잠시 후 다시 시도해 주세요. 방금 보내신 내용이 반영되었는지는 다음 메시지에서 알려 드립니다.',

  noReports: '아직 신고하신 내역이 없습니다.',
  reportsTitle: '최근 신고 내역 (최대 5건)',
  notLinkedForLookup: '등록된 기관 사용자만 신고 내역을 조회할 수 있습니다.',
} as const;

export const UNKNOWN = '모름';
export const SKIP_WORDS = ['모름', '건너뛰기', '모르겠음', '없음', 'skip'];
export const DONE_SIGNS = '선택 완료';
export const YES = '맞음';
export const CHOOSE_OTHER_DONG = '동 직접 선택';
export const RETYPE_ADDRESS = '주소 다시 입력';
export const SUBMIT = '접수';
export const EDIT = '수정';
export const CANCEL = '취소';
