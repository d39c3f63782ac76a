import type { PeriodCounts } from '../../domain/counts/count-period';
import { weeksIn } from '../../domain/counts/period';
import { sameDayRate } from '../../domain/counts/tally';
import { seoulDate } from '../../domain/time';
import { URGENCIES } from '../../domain/report/urgency';
import type { SafeHtml } from '../html';
import { svgChart } from './svg-chart';

const URGENCY_COLORS: Record<string, string> = { immediate: '#b3261e', prompt: '#e0a100', normal: '#6b8fd6' };
const OUTCOME_COLORS = ['#9aa5b8', '#0b50d0', '#c77700', '#2e7d32', '#5f3dc4'];
const axisLabel = { fontSize: 13, color: '#333' };

/** A week as its Monday, "11/16": short enough for an axis; the table beside has the week id. */
const weekTick = (start: Date) => {
  const d = seoulDate(start);
  return `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;
};

export interface DashboardCharts {
  weeklyUrgency: SafeHtml;
  sameDayRate: SafeHtml;
  dongOutcomes: SafeHtml;
  partnerActivity: SafeHtml;
}

/** The four charts of the dashboard, all from the counts module's numbers. */
export function dashboardCharts(c: PeriodCounts): DashboardCharts {
  const weeks = weeksIn(c.period).map((w) => weekTick(w.start));
  const weeklyUrgency = svgChart({
    id: 'chart-weekly-urgency',
    title: '주별 접수 건수 (긴급도별)',
    width: 560,
    height: 300,
    option: {
      legend: { top: 0, textStyle: axisLabel },
      grid: { left: 40, right: 16, top: 36, bottom: 36 },
      xAxis: { type: 'category', data: weeks, axisLabel, name: '주 시작일', nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'value', minInterval: 1, axisLabel },
      series: URGENCIES.map((u) => ({ name: u.label, type: 'bar', stack: 'urgency', color: URGENCY_COLORS[u.value], data: c.byWeek.map((w) => w.byUrgency[u.value]) })),
    },
  });
  const sameDay = svgChart({
    id: 'chart-same-day',
    title: '주별 당일 상담률',
    width: 560,
    height: 300,
    option: {
      grid: { left: 48, right: 16, top: 24, bottom: 36 },
      xAxis: { type: 'category', data: weeks, axisLabel, name: '주 시작일', nameLocation: 'middle', nameGap: 24 },
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
      grid: { left: 72, right: 16, top: 36, bottom: 24 },
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
      ).map(([name, key], i) => ({ name, type: 'bar', barGap: '0%', barCategoryGap: '30%', color: OUTCOME_COLORS[i], data: dongs.map((d) => d[key]) })),
    },
  });
  const partners = c.byPartner.slice(0, 15).reverse();
  const partnerActivity = svgChart({
    id: 'chart-partners',
    title: '협약기관별 신고 건수',
    width: 560,
    height: 70 + Math.max(1, partners.length) * 30,
    option: {
      grid: { left: 150, right: 40, top: 12, bottom: 24 },
      yAxis: { type: 'category', data: partners.map((p) => p.label), axisLabel: { ...axisLabel, width: 140, overflow: 'truncate' } },
      xAxis: { type: 'value', minInterval: 1, axisLabel },
      series: [{ name: '신고', type: 'bar', color: '#0b50d0', label: { show: true, position: 'right', fontSize: 11 }, data: partners.map((p) => p.received) }],
    },
  });
  return { weeklyUrgency, sameDayRate: sameDay, dongOutcomes, partnerActivity };
}
