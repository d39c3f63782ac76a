import { html, pageHead } from '../http/html';

export interface HomePageOptions {
  districtName: string;
  /** Web chat is on (its cookie secret is set, or a development secret is used). */
  webchat: boolean;
  /** Running on the embedded FerretDB: a newcomer's machine, so the first steps are shown. */
  embeddedDatabase: boolean;
}

/**
 * The front door at `/`: what the service is and where each kind of visitor goes. Static words
 * only (no personal data), every value escaped, styled by the console's stylesheet (no inline
 * style or script, so the strict CSP holds).
 */
export function homePage(opts: HomePageOptions): string {
  const firstSteps = html`<section class="card" aria-labelledby="first-steps">
  <h2 id="first-steps">처음 설치하셨나요?</h2>
  <p>내장 데이터베이스(FerretDB)로 실행 중입니다. 저장소 폴더의 다른 터미널에서:</p>
  <ol class="steps">
    <li>첫 관리자 계정 만들기 (비밀번호 10자 이상을 입력하면 화면에 보이지 않게 읽습니다):
      <pre><code>read -rsp '비밀번호: ' PW; printf '%s' "$PW" | npm run admin -- user add --username admin --role admin --password-stdin</code></pre></li>
    <li>예시 신고 넣어 보기:
      <pre><code>npm run admin -- demo seed --reports 30</code></pre></li>
    <li>협력기관 등록 (채팅 연결용 초대 코드가 출력됩니다):
      <pre><code>npm run admin -- partner add --name "서대문우체국" --kind post</code></pre></li>
  </ol>
  <p>그다음 <a href="/console/login">상담 콘솔</a>에 로그인하세요. 자세한 안내는 README.md에 있습니다.</p>
</section>`;

  return html`${pageHead({ title: `사각 · ${opts.districtName} 복지사각지대 채팅 신고` })}
<body>
<main id="main" class="home">
<h1>사각 <small>${opts.districtName} 복지사각지대 채팅 신고</small></h1>
<p>경찰·우체국·검침원·배달원·자원봉사자 등 협력기관이 도움이 필요해 보이는 가구를 채팅으로 알리면,
${opts.districtName} 복지콜센터가 당일 접수해 확인하고 담당 동 행정복지센터로 이어 줍니다.</p>
<p class="alert" role="note">지금 위험한 상황이면 먼저 <strong>112</strong> 또는 <strong>119</strong>에 전화하세요. 복지 상담은 <strong>129</strong>(보건복지상담센터).</p>
<nav aria-label="바로가기">
<ul class="doors">
  <li class="card">${
    opts.webchat
      ? html`<a href="/chat">웹 채팅으로 신고하기</a>`
      : html`<span>웹 채팅으로 신고하기 <span class="badge">꺼짐</span></span>`
  }
    <p>카카오톡·슬랙·텔레그램을 쓰지 않는 협력기관용입니다. 처음에 기관 초대 코드를 입력합니다.</p></li>
  <li class="card"><a href="/console">상담 콘솔</a>
    <p>콜센터와 동 행정복지센터 직원용 (로그인 필요).</p></li>
  <li class="card"><a href="/api/openapi.json">API 설명 (OpenAPI)</a>
    <p>기관 시스템을 연동하는 개발자용 JSON 문서입니다.</p></li>
</ul>
</nav>
${opts.embeddedDatabase ? firstSteps : ''}
</main>
</body>
</html>`.value;
}
