import { useEffect, useRef } from 'react';
import { init, use, type ComposeOption } from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { CheckinTrend } from '../../api/dashboard';

// Only what a line chart needs: this file (and ECharts with it) is its own chunk, loaded by the dashboard alone.
use([LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);
type Option = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** The trend's lines: headcount (the day's snapshot), checked in, abnormal. */
export default function TrendChart({ trend, height = 260 }: { trend: CheckinTrend; height?: number }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = init(el.current, undefined, { renderer: 'svg' });
    const days = trend.days.map((d) => d.day.slice(5));
    const option: Option = {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: days, boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('health.dashboard.headcount'), type: 'line', data: trend.days.map((d) => d.headcount), lineStyle: { type: 'dashed' }, symbolSize: 4, connectNulls: false },
        { name: t('health.dashboard.checkedIn'), type: 'line', data: trend.days.map((d) => d.checkedIn), areaStyle: { opacity: 0.12 } },
        { name: t('health.dashboard.abnormal'), type: 'line', data: trend.days.map((d) => d.abnormal), color: '#cf1322' },
      ],
    };
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [trend, t]);
  return <div ref={el} style={{ width: '100%', height }} />;
}
