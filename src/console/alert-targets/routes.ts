import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { configuredKinds, sendersFromConfig } from '../../delivery/senders';
import { parseChain, parseHours } from '../../delivery/on-call-input';
import { hoursLabel, onCallAt, type OnCallSetup } from '../../domain/urgent/on-call';
import { TARGET_FIELD_KO, targetFields } from '../../domain/target-address';
import { isAllowedWebhookUrl } from '../../delivery/webhook-sender';
import { ON_CALL_OWNER } from '../../delivery/urgent-route';
import { CALL_CENTER } from '../../domain/alert-target/alert-targets';
import type { StaffTargetKind } from '../../domain/weekly/weekly-delivery';
import type { AuthedRequest } from '../auth';
import type { ConsoleDeps } from '../deps';
import { html, type SafeHtml } from '../../http/html';
import { frame } from '../manage/views';
import { targetHealth, type OwnerTargets } from './health';
import type { TargetWarnings } from './warnings';

const KIND_LABELS: Record<StaffTargetKind, string> = {
  slack: 'Slack',
  telegram: 'Telegram',
  email: '이메일',
  webhook: '웹훅',
};

const callCenterForm = z.object({
  ...targetFields({ trim: true }),
  webhook: z.union([z.literal(''), z.string().trim().max(500).refine(isAllowedWebhookUrl)]),
});
const FORM_KO = {
  webhook: '웹훅 주소는 https://로 시작해야 합니다 (http://는 이 서버 자신, 127.0.0.1만).',
  ...TARGET_FIELD_KO,
} as const;

/** How long a test message may take per target before the page says it failed. */
const TEST_TIMEOUT_MS = 15_000;

type TestResult = { kind: StaffTargetKind; address: string; ok: boolean; error?: string };

function stateText(o: OwnerTargets): SafeHtml {
  if (!o.targets.length) return html`<strong class="late">받을 곳 없음</strong>`;
  if (o.working) return html`작동`;
  return html`<strong class="late">작동하는 곳 없음</strong>`;
}

function targetList(o: OwnerTargets): SafeHtml {
  if (!o.targets.length) return html`<span class="muted">없음</span>`;
  return html`<ul class="plain">${o.targets.map(
    (t) =>
      html`<li>${KIND_LABELS[t.kind]} ${t.address}${t.configured ? '' : html` <strong class="late">(서버에 ${KIND_LABELS[t.kind]} 설정 없음)</strong>`}${t.lastError ? html` <strong class="late">최근 실패: ${t.lastError}</strong>` : ''}</li>`,
  )}</ul>`;
}

/**
 * 알림 받는 곳 (/console/admin/alerts, admins): the call center's alert targets (urgent reports
 * and visit results), each dong center's state (its targets are edited on the dong page), and a
 * 시험 발송 button per owner that sends a test message to each of its targets and shows the result.
 */
export function mountAlertTargetRoutes(
  router: Router,
  deps: ConsoleDeps<'alertTargets' | 'dongCenters' | 'onCall' | 'weeklyDeliveries'>,
  warnings: TargetWarnings,
): void {
  const send = (res: Response, status: number, page: string) => res.status(status).type('html').send(page);
  const show = async (
    req: Request,
    res: Response,
    status: number,
    extra: {
      notice?: SafeHtml | string;
      error?: string;
      results?: { name: string; list: TestResult[] };
      onCallForm?: OnCallFormValues;
    } = {},
  ) => {
    const { auth } = req as AuthedRequest;
    const [health, cc, onCall] = await Promise.all([
      targetHealth(deps),
      deps.repos.alertTargets.of(deps.district.id, CALL_CENTER),
      deps.repos.onCall.setup(deps.district.id),
    ]);
    const p = {
      user: auth.user,
      csrf: auth.csrfToken,
      district: deps.district,
      notice: extra.notice,
      error: extra.error,
    };
    const csrf = html`<input type="hidden" name="_csrf" value="${auth.csrfToken}">`;
    const testButton = (o: OwnerTargets) =>
      html`<form method="post" action="/console/admin/alerts/test/${o.owner}" class="inline">${csrf}<button type="submit" class="secondary"${o.targets.length ? '' : html` disabled`}>${o.name} 시험 발송</button></form>`;
    const results = extra.results
      ? html`<section class="card" id="test-results" aria-labelledby="tr-h"><h2 id="tr-h">${extra.results.name} 시험 발송 결과</h2><ul>${extra.results.list.map(
          (r) =>
            html`<li>${KIND_LABELS[r.kind]} ${r.address}: ${r.ok ? html`<strong>보냄</strong>` : html`<strong class="late">실패</strong> — ${r.error ?? ''}`}</li>`,
        )}</ul></section>`
      : '';
    const body = html`${results}
<section class="card" aria-labelledby="cc-h"><h2 id="cc-h">콜센터 (즉시 위험 신고 · 방문 결과)</h2>
<p>상태: ${stateText(health.callCenter)}</p>${targetList(health.callCenter)}
<form method="post" action="/console/admin/alerts" class="grid">${csrf}
  <div><label for="cc-slack">Slack 채널 ID</label><input id="cc-slack" name="slack" value="${cc.slackChannel ?? ''}" placeholder="C0123456789" maxlength="40"></div>
  <div><label for="cc-tg">Telegram 채팅 ID</label><input id="cc-tg" name="telegram" value="${cc.telegramChatId ?? ''}" placeholder="-1001234567890" maxlength="40"></div>
  <div class="wide"><label for="cc-email">이메일 (쉼표로 구분)</label><input id="cc-email" name="email" value="${cc.emails.join(', ')}" maxlength="2000"></div>
  <div class="wide"><label for="cc-webhook">웹훅 주소 (구의 문자 발송·당직 시스템 등, 서명된 JSON)</label><input id="cc-webhook" name="webhook" value="${cc.webhookUrl ?? ''}" placeholder="https://sms.example.go.kr/sagak" maxlength="500"></div>
  <div class="actions"><button type="submit">콜센터 저장</button></div>
</form>
${testButton(health.callCenter)}
</section>
${onCallSection(onCall, configuredKinds(deps.config), deps.now(), csrf, deps.config.URGENT_ACK_MINUTES, !!deps.config.URGENT_ACK_SECRET, extra.onCallForm, testButton(onCallOwner(onCall, configuredKinds(deps.config))))}
<section class="card" aria-labelledby="dongs-h"><h2 id="dongs-h">동 주민센터 (방문 요청)</h2>
<p class="muted">전달처는 <a href="/console/admin/dongs">동 주민센터 전달처</a>에서 고칩니다 (주간 명단과 같은 곳).</p>
<table class="queue admin"><thead><tr><th scope="col">동</th><th scope="col">상태</th><th scope="col">받는 곳</th><th scope="col">시험</th></tr></thead>
<tbody>${health.dongs.map((d) => html`<tr><td>${d.name}</td><td>${stateText(d)}</td><td>${targetList(d)}</td><td>${testButton(d)}</td></tr>`)}</tbody></table>
</section>`;
    send(res, status, frame(p, 'alerts', body));
  };

  router.get('/console/admin/alerts', (req, res) =>
    show(req, res, 200, {
      notice:
        req.query.done === '1'
          ? '콜센터 알림 받는 곳을 저장했습니다.'
          : req.query.done === 'oncall'
            ? '당직 설정을 저장했습니다.'
            : undefined,
    }),
  );

  // 당직 (the urgent route out of hours): hours, the on-call target and the escalation list
  router.post('/console/admin/alerts/on-call', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const values: OnCallFormValues = {
      hours: str(body.hours).trim(),
      offDays: body.offDays === 'yes',
      chain: str(body.chain),
      privacy: body.privacy === 'full' ? 'full' : 'minimal',
    };
    const hours = parseHours(values.hours, values.offDays);
    if (!hours.ok) return show(req, res, 400, { error: hours.error.messageKo, onCallForm: values });
    const chain = parseChain(values.chain.split(/\r?\n/));
    if (!chain.ok) return show(req, res, 400, { error: chain.error.messageKo, onCallForm: values });
    await deps.repos.onCall.saveSetup(
      deps.district.id,
      { hours: hours.hours, chain: chain.chain, privacy: values.privacy },
      deps.now(),
    );
    return res.redirect(303, '/console/admin/alerts?done=oncall');
  });

  router.post('/console/admin/alerts', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const parsed = callCenterForm.safeParse({
      slack: str(body.slack),
      telegram: str(body.telegram),
      email: str(body.email),
      webhook: str(body.webhook),
    });
    if (!parsed.success)
      return show(req, res, 400, {
        error: FORM_KO[parsed.error.issues[0]!.path[0] as keyof typeof FORM_KO] ?? '입력값을 확인해 주세요.',
      });
    await deps.repos.alertTargets.set(
      deps.district.id,
      CALL_CENTER,
      {
        slackChannel: parsed.data.slack || null,
        telegramChatId: parsed.data.telegram || null,
        emails: parsed.data.email,
        webhookUrl: parsed.data.webhook || null,
      },
      deps.now(),
    );
    warnings.forget();
    return res.redirect(303, '/console/admin/alerts?done=1');
  });

  router.post('/console/admin/alerts/test/:owner', async (req: Request<{ owner: string }>, res) => {
    const health = await targetHealth(deps);
    // 당직: the on-call target and every escalation target, each sent the same test message
    const onCall =
      req.params.owner === ON_CALL_OWNER
        ? onCallOwner(await deps.repos.onCall.setup(deps.district.id), configuredKinds(deps.config))
        : undefined;
    const owner = onCall ?? [health.callCenter, ...health.dongs].find((o) => o.owner === req.params.owner);
    if (!owner) return show(req as unknown as Request, res, 404, { error: '알림을 받는 곳이 없는 대상입니다.' });
    const senders = sendersFromConfig(deps.config);
    const message = {
      subject: `[${deps.district.name}] 알림 시험 발송`,
      text: `[${deps.district.name}] ${owner.name} 알림 시험 발송입니다. 이 메시지가 보이면 사각의 알림이 이곳으로 옵니다. (개인정보 없음)`,
      data: { kind: 'test', district: deps.district.id, owner: owner.owner },
    };
    // every target at once, each with its own time limit: a slow one never holds the others
    const list = await Promise.all(
      owner.targets.map(async (t): Promise<TestResult> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            senders[t.kind].send(t.address, message),
            new Promise(
              (_r, reject) => (timer = setTimeout(() => reject(new Error('응답 없음 (15초)')), TEST_TIMEOUT_MS)),
            ),
          ]);
          return { kind: t.kind, address: t.address, ok: true };
        } catch (err) {
          return { kind: t.kind, address: t.address, ok: false, error: (err as Error).message.slice(0, 200) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return show(req as unknown as Request, res, 200, { results: { name: owner.name, list } });
  });
}

/** The on-call list as an owner of targets (for its 시험 발송): the on-call target first, then the escalation list. */
function onCallOwner(setup: OnCallSetup, configured: Record<StaffTargetKind, boolean>): OwnerTargets {
  const targets = setup.chain.map((t) => ({
    kind: t.kind,
    address: t.address,
    configured: configured[t.kind],
    lastError: null,
  }));
  return { owner: ON_CALL_OWNER, name: '당직', targets, working: !!targets[0]?.configured };
}

interface OnCallFormValues {
  hours: string;
  offDays: boolean;
  chain: string;
  privacy: 'full' | 'minimal';
}

/** 당직: the on-call target and its hours, the escalation list, and whether it can work now. */
function onCallSection(
  setup: OnCallSetup,
  configured: Record<StaffTargetKind, boolean>,
  now: Date,
  csrf: SafeHtml,
  ackMinutes: number,
  ackLink: boolean,
  form: OnCallFormValues | undefined,
  testButton: SafeHtml,
): SafeHtml {
  const first = setup.chain[0];
  const state = !first
    ? html`<strong class="late">당직 받는 곳 없음</strong> — 근무시간 외 즉시 위험 신고는 다음 근무일에 확인합니다.`
    : !configured[first.kind]
      ? html`<strong class="late">작동하지 않음</strong> (서버에 ${KIND_LABELS[first.kind]} 설정 없음)`
      : html`작동 · ${onCallAt(setup.hours, now) ? '지금 당직 시간' : '지금은 근무시간'}`;
  const v: OnCallFormValues = form ?? {
    hours: `${setup.hours.from}-${setup.hours.to}`,
    offDays: setup.hours.offDays,
    chain: setup.chain.map((t) => `${t.kind} ${t.address}`).join('\n'),
    privacy: setup.privacy,
  };
  return html`<section class="card" id="on-call" aria-labelledby="oc-h"><h2 id="oc-h">당직 (근무시간 외 즉시 위험 신고)</h2>
<p>상태: ${state}</p>
<p class="muted">당직 시간: ${hoursLabel(setup.hours)}. 첫 줄이 당직 받는 곳, 다음 줄부터 확인이 없을 때 차례로 더 알릴 곳입니다. ${ackMinutes}분 안에 확인이 없으면 지금까지 알린 곳에 다시, 다음 곳에 처음 알립니다.${ackLink ? ' 알림에는 로그인 없이 누르는 확인 링크가 들어갑니다.' : ' (URGENT_ACK_SECRET이 없어 알림에 확인 링크가 없습니다: 콘솔에서 확인합니다.)'}</p>
<form method="post" action="/console/admin/alerts/on-call" class="grid">${csrf}
  <div><label for="oc-hours">당직 시간 (평일, 예: 18:00-09:00)</label><input id="oc-hours" name="hours" value="${v.hours}" maxlength="20" required></div>
  <div><label class="check"><input type="checkbox" id="oc-offdays" name="offDays" value="yes"${v.offDays ? html` checked` : ''}> 주말·공휴일은 종일 당직</label></div>
  <div><label for="oc-privacy">알림에 담을 내용</label><select id="oc-privacy" name="privacy"><option value="minimal"${v.privacy === 'minimal' ? html` selected` : ''}>접수번호와 링크만</option><option value="full"${v.privacy === 'full' ? html` selected` : ''}>주소·대상자·상황까지</option></select></div>
  <div class="wide"><label for="oc-chain">당직 받는 곳과 에스컬레이션 순서 (한 줄에 하나: 종류 주소)</label><textarea id="oc-chain" name="chain" rows="4" maxlength="5000" placeholder="webhook https://sms.example.go.kr/sagak&#10;telegram -1001234567890&#10;email chief@example.go.kr">${v.chain}</textarea></div>
  <div class="actions"><button type="submit">당직 저장</button></div>
</form>
<p class="muted">시험 발송은 저장된 목록의 모든 곳(당직 받는 곳과 에스컬레이션 순서)에 개인정보 없는 시험 메시지를 보냅니다.</p>
${testButton}</section>`;
}
