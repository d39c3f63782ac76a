import { html, type SafeHtml } from '../../http/html';

/** Lines shown per section; the rest are found in the queue. */
const SHOWN = 100;

/** A count at the top of a today page, linking to its section. */
export function todayCount(section: string, label: string, n: number): SafeHtml {
  return html`<li class="stat s-${section}"><a href="#s-${section}"><strong data-count="${section}">${n}</strong> ${label}</a></li>`;
}

/** One section of a today page (the call center's and a dong center's): its heading and count, its first lines, or why it is empty. */
export function todaySection<L>(
  section: string,
  label: string,
  lines: L[],
  lineItem: (line: L) => SafeHtml,
  empty: string,
): SafeHtml {
  return html`<section class="card today-section s-${section}" id="s-${section}" aria-labelledby="h-${section}"><h2 id="h-${section}">${label} <span class="n">${lines.length}건</span></h2>
${lines.length ? html`<ul class="today-list">${lines.slice(0, SHOWN).map(lineItem)}</ul>${lines.length > SHOWN ? html`<p>외 ${lines.length - SHOWN}건은 <a href="/console">신고 목록</a>에서 찾으세요.</p>` : ''}` : html`<p class="empty">${empty}</p>`}
</section>`;
}
