import { Dropdown, Field, Option, makeStyles } from '@fluentui/react-components';
import type { AlertFilter } from '../../api/operations';
import type { AlertSummary } from '../../api/types';
import { formatCount } from '../../ui/format';
import { DELIVERY_LABELS, STATUS_LABELS, isAlertStatus, isDeliveryStatus } from './alert-labels';

const useStyles = makeStyles({
  filter: { flex: '1 1 180px', maxWidth: '260px' },
  dropdown: { minWidth: 0, width: '100%' },
});

const ALL = 'all';

/** "Open (3)": an option with the number of alerts choosing it would list. */
const counted = (label: string, count: number | undefined) =>
  count === undefined ? label : `${label} (${formatCount(count)})`;

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);

/** One filter: all, or one of `labels`, each option with its count when known. */
function FilterField<K extends string>(props: {
  label: string;
  allLabel: string;
  labels: Record<K, string>;
  counts: Record<K, number> | undefined;
  value: K | undefined;
  accepts(value: string): value is K;
  onChange(value: K | undefined): void;
}) {
  const styles = useStyles();
  const options = Object.entries(props.labels) as [K, string][];
  const countOf = (key: K) => props.counts?.[key];
  const all = counted(props.allLabel, props.counts && sum(props.counts));
  return (
    <Field label={props.label} className={styles.filter}>
      <Dropdown
        className={styles.dropdown}
        value={props.value ? counted(props.labels[props.value], countOf(props.value)) : all}
        selectedOptions={[props.value ?? ALL]}
        onOptionSelect={(_, data) => {
          const value = data.optionValue ?? ALL;
          props.onChange(props.accepts(value) ? value : undefined);
        }}
      >
        <Option value={ALL}>{all}</Option>
        {options.map(([key, label]) => (
          <Option key={key} value={key}>
            {counted(label, countOf(key))}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

/** The status and delivery filters; each option counts what it would list under the other filter. */
export function AlertFilters(props: {
  filter: AlertFilter;
  summary: AlertSummary | undefined;
  onChange(filter: AlertFilter): void;
}) {
  const { filter, summary } = props;
  return (
    <>
      <FilterField
        label="Status"
        allLabel="All statuses"
        labels={STATUS_LABELS}
        counts={summary?.status}
        value={filter.status}
        accepts={isAlertStatus}
        onChange={(status) => props.onChange({ ...filter, status })}
      />
      <FilterField
        label="Delivery"
        allLabel="All deliveries"
        labels={DELIVERY_LABELS}
        counts={summary?.delivery}
        value={filter.delivery}
        accepts={isDeliveryStatus}
        onChange={(delivery) => props.onChange({ ...filter, delivery })}
      />
    </>
  );
}
