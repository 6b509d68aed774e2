import { Body1, Button, Card, Spinner, Subtitle1, makeStyles, tokens } from '@fluentui/react-components';
import { WandRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import type { Enrichment } from '../api/types';
import { useEnrichments } from '../enrichment/EnrichmentProvider';
import { navigate } from '../router';
import { PageHeader } from './PageHeader';
import { ProblemBar } from './ProblemBar';

const useStyles = makeStyles({
  empty: {
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalXXL,
  },
});

/** Renders its children with the current enrichment; until there is one, the page title and why not. */
export function NeedsEnrichment(props: { title: string; children: (enrichment: Enrichment) => ReactNode }) {
  const styles = useStyles();
  const { current, loading, problem, reload } = useEnrichments();
  if (current) return <>{props.children(current)}</>;
  return (
    <>
      <PageHeader title={props.title} />
      {loading && <Spinner label="Loading the enrichment…" />}
      {problem && (
        <ProblemBar problem={problem} title="The enrichment could not be loaded" onRetry={reload} />
      )}
      {!loading && !problem && (
        <Card className={styles.empty}>
          <Subtitle1 as="h2">No enrichment yet</Subtitle1>
          <Body1>
            Set up the enrichment first: who to track, the customer dataset and how its fields map.
          </Body1>
          <Button appearance="primary" icon={<WandRegular />} onClick={() => navigate('setup')}>
            Set up the enrichment
          </Button>
        </Card>
      )}
    </>
  );
}
