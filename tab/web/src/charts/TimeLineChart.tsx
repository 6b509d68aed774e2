import { LineChart, type LineChartPoints } from '@fluentui/react-charts';
import { makeStyles, tokens } from '@fluentui/react-components';
import { formatDay } from '../ui/format';

export interface TimeSeries {
  legend: string;
  points: { at: string; value: number }[];
  color?: string;
}

const useStyles = makeStyles({ chart: { width: '100%', minWidth: 0 } });

/** Values over time as Fluent line chart; the summary sentence doubles as its accessible description. */
export function TimeLineChart(props: {
  title: string;
  series: TimeSeries[];
  height?: number;
  yAxisTitle?: string;
  testId?: string;
}) {
  const styles = useStyles();
  const lineChartData: LineChartPoints[] = props.series.map((s, i) => ({
    legend: s.legend,
    color: s.color ?? (i === 0 ? tokens.colorBrandBackground : tokens.colorPaletteMarigoldBackground3),
    data: s.points.map((p) => ({ x: new Date(p.at), y: p.value })),
  }));
  return (
    <div className={styles.chart} data-testid={props.testId}>
      <LineChart
        data={{ chartTitle: props.title, lineChartData }}
        height={props.height ?? 240}
        yMinValue={0}
        hideLegend={props.series.length < 2}
        {...(props.yAxisTitle ? { yAxisTitle: props.yAxisTitle } : {})}
        useUTC
        customDateTimeFormatter={formatDay}
      />
    </div>
  );
}
