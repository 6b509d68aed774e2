import {
  Body1,
  Button,
  Card,
  Caption1,
  Spinner,
  Subtitle1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, EditRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { SaveOutcome } from '../api/types';
import { useEnrichments } from '../enrichment/EnrichmentProvider';
import type { ScreenProps } from '../shell/ScreenView';
import { PageHeader } from '../ui/PageHeader';
import { REGION_LABELS } from './wizard-model';
import { SavedPanel } from './SavedPanel';
import { Wizard } from './Wizard';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground2 },
});

/**
 * `#/setup`: the wizard for a new enrichment (`?new=1`, or when there is none yet), the same wizard
 * on a saved one (`?edit=<id>`), else a choice between the two. The mode lives in the hash, so a
 * reload comes back to the same wizard.
 */
export function SetupWizard(props: ScreenProps) {
  const styles = useStyles();
  const { enrichments, current, loading } = useEnrichments();
  const editId = props.route.query.get('edit');
  const editing = editId ? enrichments.find((e) => e.enrichmentId === editId) : undefined;
  const [saved, setSaved] = useState<{ outcome: SaveOutcome; edited: boolean }>();

  if (saved) return <SavedPanel outcome={saved.outcome} edited={saved.edited} />;
  if (loading) return <Spinner label="Loading…" />;
  if (editing) {
    return (
      <Wizard
        mode={{ kind: 'edit', enrichment: editing }}
        key={`edit:${editing.enrichmentId}`}
        onSaved={(outcome) => setSaved({ outcome, edited: true })}
      />
    );
  }
  if (props.route.query.has('new') || enrichments.length === 0 || !current) {
    return (
      <Wizard
        mode={{ kind: 'create' }}
        key="create"
        onSaved={(outcome) => setSaved({ outcome, edited: false })}
      />
    );
  }
  return (
    <>
      <PageHeader
        title="Set up"
        description="Change the enrichment's configuration, or set up another one."
      />
      <Card className={styles.card}>
        <Subtitle1 as="h2">{current.name}</Subtitle1>
        <Body1>
          {current.trackedSummary.resolvedUsers} users tracked · output entity {current.entityName} · data in{' '}
          {REGION_LABELS[current.region]}
        </Body1>
        <Caption1 className={styles.muted}>
          Version {current.version}, saved by {current.updatedBy.name}
        </Caption1>
        <div className={styles.actions}>
          <Button
            appearance="primary"
            icon={<EditRegular />}
            as="a"
            href={`#/setup?edit=${encodeURIComponent(current.enrichmentId)}`}
          >
            Edit the configuration
          </Button>
          <Button icon={<AddRegular />} as="a" href="#/setup?new=1">
            Set up another enrichment
          </Button>
        </div>
      </Card>
    </>
  );
}
