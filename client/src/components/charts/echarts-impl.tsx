// ECharts bar and line charts, imported piecewise (core, bar and line series, grid/tooltip/legend, SVG renderer) to
// keep the chunk small; one module, so both charts share one lazily loaded chunk of ECharts.
import { useEffect, useRef } from "react";
import * as echarts from "echarts/core";
import { BarChart as EBar, LineChart as ELine } from "echarts/charts";
import { GridComponent, TooltipComponent, LegendComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import type { BarChartProps, LineChartProps } from "./index.tsx";

echarts.use([EBar, ELine, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export default function BarChartImpl({ categories, series, perCategoryColors, format, stacked, height, locale }: BarChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: "svg", locale: locale === "zh-CN" ? "ZH" : "EN" });
    const fmt = format ?? ((v: number) => v.toLocaleString());
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 8, top: series.length > 1 ? 28 : 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: (v: unknown) => fmt(Number(v)) },
      legend: series.length > 1 ? { top: 0 } : undefined,
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: (v: number) => fmt(v) } },
      series: series.map((s) => ({
        type: "bar",
        name: s.name,
        stack: stacked ? "total" : undefined,
        data: perCategoryColors && series.length === 1 ? s.values.map((v, i) => ({ value: v, itemStyle: { color: perCategoryColors[i] } })) : s.values,
        itemStyle: s.color ? { color: s.color } : undefined,
      })),
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [categories, series, perCategoryColors, format, stacked, locale]);
  return <div ref={ref} style={{ width: "100%", height }} />;
}

export function LineChartImpl({ categories, series, axes, height, locale }: LineChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: "svg", locale: locale === "zh-CN" ? "ZH" : "EN" });
    const fmt = (axis: number) => axes[axis]?.format ?? ((v: number) => v.toLocaleString());
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: categories, boundaryGap: false },
      yAxis: axes.map((a, i) => ({
        type: "value",
        minInterval: 1,
        name: a.name,
        position: i === 0 ? "left" : "right",
        axisLabel: { formatter: (v: number) => fmt(i)(v) },
        splitLine: { show: i === 0 },
      })),
      series: series.map((s) => ({
        type: "line",
        name: s.name,
        yAxisIndex: s.axis ?? 0,
        data: s.values,
        connectNulls: false,
        symbolSize: 6,
        itemStyle: s.color ? { color: s.color } : undefined,
        lineStyle: s.color ? { color: s.color } : undefined,
        tooltip: { valueFormatter: (v: unknown) => (v === null || v === undefined ? "—" : fmt(s.axis ?? 0)(Number(v))) },
      })),
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [categories, series, axes, locale]);
  return <div ref={ref} style={{ width: "100%", height }} />;
}
