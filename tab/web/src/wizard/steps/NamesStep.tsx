import { Body1, Field, Input, Radio, RadioGroup } from '@fluentui/react-components';
import type { Region } from '../../api/types';
import { REGION_LABELS, messageFor } from '../wizard-model';
import type { StepProps } from './step-props';

/** The enrichment's name, its output entity's name and the data region. */
export function NamesStep(props: StepProps) {
  const entity = props.draft.entityName ?? '';
  return (
    <>
      <Body1>Name the enrichment and the entity its rows are written to.</Body1>
      <Field label="Enrichment name" required validationMessage={messageFor(props.messages, 'name')}>
        <Input
          value={props.draft.name ?? ''}
          onChange={(_, data) => props.update((d) => ({ ...d, name: data.value }))}
          placeholder="e.g. Customer engagement"
        />
      </Field>
      <Field
        label="Output entity name"
        required
        validationMessage={messageFor(props.messages, 'entityName')}
        hint={`Letters, digits and _. The tracked users go to ${entity || '…'}_UserEntity.`}
      >
        <Input
          value={entity}
          onChange={(_, data) => props.update((d) => ({ ...d, entityName: data.value }))}
        />
      </Field>
      <Field label="Data region" required validationMessage={messageFor(props.messages, 'region')}>
        <RadioGroup
          value={props.draft.region ?? ''}
          onChange={(_, data) => props.update((d) => ({ ...d, region: data.value as Region }))}
        >
          {Object.entries(REGION_LABELS).map(([value, label]) => (
            <Radio key={value} value={value} label={label} />
          ))}
        </RadioGroup>
      </Field>
    </>
  );
}
