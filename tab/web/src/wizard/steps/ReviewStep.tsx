import { Body1, Caption1, Link, makeStyles, tokens } from '@fluentui/react-components';
import type { DatasetSummary } from '../../api/types';
import { REGION_LABELS, entryText, messageFor, stepLabel, type StepId } from '../wizard-model';
import type { StepProps } from './step-props';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, max-content) minmax(0, 1fr) max-content',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    margin: 0,
    alignItems: 'baseline',
    '@media (max-width: 520px)': { gridTemplateColumns: 'minmax(0, 1fr) max-content' },
  },
  term: {
    fontWeight: tokens.fontWeightSemibold,
    '@media (max-width: 520px)': { gridColumn: '1 / -1' },
  },
  pair: { display: 'contents' },
  value: { margin: 0, overflowWrap: 'anywhere' },
  error: { color: tokens.colorPaletteRedForeground1, display: 'block' },
});

/** Everything the wizard collected, each with its problem (if the server found one) and a way back to it. */
export function ReviewStep(
  props: StepProps & { dataset: DatasetSummary | undefined; goTo(step: StepId): void },
) {
  const styles = useStyles();
  const { draft } = props;
  const mapping = draft.mapping ?? {};
  const rows: { step: StepId; label: string; value: string; field: string }[] = [
    {
      step: 'tracked',
      label: 'Tracked',
      value:
        (draft.tracked ?? []).map((e) => entryText(e, props.kinds[e], props.labels[e])).join(', ') || '—',
      field: 'tracked',
    },
    {
      step: 'consent',
      label: 'Consent statement',
      value: draft.consentStatement?.accepted ? 'Accepted' : 'Not accepted',
      field: 'consentStatement',
    },
    {
      step: 'dataset',
      label: 'Customer dataset',
      value: props.dataset
        ? `${props.dataset.name} (${props.dataset.accountCount} accounts)`
        : (draft.datasetId ?? '—'),
      field: 'datasetId',
    },
    {
      step: 'mapping',
      label: 'Field mapping',
      value: [
        `email: ${mapping.emailField || '—'}`,
        `domain: ${mapping.domainField || 'not mapped'}`,
        `owner: ${mapping.ownerField || 'not mapped'}`,
      ].join(' · '),
      field: 'mapping',
    },
    { step: 'names', label: 'Enrichment name', value: draft.name || '—', field: 'name' },
    {
      step: 'names',
      label: 'Output entity',
      value: draft.entityName ? `${draft.entityName} and ${draft.entityName}_UserEntity` : '—',
      field: 'entityName',
    },
    {
      step: 'names',
      label: 'Data region',
      value: draft.region ? (REGION_LABELS[draft.region as keyof typeof REGION_LABELS] ?? draft.region) : '—',
      field: 'region',
    },
  ];
  return (
    <>
      <Body1>
        Check the configuration, then save it. Saving mails the consent request to the tenant admin.
      </Body1>
      <dl className={styles.list}>
        {rows.map((row) => {
          const problem = messageFor(props.messages, row.field);
          return (
            <div key={row.label} className={styles.pair}>
              <dt className={styles.term}>{row.label}</dt>
              <dd className={styles.value}>
                {row.value}
                {problem && (
                  <Caption1 className={styles.error} role="alert">
                    {problem}
                  </Caption1>
                )}
              </dd>
              <dd className={styles.value}>
                <Link
                  as="button"
                  onClick={() => props.goTo(row.step)}
                  aria-label={`Edit ${row.label.toLowerCase()} (step ${stepLabel(row.step)})`}
                >
                  Edit
                </Link>
              </dd>
            </div>
          );
        })}
      </dl>
      <Caption1>
        Scoring weights, the half-life, the stale threshold and the schedule start at their defaults (weekly);
        change them later in Settings.
      </Caption1>
    </>
  );
}
