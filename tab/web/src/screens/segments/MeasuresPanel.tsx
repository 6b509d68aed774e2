import {
  Caption1,
  Card,
  CardHeader,
  Dropdown,
  Field,
  Option,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { api } from '../../api/operations';
import type { Segment } from '../../api/types';
import { useResource } from '../../api/use-resource';
import { formatCount, formatDecimal } from '../../ui/format';
import { ProblemBar } from '../../ui/ProblemBar';
import { StatGrid, StatTile } from '../../ui/StatTile';
import { MEASURE_COLUMNS, columnLabel } from './rule-model';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  controls: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground2 },
});

const ALL = '';

/** Count, sum, average, min and max of a numeric column over all accounts or a segment. */
export function MeasuresPanel(props: {
  enrichmentId: string;
  segments: readonly Segment[];
  segmentId?: string;
}) {
  const styles = useStyles();
  const [column, setColumn] = useState('EngagementScore');
  const [scope, setScope] = useState(props.segmentId ?? ALL);
  const measures = useResource(`measures:${props.enrichmentId}:${column}:${scope}`, (signal) =>
    api.measures(props.enrichmentId, { column, ...(scope ? { segmentId: scope } : {}) }, signal),
  );
  const label = columnLabel(column);
  const scopeName = props.segments.find((s) => s.segmentId === scope)?.name ?? 'All accounts';
  const m = measures.data;
  return (
    <Card className={styles.card} data-testid="measures">
      <CardHeader header={<Subtitle2 as="h2">Measures</Subtitle2>} />
      <div className={styles.controls}>
        <Field label="Column">
          <Dropdown
            value={label}
            selectedOptions={[column]}
            onOptionSelect={(_, d) => setColumn(d.optionValue ?? column)}
          >
            {MEASURE_COLUMNS.map((c) => (
              <Option key={c} value={c} text={columnLabel(c)}>
                {columnLabel(c)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="Over">
          <Dropdown
            value={scopeName}
            selectedOptions={[scope]}
            onOptionSelect={(_, d) => setScope(d.optionValue ?? ALL)}
          >
            <Option value={ALL}>All accounts</Option>
            {props.segments.map((s) => (
              <Option key={s.segmentId} value={s.segmentId}>
                {s.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      <ProblemBar problem={measures.problem} onRetry={measures.reload} />
      {m && (
        <>
          <Caption1 className={styles.muted}>
            {label} over {scopeName}: {formatCount(m.count)} of {formatCount(m.accounts)} accounts have a
            value.
          </Caption1>
          <StatGrid label={`Measures of ${label} over ${scopeName}`}>
            <StatTile label="Count" value={formatCount(m.count)} testId="measure-count" />
            <StatTile label="Average" value={formatDecimal(m.average)} testId="measure-average" />
            <StatTile label="Sum" value={formatDecimal(m.sum)} testId="measure-sum" />
            <StatTile label="Min" value={formatDecimal(m.min)} testId="measure-min" />
            <StatTile label="Max" value={formatDecimal(m.max)} testId="measure-max" />
          </StatGrid>
        </>
      )}
    </Card>
  );
}
