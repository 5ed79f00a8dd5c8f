// The one chart approach of the client: Apache ECharts (the charting library Chinese finance dashboards use, with
// zh-CN and en locales built in), drawn as SVG, loaded lazily so no route pays for it until a chart is on screen.
// Charts illustrate; the numbers stay in a table beside them (screen readers read the table, the chart is hidden).
import { lazy, Suspense } from "react";

export interface BarSeries {
  name: string;
  /** One value per category, in display units (e.g. an amount in whole currency units). */
  values: number[];
  /** A CSS colour; one per category when `perCategoryColors` is given instead. */
  color?: string;
}

export interface BarChartProps {
  categories: string[];
  series: BarSeries[];
  /** Colours per category for a single series (e.g. overdue in red). */
  perCategoryColors?: string[];
  /** Formats an axis or tooltip value. */
  format?: (value: number) => string;
  stacked?: boolean;
  height?: number;
  locale?: "en" | "zh-CN";
}

const BarChartImpl = lazy(() => import("./echarts-impl.tsx"));

export function BarChart(props: BarChartProps) {
  const height = props.height ?? 220;
  return (
    <div className="chart" aria-hidden="true" data-chart="bar" style={{ height }}>
      <Suspense fallback={<div className="chart-loading" style={{ height }} />}>
        <BarChartImpl {...props} height={height} />
      </Suspense>
    </div>
  );
}

export interface LineSeries {
  name: string;
  /** One value per category; null leaves a gap (a figure with no denominator). */
  values: (number | null)[];
  /** Index into `axes` (0 left, 1 right). */
  axis?: number;
  color?: string;
}

export interface LineChartProps {
  categories: string[];
  series: LineSeries[];
  /** One or two value axes, each with its name and value format. */
  axes: { name: string; format?: (value: number) => string }[];
  height?: number;
  locale?: "en" | "zh-CN";
}

const LineChartImpl = lazy(() => import("./echarts-impl.tsx").then((m) => ({ default: m.LineChartImpl })));

export function LineChart(props: LineChartProps) {
  const height = props.height ?? 240;
  return (
    <div className="chart" aria-hidden="true" data-chart="line" style={{ height }}>
      <Suspense fallback={<div className="chart-loading" style={{ height }} />}>
        <LineChartImpl {...props} height={height} />
      </Suspense>
    </div>
  );
}
