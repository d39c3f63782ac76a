import { ageSchema, type Age, type Sex } from '../../src/domain/report/age';
import type { Urgency } from '../../src/domain/report/urgency';
import { seoulParts } from '../../src/domain/time';
import { NATIVE_TENS, parseAge, parseName, SINO } from '../../src/domain/report-fields/parse';

/**
 * Answers as people give them. Each parser returns a value or undefined; the step's re-prompt
 * then says what is expected, with an example.
 */

/** What "I don't know" and "skip" are typed as (spaces and trailing punctuation taken off first). */
const UNKNOWN_WORDS = new Set([
  '모름',
  '모름요',
  '모르겠음',
  '모르겠어요',
  '모르겠습니다',
  '모르겠네요',
  '몰라요',
  '몰라',
  '모릅니다',
  '미상',
  '알수없음',
  '알수없어요',
  '없음',
  '없어요',
  '건너뛰기',
  '건너뛸게요',
  '건너뛸래요',
  '넘어가기',
  '패스',
  '글쎄요',
  '확인안됨',
  '확인불가',
  'skip',
  'pass',
  'unknown',
]);

/** "모름", "이름 모름", "잘 모르겠어요", "건너뛰기", "패스": the person does not know (the field is stored as unknown). */
export function isUnknownAnswer(text: string): boolean {
  const t = text
    .replace(/\s+/g, '')
    .replace(/[.!~。ㅠㅜ;]+$/u, '')
    .replace(/^(이름|성함|나이|연세|연락처|전화번호|전화|번호)(은|는)?/, '')
    .replace(/^잘/, '');
  return UNKNOWN_WORDS.has(t.toLowerCase());
}

/** Text folded for matching phrases: NFC, no spaces, lower case ("가스 냄새" = "가스냄새"). */
export const folded = (text: string) => text.normalize('NFC').replace(/\s+/g, '').toLowerCase();

/** The first of the district's danger phrases the text contains (spaces ignored), if any. */
export function findDanger(text: string, phrases: readonly string[]): string | undefined {
  const t = folded(text);
  if (!t) return undefined;
  return phrases.find((p) => t.includes(folded(p)));
}

/** Words a sign's label is made of ("우편물·전단지 적체" → 우편물, 전단지, 적체), for matching typed text. */
const labelWords = (label: string) => label.split(/[\s·,/()]+/).filter((w) => [...w].length >= 2);

/**
 * The district's signs a typed message names, in the list's order: "우편물이 쌓여 있어요" →
 * mail_piled; "혼자 사시고 거동이 불편하세요" → living_alone and ill_immobile. Each sign matches
 * its label's words and its `words` from the signs file, spaces ignored. "기타" is never guessed.
 */
export function matchSigns(
  text: string,
  signs: readonly { code: string; label: string }[],
  signWords: Record<string, string[]>,
): string[] {
  const t = folded(text);
  if (!t) return [];
  return signs
    .filter((s) => s.code !== 'other')
    .filter((s) => [...labelWords(s.label), ...(signWords[s.code] ?? [])].some((w) => t.includes(folded(w))))
    .map((s) => s.code);
}

/** What a typed urgency means; `confirm` when the words could mean more than they say (asked back). */
export interface TypedUrgency {
  urgency: Urgency;
  confirm: boolean;
}

const NOT_URGENT =
  /안급|(급|위험)하(지|진)(는|도)?않|(급|위험)한(건|거)아니|천천히|나중에|여유|보통|일반|평소|괜찮|notbad|noturgent|norush|normal|later/;
const RIGHT_NOW =
  /즉시|당장|지금|위험|응급|긴급|위급|생명|목숨|큰일|매우급|엄청급|너무급|아주급|많이급|urgent|emergency|asap|danger|now|immediate/;
const SOON = /급해|급함|급합|급하|급한|빨리|빠른|빠르게|서둘|며칠|조만간|이번주|내일|soon|quick|fast|prompt|hurry/;

/**
 * "급해요", "빨리요", "위험해요", "지금요", "urgent" → an urgency to confirm; "천천히", "급하지 않아요"
 * → 일반. Negations are read first, so "급하지 않아요" is not urgent.
 */
export function parseUrgency(text: string): TypedUrgency | undefined {
  const t = folded(text).replace(/[.!?~。]+$/u, '');
  if (!t) return undefined;
  if (NOT_URGENT.test(t)) return { urgency: 'normal', confirm: false };
  if (RIGHT_NOW.test(t)) return { urgency: 'immediate', confirm: true };
  if (SOON.test(t)) return { urgency: 'prompt', confirm: true };
  return undefined;
}

/** Job titles, roles and places reporters name themselves with ("집배원 박정호입니다", "한전 검침원 김민수예요"). */
const TITLES = new Set(
  (
    '집배원 우체부 우편배달원 검침원 통장 반장 이장 복지통장 요양보호사 생활지원사 생활관리사 사회복지사 복지사 복지플래너 간호사 방문간호사 ' +
    '경비원 경비 관리소장 관리인 관리원 관리사무소 택배기사 택배 배달원 배달기사 기사 자원봉사자 봉사자 상담원 상담사 직원 팀장 과장 주임 대리 ' +
    '실장 소장 센터장 선생님 선생 목사 목사님 신부 신부님 스님 전도사 이웃 주민 집주인 건물주 주인 주인집 편의점 약사 한전 한국전력 우체국 도시가스 ' +
    '가스 수도 검침 공무원 주무관 활동가 매니저 위원 지킴이 이웃지킴이 명예사회복지공무원 부녀회장 노인회장 회장 총무 요양사 보호사 ' +
    '동장 구청 주민센터 행정복지센터 복지관 경로당 교회 성당 병원 약국 사장 사장님 대표 직원분 담당자 담당 기관 소속 ' +
    '신고자 본인 제보자 작성자 사회복무요원 복무요원 돌봄 돌봄매니저 방문 간호 가스검침원 수도검침원 전기검침원'
  ).split(' '),
);
/** A place or organisation a title hangs on: "서대문우체국", "홍제3동", "○○복지관". */
const ORG =
  /(우체국|센터|복지관|교회|성당|병원|약국|지사|공사|아파트|사무소|협회|재단|지점|본부|회사|상회|마트|편의점|의원|경찰서|소방서|구청|시청|동|가스|전력|택배|은행|학교|통|반)$/;
/** Words around a name that are not it: connectors and particles of a sentence. */
const FILLERS = new Set(
  '인데요 인데 이고 이고요 하는 일하는 근무하는 나온 에서 소속 소속의 그리고 제가 저희 네 예 안녕하세요'.split(' '),
);
/** Whole answers that are no name (a person described, a yes). */
const NOT_NAMES = new Set(
  '할머니 할아버지 어르신 노인 남자 여자 남자분 여자분 아니 남성 여성 아저씨 아주머니 아줌마 총각 청년 학생 아이 애기 아기 네 예 아니요 아뇨 없음 혼자 이웃 주민 모름 몰라 모르겠음 본인 저 나 대상자 사람'.split(
    ' ',
  ),
);
const SENTENCE_LEAD =
  /^(안녕하세요[,.!]?\s*|성은\s*|성이\s*|저는\s*|전\s+|저\s+|제\s*이름은\s*|제\s*이름\s*|이름은\s*|이름\s+|성함은\s*|성함\s+|대상자\s*(이름|성함)?(은|는)\s*|대상자\s+|신고자는?\s*|본인은?\s*)+/;
const SENTENCE_END =
  /(이라고\s*합니다|라고\s*합니다|이라고\s*해요|라고\s*해요|이라고\s*하세요|라고\s*하세요|이신\s*것\s*같아요|인\s*것\s*같아요|인\s*것\s*같습니다|같아요|같습니다|인\s*듯해요|인\s*듯|입니다|이세요|세요|이에요|예요|이요|인데요|이고요|씨요|요)$/;
/** An ending that makes a token a verb or a sentence, not a name. */
const VERBISH = /(요|니다|세요|어|아|해|죠|네|음|함|됨|임|고|며|서)$/;
const HONORIFIC_WORDS = new Set([
  '씨',
  '님',
  '할머니',
  '할아버지',
  '어르신',
  '아주머니',
  '아저씨',
  '여사',
  '여사님',
  '선생님',
  '옹',
  '님이',
  '씨가',
]);
const HONORIFIC_END = /(씨|님|할머니|할아버지|어르신|아주머니|아저씨|여사님|여사|선생님)$/;
const HANGUL_NAME = new RegExp(`^[가-힣][가-힣${'○◯〇●◎＊*'}OX]{0,4}$`);

function stripParticle(token: string): string {
  return token.replace(/(에서|에서는|에|의|은|는|이|가)$/, '');
}
const isTitle = (token: string) => {
  const bare = token.replace(/님$/, '');
  const noParticle = stripParticle(bare);
  return (
    TITLES.has(bare) ||
    TITLES.has(noParticle) ||
    ((ORG.test(noParticle) || /\d/.test(noParticle)) && [...noParticle].length >= 2 && !HANGUL_NAME.test(noParticle))
  );
};

/**
 * A person's name as reporters give it, the sentence and titles around it taken off: "집배원
 * 박정호입니다" → 박정호, "저는 한전 검침원 김민수예요" → 김민수, "홍길동 할머니" → 홍길동,
 * "김 씨" → 김씨, "Nguyen Van A" as typed, "김○○ (성은 김씨, 이름 모름)" kept as a note.
 * Undefined when what is left is not one name ("혼자 사세요", "할머니").
 */
export function parsePersonName(text: string): string | undefined {
  let t = text
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?~。,]+$/u, '')
    .trim();
  if (!t || [...t].length > 60) return undefined;
  if (/[()]/.test(t)) return parseName(t);
  if (t.split(' ').some((w) => /^\d|\d{2,}/.test(w))) return undefined; // a number, an address or a phone: no name
  t = t.replace(SENTENCE_LEAD, '').replace(/씨(요|입니다|예요|이에요|고요)$/, '씨');
  for (let i = 0; i < 2; i++) t = t.replace(SENTENCE_END, '').trim();
  const latin = /^[A-Za-z][A-Za-z .'’-]*$/.test(t);
  if (latin) return parseName(t);
  let tokens = t.split(' ').filter((w) => w && !FILLERS.has(w) && !isTitle(w));
  // "김 씨", "홍길동 할머니", "박정호님": the honorific goes, a lone surname keeps its 씨
  tokens = tokens.flatMap((w, i) => {
    if (HONORIFIC_WORDS.has(w)) return i > 0 && w.startsWith('씨') && [...tokens[i - 1]!].length === 1 ? ['씨'] : [];
    if (/^[가-힣]씨$/.test(w)) return [w];
    return [w.replace(HONORIFIC_END, '')].filter(Boolean);
  });
  const joined = tokens.join(' ').replace(/^([가-힣]) 씨$/, '$1씨');
  const parts = joined.split(' ').filter(Boolean);
  if (parts.length === 0 || parts.length > 2) return undefined;
  if (parts.some((p) => NOT_NAMES.has(p))) return undefined;
  // two words are a name only as surname and given name: "홍 길동", "남궁 민수"
  if (parts.length === 2 && !([...parts[0]!].length <= 2 && [...parts[1]!].length >= 2 && [...parts[1]!].length <= 3))
    return undefined;
  const name = parts.length === 1 && /^[가-힣]$/.test(parts[0]!) ? `${parts[0]}씨` : parts.join(' ');
  const compact = name.replace(/\s/g, '');
  if (NOT_NAMES.has(compact) || NOT_NAMES.has(name)) return undefined;
  if (
    !/^[가-힣]씨$/.test(compact) &&
    (!HANGUL_NAME.test(compact) ||
      (VERBISH.test(compact) && [...compact].length > 1 && !/[○◯〇●◎＊*OX]$/.test(compact)))
  )
    return undefined;
  return parseName(name);
}

/** The reporter's own name: a person's name without masks or a lone surname (the call center calls them back by it). */
export function parseReporterName(text: string): string | undefined {
  const name = parsePersonName(text);
  if (!name || /[○◯〇●◎＊*]/.test(name) || /^[가-힣]씨$/.test(name)) return undefined;
  return name;
}

const FEMALE_WORDS = [
  '할머니',
  '할매',
  '여성',
  '여자',
  '아주머니',
  '아줌마',
  '여사',
  '부인',
  '어머니',
  '어머님',
  '모친',
  '엄마',
  '아가씨',
  '언니',
  '누나',
  '며느리',
  '딸',
];
const MALE_WORDS = [
  '할아버지',
  '할배',
  '영감',
  '남성',
  '남자',
  '아저씨',
  '총각',
  '부친',
  '아버지',
  '아버님',
  '아빠',
  '청년',
  '아들',
  '오빠',
  '형님',
];
/** "70대 여", "75세 남", "여 80": the one-letter forms, standing alone or after the age. */
const FEMALE_SHORT = /(^|[\s\d세살대,])(여|녀)(분|이에요|예요|입니다|요)?($|[\s,.])/;
const MALE_SHORT = /(^|[\s\d세살대,])남(분|이에요|이요|입니다)?($|[\s,.])/;

/** "70대 할머니" → female, "60대 남자분" → male, "75세 여" → female; undefined when not said (or both are). */
export function parseSex(text: string): Sex | undefined {
  const t = text.normalize('NFC').toLowerCase();
  const female = FEMALE_WORDS.some((w) => t.includes(w)) || FEMALE_SHORT.test(t) || /\b(female|woman)\b/.test(t);
  const male = MALE_WORDS.some((w) => t.includes(w)) || MALE_SHORT.test(t) || /\b(male|man)\b/.test(t);
  if (female && !male) return 'female';
  if (male && !female) return 'male';
  return undefined;
}

/** What the age question gives: the age as far as it is known and the person's sex when it was said. */
export interface AgeAnswer {
  age: Age | null;
  sex?: Sex;
}

/** An age said with more than a number: "80세 넘은", "60대 같아요", "칠십 넘으신 할아버지" (the rest of the words are taken off). */
const AGE_IN_TEXT: [RegExp, (m: RegExpExecArray) => Age | undefined][] = [
  [/(\d{4})\s*(년생|년|생)/, (m) => ({ kind: 'birthYear', value: Number(m[1]) })],
  [/(?<!\d)(\d{2})\s*년생/, (m) => ({ kind: 'birthYear', value: Number(m[1]) })],
  [/(?<!\d)(\d{1,2})0\s*대/, (m) => ({ kind: 'decade', value: Number(m[1]) * 10 })],
  [
    /(?<!\d)(\d{1,3})\s*(세|살)\s*(넘|이상|넘은|넘어|넘으)/,
    (m) => ({ kind: 'decade', value: Math.floor(Number(m[1]) / 10) * 10 }),
  ],
  [/(?<!\d)(\d{1,3})\s*(넘|이상)/, (m) => ({ kind: 'decade', value: Math.floor(Number(m[1]) / 10) * 10 })],
  [/(?<!\d)(\d{1,3})\s*(세|살)/, (m) => ({ kind: 'age', value: Number(m[1]) })],
  [
    /(?<!\d)(\d{1,3})\s*(쯤|정도|가량|내외|즈음|께|이요|요|이에요|예요|입니다)/,
    (m) => ({ kind: 'age', value: Number(m[1]) }),
  ],
];

/**
 * The age question's answer as people give it: an age alone (parseAge), or with sex and words
 * around it ("70대 할머니", "60대 남자분 같아요", "80세 넘은 할아버지"), or the sex alone
 * ("할머니예요": age unknown). Undefined when neither can be read.
 */
export function parseAgeAnswer(text: string, now: Date): AgeAnswer | undefined {
  const t = koreanAgeWords(text.normalize('NFC').replace(/\s+/g, ' ').trim());
  const sex = parseSex(t);
  // "90세 이상", "80 넘은": the decade, not the number (parseAge would read 90)
  const plain = /넘|이상/.test(t) ? undefined : parseAge(t, now);
  const withSex = (age: Age | null): AgeAnswer => (sex ? { age, sex } : { age });
  if (plain) return withSex(plain);
  if ((t.match(/\d+/g) ?? []).length > 1 && !/\d{2,4}\s*(년생|대|세|살)/.test(t)) return undefined;
  if (/\d{5,}|\d{2,4}-\d/.test(t)) return undefined; // a phone number or an address, not an age
  for (const [re, make] of AGE_IN_TEXT) {
    const m = re.exec(t);
    if (!m) continue;
    const age = make(m);
    if (age?.kind === 'birthYear') {
      const thisYear = seoulParts(now).year;
      if (age.value < 100) age.value = 2000 + age.value <= thisYear ? 2000 + age.value : 1900 + age.value;
      if (age.value > thisYear) return undefined;
    }
    const parsed = age ? ageSchema.safeParse(age) : undefined;
    return parsed?.success ? withSex(parsed.data) : undefined;
  }
  if (!/\d/.test(t) && sex && [...t].length <= 20) return { age: null, sex };
  return undefined;
}

/** "칠십", "팔십오", "일흔" anywhere in the text as digits, so "칠십 넘으신 할아버지" reads like "70 넘으신". */
const NATIVE_ONES: Record<string, number> = {
  하나: 1,
  한: 1,
  둘: 2,
  두: 2,
  셋: 3,
  세: 3,
  넷: 4,
  네: 4,
  다섯: 5,
  여섯: 6,
  일곱: 7,
  여덟: 8,
  아홉: 9,
};
function koreanAgeWords(t: string): string {
  return t
    .replace(
      /(스물|서른|마흔|쉰|예순|일흔|여든|아흔)\s?(하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉|(?:한|두|세|네)(?=\s*살))?/g,
      (_w, tens: string, ones?: string) => String(NATIVE_TENS[tens]! + (ones ? NATIVE_ONES[ones]! : 0)),
    )
    .replace(
      /([일이삼사오육칠팔구])십([일이삼사오육칠팔구](?![십백천]))?(?=\s*(대|세|살|넘|이상|\s|$|쯤|정도))/g,
      (_m, tens: string, ones?: string) => String(SINO[tens]! * 10 + (ones ? SINO[ones]! : 0)),
    );
}

/** Why a typed address cannot be one, for the re-prompt: a link, another language, or words with no place in them. */
export type AddressProblem = 'link' | 'language' | 'not-place';

const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|kr|org|io|me|ly|co)\b)/i;
/** Words that end like a place ("연희로", "홍은동", "가좌리") or name one ("아파트", "우체국", "근처"). */
const PLACE_END = /([가-힣](동|로|길|리|읍|면)|\d가)$/;
const PLACE_WORD =
  /(아파트|빌라|빌딩|맨션|주택|오피스텔|하이츠|캐슬|타운|마을|상가|시장|역|학교|교회|성당|공원|센터|병원|우체국|근처|건너편|맞은편|골목|번지|서울|구청|주민센터|[가-힣]구$)/;

/**
 * What makes a typed address no address before any lookup: a URL, text with no Hangul (another
 * language), or Hangul words with no number and nothing shaped like a place ("할머니가 혼자 사세요").
 * Undefined when it may be an address (the resolver then decides).
 */
export function addressProblem(text: string): AddressProblem | undefined {
  const t = text.normalize('NFC').trim();
  if (LINK.test(t)) return 'link';
  const hangul = (t.match(/[가-힣ㄱ-ㅣ]/g) ?? []).length;
  const letters = (t.match(/\p{L}/gu) ?? []).length;
  if (hangul === 0) return letters > 0 ? 'language' : /\d/.test(t) ? undefined : 'not-place';
  if (letters - hangul > hangul * 2) return 'language';
  if (/\d/.test(t)) return undefined;
  const words = t.split(/[\s,()[\]·/]+/).filter(Boolean);
  const placeLike = words.some((w) => (PLACE_END.test(w) && !/으로$/.test(w)) || PLACE_WORD.test(w));
  return placeLike ? undefined : 'not-place';
}
