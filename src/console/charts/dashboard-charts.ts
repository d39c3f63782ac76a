import type { PeriodCounts } from '../../domain/counts/count-period';
import { sameDayRate } from '../../domain/counts/tally';
import { URGENCIES } from '../../domain/report/urgency';
import type { SafeHtml } from '../../http/html';
import { svgChart } from './svg-chart';

const URGENCY_COLORS: Record<string, string> = { immediate: '#b3261e', prompt: '#e0a100', normal: '#6b8fd6' };
const OUTCOME_COLORS = ['#9aa5b8', '#0b50d0', '#c77700', '#2e7d32', '#5f3dc4'];
const axisLabel = { fontSize: 13, color: '#333' };

/** Week ticks are the weeks' names ("11월 16일 주"), tilted when many, none skipped. */
const weekAxisLabel = (n: number) => ({ ...axisLabel, interval: 0, rotate: n > 5 ? 35 : 0 });

export interface DashboardCharts {
  weeklyUrgency: SafeHtml;
  sameDayRate: SafeHtml;
  dongOutcomes: SafeHtml;
  partnerActivity: SafeHtml;
}

/** The four charts of the dashboard, all from the counts module's numbers. */
export function dashboardCharts(c: PeriodCounts): DashboardCharts {
  const weeks = c.byWeek.map((w) => w.label);
  const tilted = weeks.length > 5;
  const weeklyUrgency = svgChart({
    id: 'chart-weekly-urgency',
    title: '주별 접수 건수 (긴급도별)',
    width: 560,
    height: 300,
    option: {
      legend: { top: 0, textStyle: axisLabel },
      grid: { left: 40, right: 24, top: 36, bottom: tilted ? 72 : 36 },
      xAxis: { type: 'category', data: weeks, axisLabel: weekAxisLabel(weeks.length) },
      yAxis: { type: 'value', minInterval: 1, axisLabel },
      series: URGENCIES.map((u) => ({
        name: u.label,
        type: 'bar',
        stack: 'urgency',
        color: URGENCY_COLORS[u.value],
        data: c.byWeek.map((w) => w.byUrgency[u.value]),
      })),
    },
  });
  const sameDay = svgChart({
    id: 'chart-same-day',
    title: '주별 당일 상담률',
    width: 560,
    height: 300,
    option: {
      grid: { left: 48, right: 24, top: 24, bottom: tilted ? 72 : 36 },
      xAxis: { type: 'category', data: weeks, axisLabel: weekAxisLabel(weeks.length) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' } },
      series: [
        {
          name: '당일 상담률',
          type: 'line',
          color: '#0b50d0',
          symbolSize: 8,
          connectNulls: false,
          label: { show: true, formatter: '{c}%', fontSize: 11 },
          data: c.byWeek.map((w) => {
            const r = sameDayRate(w);
            return r === null ? null : Math.round(r * 100);
          }),
        },
      ],
    },
  });
  const dongs = [...c.byDong].reverse(); // horizontal bars read top-down in the district's order
  const dongOutcomes = svgChart({
    id: 'chart-dong-outcomes',
    title: '동별 접수·방문·사후관리 결과',
    width: 560,
    height: 80 + dongs.length * 46,
    option: {
      legend: { top: 0, textStyle: axisLabel },
      grid: { left: 84, right: 16, top: 36, bottom: 24 },
      yAxis: { type: 'category', data: dongs.map((d) => d.label), axisLabel },
      xAxis: { type: 'value', minInterval: 1, axisLabel },
      series: (
        [
          ['접수', 'received'],
          ['방문', 'visited'],
          ['부재', 'absent'],
          ['사후관리', 'followUp'],
          ['종결', 'closed'],
        ] as const
      ).map(([name, key], i) => ({
        name,
        type: 'bar',
        barGap: '0%',
        barCategoryGap: '30%',
        color: OUTCOME_COLORS[i],
        data: dongs.map((d) => d[key]),
      })),
    },
  });
  const partners = c.byPartner.slice(0, 15).reverse();
  const partnerActivity = svgChart({
    id: 'chart-partners',
    title: '협약기관별 신고 건수',
    width: 560,
    height: 70 + Math.max(1, partners.length) * 44,
    option: {
      // names wrap onto a second line at word breaks rather than being cut ("서대문구 치매안심센터")
      grid: { left: 200, right: 40, top: 12, bottom: 24 },
      yAxis: {
        type: 'category',
        data: partners.map((p) => p.label),
        axisLabel: { ...axisLabel, width: 186, overflow: 'break', lineHeight: 16 },
      },
      xAxis: { type: 'value', minInterval: 1, axisLabel },
      series: [
        {
          name: '신고',
          type: 'bar',
          color: '#0b50d0',
          label: { show: true, position: 'right', fontSize: 11 },
          data: partners.map((p) => p.received),
        },
      ],
    },
  });
  return { weeklyUrgency, sameDayRate: sameDay, dongOutcomes, partnerActivity };
}
