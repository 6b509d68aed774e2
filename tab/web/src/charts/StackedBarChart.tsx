import { VerticalStackedBarChart, type VerticalStackedChartProps } from '@fluentui/react-charts';
import { makeStyles } from '@fluentui/react-components';
import { useRef } from 'react';
import { axisTicks } from './axis-ticks';
import { useWidth } from './use-width';

export interface StackedBar {
  /** The bar's label on the axis, short and unique ("6 Oct", "Nov 2025"). */
  label: string;
  /** The bar's period in full, for its callout ("Week of Oct 6, 2025"); the label when absent. */
  detail?: string;
  parts: { legend: string; value: number; color: string }[];
}

const useStyles = makeStyles({ chart: { width: '100%', minWidth: 0 } });

/**
 * Stacked columns (e.g. emails to and from the customer per month) as a Fluent chart. The axis
 * labels every bar only when they fit side by side; otherwise every n-th bar, the latest always
 * (a year of weeks on a phone shows a label about every two months), never rotated or overlapping.
 */
export function StackedBarChart(props: {
  title: string;
  bars: StackedBar[];
  height?: number;
  testId?: string;
}) {
  const styles = useStyles();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const data: VerticalStackedChartProps[] = props.bars.map((bar) => ({
    xAxisPoint: bar.label,
    ...(bar.detail ? { xAxisCalloutData: bar.detail } : {}),
    chartData: bar.parts.map((part) => ({ legend: part.legend, data: part.value, color: part.color })),
  }));
  const ticks = axisTicks(
    props.bars.map((bar) => bar.label),
    width,
  );
  return (
    <div className={styles.chart} data-testid={props.testId} ref={box}>
      <VerticalStackedBarChart
        chartTitle={props.title}
        data={data}
        height={props.height ?? 220}
        barWidth="auto"
        maxBarWidth={28}
        hideTooltip={false}
        isCalloutForStack
        enabledLegendsWrapLines
        hideLegend={props.bars.every((bar) => bar.parts.length < 2)}
        wrapXAxisLables={false}
        rotateXAxisLables={false}
        hideTickOverlap
        {...(ticks.length < props.bars.length ? { tickValues: ticks } : {})}
      />
    </div>
  );
}
