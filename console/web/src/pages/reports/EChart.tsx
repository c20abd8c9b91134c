/**
 * Apache ECharts in React, only the parts the reports use (bars, pies, the map), drawn as SVG so Thai text is set
 * by the browser's own text engine in the page's Thai font. Loaded with the reports page only (App.tsx lazy).
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, MapChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, MapChart, PieChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export { echarts };
export type Chart = echarts.ECharts;
export type ChartOption = echarts.EChartsCoreOption;

export const FONT = "'Sarabun', 'Noto Sans Thai', 'Tahoma', 'Leelawadee UI', sans-serif";

export function EChart(p: { option: ChartOption; height: number; testId?: string; label: string; onClick?: (name: string) => void; onRendered?: (chart: Chart) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart | null>(null);
  const handlers = useRef(p);
  handlers.current = p;

  useEffect(() => {
    const c = echarts.init(box.current!, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (e) => handlers.current.onClick?.(String((e as { name?: unknown }).name ?? '')));
    c.on('finished', () => handlers.current.onRendered?.(c));
    const resize = () => c.resize();
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ textStyle: { fontFamily: FONT }, animation: false, ...p.option }, true);
  }, [p.option]);

  return <div ref={box} role="img" aria-label={p.label} style={{ height: p.height, width: '100%' }} data-testid={p.testId} />;
}
