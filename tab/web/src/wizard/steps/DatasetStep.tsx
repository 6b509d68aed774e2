import {
  Body1,
  Caption1,
  Divider,
  Field,
  Radio,
  RadioGroup,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { DatasetSummary } from '../../api/types';
import type { Resource } from '../../api/use-resource';
import { formatCount, formatDate } from '../../ui/format';
import { ProblemBar } from '../../ui/ProblemBar';
import { messageFor } from '../wizard-model';
import { DatasetUpload } from './DatasetUpload';
import type { StepProps } from './step-props';

const useStyles = makeStyles({
  option: { display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** Pick a stored customer dataset, or import one. */
export function DatasetStep(props: StepProps & { datasets: Resource<{ datasets: DatasetSummary[] }> }) {
  const styles = useStyles();
  const datasets = props.datasets.data?.datasets ?? [];
  const choose = (datasetId: string) =>
    props.update((d) => ({
      ...d,
      datasetId,
      // Another dataset has other columns: its mapping starts again from its suggestions.
      ...(d.datasetId === datasetId ? {} : { mapping: {} }),
    }));
  return (
    <>
      <Body1>
        The customer dataset lists the business accounts and their contacts: who counts as each
        customer&apos;s people.
      </Body1>
      <ProblemBar problem={props.datasets.problem} onRetry={props.datasets.reload} />
      {props.datasets.loading && !props.datasets.data && (
        <Spinner size="small" label="Loading the datasets…" />
      )}
      {props.datasets.data && (
        <Field label="Customer dataset" required validationMessage={messageFor(props.messages, 'datasetId')}>
          {datasets.length === 0 ? (
            <Caption1>No dataset yet: import one below.</Caption1>
          ) : (
            <RadioGroup value={props.draft.datasetId ?? ''} onChange={(_, data) => choose(data.value)}>
              {datasets.map((dataset) => (
                <Radio
                  key={dataset.datasetId}
                  value={dataset.datasetId}
                  label={{
                    children: (
                      <span className={styles.option}>
                        <span>{dataset.name}</span>
                        <Caption1 className={styles.muted}>
                          {formatCount(dataset.accountCount)} accounts · {formatCount(dataset.contactCount)}{' '}
                          contacts · {dataset.format.toUpperCase()} · imported{' '}
                          {formatDate(dataset.importedAt)}
                        </Caption1>
                      </span>
                    ),
                  }}
                />
              ))}
            </RadioGroup>
          )}
        </Field>
      )}
      {datasets.length === 1 && props.draft.datasetId === datasets[0]?.datasetId && (
        <Caption1 className={styles.muted} data-testid="only-dataset">
          It is the only dataset, so it is chosen. Import another below to use that one instead.
        </Caption1>
      )}
      <Divider />
      <DatasetUpload
        onImported={(dataset) => {
          props.datasets.reload();
          choose(dataset.datasetId);
        }}
      />
    </>
  );
}
