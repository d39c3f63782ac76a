import * as echarts from 'echarts';
import { SafeHtml } from '../../http/html';

/** Fonts that carry Korean on the machines that open the console; the browser picks the first it has. */
export const CHART_FONT = '"Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif';

/**
 * ECharts' style attributes become SVG presentation attributes and its hover <style> is
 * dropped: the console's CSP (`style-src 'self'`) would otherwise ignore them, and the
 * labels would lose their size. Escaped values only: ECharts escapes text it writes.
 */
function cspSafe(svg: string): string {
  return svg.replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '').replace(/ style="([^"]*)"/g, (_m, css: string) =>
    css
      .split(';')
      .map((d) => d.trim())
      .filter((d) => /^[a-z-]+:/.test(d))
      .map((d) => {
        const i = d.indexOf(':');
        return ` ${d.slice(0, i)}="${d
          .slice(i + 1)
          .trim()
          .replace(/"/g, '&quot;')}"`;
      })
      .join(''),
  );
}

/**
 * Renders one ECharts option to an inline SVG on the server (no script in the page, nothing
 * from a CDN), labelled for screen readers; the numbers are also in the table beside it.
 */
export function svgChart(opts: {
  id: string;
  title: string;
  width: number;
  height: number;
  option: echarts.EChartsCoreOption;
}): SafeHtml {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: opts.width,
    height: opts.height,
    locale: 'EN',
  });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...opts.option });
    const svg = cspSafe(chart.renderToSVGString());
    const labelled = svg
      .replace('<svg ', `<svg role="img" aria-labelledby="${opts.id}-t" class="chart" data-chart="${opts.id}" `)
      .replace(/(<svg[^>]*>)/, `$1<title id="${opts.id}-t">${escapeXml(opts.title)}</title>`);
    return new SafeHtml(labelled);
  } finally {
    chart.dispose();
  }
}

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
