import { VerticalStackedBarChart, type VerticalStackedChartProps } from '@fluentui/react-charts';
import { makeStyles } from '@fluentui/react-components';

export interface StackedBar {
  label: string;
  parts: { legend: string; value: number; color: string }[];
}

const useStyles = makeStyles({ chart: { width: '100%', minWidth: 0 } });

/** Stacked columns (e.g. emails to and from the customer per month) as a Fluent chart. */
export function StackedBarChart(props: {
  title: string;
  bars: StackedBar[];
  height?: number;
  testId?: string;
}) {
  const styles = useStyles();
  const data: VerticalStackedChartProps[] = props.bars.map((bar) => ({
    xAxisPoint: bar.label,
    chartData: bar.parts.map((part) => ({ legend: part.legend, data: part.value, color: part.color })),
  }));
  return (
    <div className={styles.chart} data-testid={props.testId}>
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
        rotateXAxisLables={props.bars.length > 16}
      />
    </div>
  );
}
