import type { SkillResponse } from '../../adapters/kakao';
import { TEST_SKILL_SECRET } from './app';

/** Builds the body Open Builder posts for one utterance (see shared/PROTOCOLS.md §1). */
export function skillBody(userId: string, utterance: string, clientExtra: Record<string, unknown> = {}) {
  return {
    intent: { id: 'fallback', name: '폴백 블록' },
    userRequest: {
      timezone: 'Asia/Seoul',
      params: {},
      block: { id: 'fallback', name: '폴백 블록' },
      utterance: `${utterance}\n`,
      lang: 'ko',
      user: { id: userId, type: 'botUserKey', properties: { plusfriendUserKey: `pf_${userId}` } },
    },
    bot: { id: 'bot1', name: '사각' },
    action: { id: 'skill', name: 'sagak', clientExtra, params: {}, detailParams: {} },
    contexts: [],
  };
}

export async function postSkill(baseUrl: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/kakao/skill`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Sagak-Skill-Secret': TEST_SKILL_SECRET, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A KakaoTalk user as the skill server sees one: types text or presses the last reply's quick replies. */
export class KakaoUser {
  last?: SkillResponse;
  /**
   * A patient user sends the same message again after "잠시 후 다시 시도해 주세요", as a person
   * would (used where a test files reports under load, not where it checks the try-again answer).
   */
  patient = true;
  constructor(
    public baseUrl: string,
    public id: string,
  ) {}

  async say(text: string, clientExtra: Record<string, unknown> = {}): Promise<SkillResponse> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.sayOnce(text, clientExtra);
      const retry = answer.template.outputs.some(
        (o) => 'simpleText' in o && o.simpleText.text.includes('잠시 후 다시 시도'),
      );
      if (!this.patient || !retry || attempt >= 8) return answer;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }

  private async sayOnce(text: string, clientExtra: Record<string, unknown>): Promise<SkillResponse> {
    const res = await postSkill(this.baseUrl, skillBody(this.id, text, clientExtra));
    if (res.status !== 200) throw new Error(`skill answered HTTP ${res.status}: ${await res.text()}`);
    const answer = (await res.json()) as SkillResponse;
    // a "try again" answer carries no buttons; the person still has the question's buttons to press again
    const retry =
      !answer.template.quickReplies &&
      answer.template.outputs.some((o) => 'simpleText' in o && o.simpleText.text.includes('잠시 후 다시 시도'));
    this.last =
      retry && this.last?.template.quickReplies
        ? { ...answer, template: { ...answer.template, quickReplies: this.last.template.quickReplies } }
        : answer;
    return this.last;
  }

  /** Presses a quick reply of the last answer by its label, as the KakaoTalk client would. */
  async press(label: string): Promise<SkillResponse> {
    const qr = this.last?.template.quickReplies?.find((q) => q.label === label || q.messageText === label);
    if (!qr) throw new Error(`no quick reply "${label}" in: ${this.labels().join(', ')}`);
    return this.say(qr.messageText, qr.extra);
  }

  text(): string {
    return (this.last?.template.outputs ?? [])
      .map((o) => ('simpleText' in o ? o.simpleText.text : o.textCard.description))
      .join('\n');
  }

  /** The phone buttons of the last answer, as "label:number". */
  calls(): string[] {
    return (this.last?.template.outputs ?? []).flatMap((o) =>
      'textCard' in o ? o.textCard.buttons.map((b) => `${b.label}:${b.phoneNumber}`) : [],
    );
  }

  labels(): string[] {
    return (this.last?.template.quickReplies ?? []).map((q) => q.label);
  }
}

/** Any chat user a test drives (KakaoUser, WebUser, ...): types text or presses a button by label. */
export interface ChatUser {
  say(text: string): Promise<unknown>;
  press(label: string): Promise<unknown>;
}

/** The field worker's own call-back contact every test reporter gives once after linking. */
export const REPORTER_CONTACT = { name: '김집배', phone: '010-9876-5432' };

/** Answers the two questions that follow a first link: the reporter's name and phone. */
export async function giveContact(user: ChatUser): Promise<void> {
  await user.say(REPORTER_CONTACT.name);
  await user.say(REPORTER_CONTACT.phone);
}

/**
 * Walks a linked user (contact given) from "신고" to the summary with typical answers. With
 * 즉시 위험 the report is filed after the address and the summary adds the rest to it.
 */
export async function fillReport(
  user: ChatUser,
  opts: { address?: string; name?: string; urgency?: string } = {},
): Promise<void> {
  await user.say('신고');
  await user.press(opts.urgency ?? '빠른 확인 필요');
  await user.say(opts.address ?? '서울 서대문구 홍제3동 문화촌아파트 101동');
  // 즉시 위험 files at once after the address, without the dong question
  if (opts.urgency !== '즉시 위험') await user.press('맞음');
  await user.press('공과금 체납·단전·단수');
  await user.press('우편물·전단지 적체');
  await user.press('선택 완료');
  await user.say(opts.name ?? '홍길동');
  await user.say('70대');
  await user.say('010 1234 5678');
  await user.say('두 달째 전기요금이 밀렸고 우편물이 문 앞에 쌓여 있습니다.');
}

/**
 * Files the typical report (fillReport's answers) through KakaoTalk as a newly linked user and
 * returns its receipt number: the reference other channels' stored reports are compared with.
 */
export async function fileKakaoTwin(baseUrl: string, inviteCode: string, userId: string): Promise<string> {
  const kakao = new KakaoUser(baseUrl, userId);
  await kakao.say('신고');
  await kakao.say(inviteCode);
  await giveContact(kakao);
  await kakao.say('취소');
  await fillReport(kakao);
  await kakao.press('접수');
  const receipt = /접수번호: (\d{4}-\d{6})/.exec(kakao.text())?.[1];
  if (!receipt) throw new Error(`the KakaoTalk twin was not filed: ${kakao.text().slice(0, 80)}`);
  return receipt;
}

/** A newly linked KakaoTalk user taken to the signs question; returns the sign buttons it is offered. */
export async function signsOffered(baseUrl: string, inviteCode: string, userId: string): Promise<string[]> {
  const kakao = new KakaoUser(baseUrl, userId);
  await kakao.say('신고');
  await kakao.say(inviteCode);
  await giveContact(kakao);
  await kakao.say('취소');
  await kakao.say('신고');
  await kakao.press('빠른 확인 필요');
  await kakao.say('서울 서대문구 홍제3동 문화촌아파트 101동');
  await kakao.press('맞음');
  return kakao.labels();
}
