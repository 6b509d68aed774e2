import { Dropdown, Field, Option } from '@fluentui/react-components';
import { SIGNAL_NAMES, SIGNALS, type SignalName } from '../../../../../core/results/signal-labels';

const ANY = 'any';

/** Picks the risk signal the listed accounts must show, or any account. */
export function SignalFilter(props: {
  value: SignalName | undefined;
  onChange(next: SignalName | undefined): void;
}) {
  return (
    <Field label="Risk signal">
      <Dropdown
        value={props.value ? SIGNAL_NAMES[props.value] : 'Any account'}
        selectedOptions={[props.value ?? ANY]}
        onOptionSelect={(_, d) =>
          props.onChange(d.optionValue && d.optionValue !== ANY ? (d.optionValue as SignalName) : undefined)
        }
        data-testid="signal-filter"
      >
        <Option value={ANY}>Any account</Option>
        {SIGNALS.map((signal) => (
          <Option key={signal} value={signal}>
            {SIGNAL_NAMES[signal]}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
