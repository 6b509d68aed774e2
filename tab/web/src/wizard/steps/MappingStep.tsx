import { Body1, Caption1, Dropdown, Field, Option, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect } from 'react';
import type { DatasetSummary, EnrichmentDraft } from '../../api/types';
import { messageFor } from '../wizard-model';
import type { StepProps } from './step-props';

type Column = DatasetSummary['columns']['accounts'][number];
type MappingKey = 'emailField' | 'domainField' | 'ownerField';

const NONE = '';

const useStyles = makeStyles({
  samples: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  option: { display: 'flex', flexDirection: 'column' },
});

function ColumnField(props: {
  label: string;
  hint: string;
  columns: readonly Column[];
  value: string | null | undefined;
  optional?: boolean;
  validationMessage: string | undefined;
  onChange(value: string | null): void;
}) {
  const styles = useStyles();
  const chosen = props.columns.find((c) => c.name === props.value);
  return (
    <Field
      label={props.label}
      required={!props.optional}
      hint={props.hint}
      validationMessage={props.validationMessage}
    >
      <Dropdown
        value={chosen?.name ?? (props.optional ? 'Not mapped' : '')}
        selectedOptions={[props.value ?? NONE]}
        placeholder="Choose a column"
        onOptionSelect={(_, data) => props.onChange(data.optionValue ? data.optionValue : null)}
      >
        {props.optional && <Option value={NONE}>Not mapped</Option>}
        {props.columns.map((column) => (
          <Option key={column.name} value={column.name} text={column.name}>
            <span className={styles.option}>
              <span>{column.name}</span>
              <Caption1 className={styles.samples}>{column.samples.join(', ') || 'no values'}</Caption1>
            </span>
          </Option>
        ))}
      </Dropdown>
      {chosen && (
        <Caption1 className={styles.samples} data-testid={`samples-${props.label}`}>
          Sample values: {chosen.samples.join(', ') || 'none'}
        </Caption1>
      )}
    </Field>
  );
}

/** Which dataset columns hold the contact email and, optionally, the account domain and owner. */
export function MappingStep(props: StepProps & { dataset: DatasetSummary | undefined }) {
  const { dataset, update } = props;
  const mapping = props.draft.mapping ?? {};
  const unmapped =
    !mapping.emailField && mapping.domainField === undefined && mapping.ownerField === undefined;

  useEffect(() => {
    // A dataset not mapped yet starts from the columns that look right; the admin confirms or changes them.
    if (!dataset || !unmapped) return;
    const suggested = dataset.suggestedMapping;
    update((d) => ({
      ...d,
      mapping: {
        emailField: suggested.emailField ?? '',
        domainField: suggested.domainField ?? null,
        ownerField: suggested.ownerField ?? null,
      },
    }));
  }, [dataset, unmapped, update]);

  if (!dataset) return <Body1>Choose a customer dataset first (the previous step).</Body1>;
  const set = (key: MappingKey) => (value: string | null) =>
    update((d: EnrichmentDraft) => ({
      ...d,
      mapping: { ...d.mapping, [key]: key === 'emailField' ? (value ?? '') : value },
    }));
  return (
    <>
      <Body1>
        Tell the enrichment where {dataset.name} keeps each piece. Suggestions are filled in from the column
        names and values; check them against the samples.
      </Body1>
      <ColumnField
        label="Contact email"
        hint="A contacts column: an address equal to it belongs to that contact's account."
        columns={dataset.columns.contacts}
        value={mapping.emailField}
        validationMessage={messageFor(props.messages, 'mapping.emailField')}
        onChange={set('emailField')}
      />
      <ColumnField
        label="Account domain"
        hint="Optional, an accounts column: any address at that domain (or a subdomain) belongs to the account."
        columns={dataset.columns.accounts}
        value={mapping.domainField}
        optional
        validationMessage={messageFor(props.messages, 'mapping.domainField')}
        onChange={set('domainField')}
      />
      <ColumnField
        label="Account owner"
        hint="Optional, an accounts column with the owner's email: stale-account alerts go to the owner."
        columns={dataset.columns.accounts}
        value={mapping.ownerField}
        optional
        validationMessage={messageFor(props.messages, 'mapping.ownerField')}
        onChange={set('ownerField')}
      />
    </>
  );
}
