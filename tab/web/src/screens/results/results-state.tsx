import {
  Body1,
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  Subtitle1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { HistoryRegular, ShieldCheckmarkRegular } from '@fluentui/react-icons';
import type { Enrichment, ResultsSummary } from '../../api/types';
import { hrefOf } from '../../router';
import { formatDateTime } from '../../ui/format';

const useStyles = makeStyles({
  empty: { alignItems: 'flex-start', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalXXL },
});

/**
 * What the output entity is called for an admin: "Results table (Office)". Never "Enriched
 * customers", which is the count of accounts with counted email or meetings: the table holds a
 * Year row for every account of the dataset, enriched or not.
 */
export const resultsTitle = (entityName: string): string => `Results table (${entityName})`;

type Summary = ResultsSummary;

/** Why there is nothing to show yet, and where to go instead, from the last run and the consent. */
export function noResultsReason(
  summary: Summary,
  consent: Enrichment['consent']['status'],
): { title: string; text: string; action: 'runs' | 'consent' } {
  const last = summary.lastRun;
  if (last?.status === 'queued' || last?.status === 'running') {
    return {
      title: 'The first run is under way',
      text: 'Its results appear here as soon as it has finished; this page follows it by itself.',
      action: 'runs',
    };
  }
  if (last?.status === 'failed' || last?.status === 'interrupted') {
    return {
      title: 'No results yet',
      text: `The last run, queued ${formatDateTime(last.queuedAt)}, ${
        last.status === 'failed' ? `failed: ${last.error ?? 'no reason given'}` : 'was interrupted'
      }. Nothing has been published; start another run on the Runs page.`,
      action: 'runs',
    };
  }
  if (consent !== 'granted') {
    return {
      title: 'No results yet',
      text: 'Runs start once a tenant admin grants consent; the first one comes six hours later, or at once with Run now.',
      action: 'consent',
    };
  }
  return {
    title: 'No results yet',
    text: 'No run has finished yet. Start one with Run now on the Runs page, or wait for the schedule.',
    action: 'runs',
  };
}

/** The Results page before the first successful run: why, and what to do. Never an empty page. */
export function NoResults(props: { summary: Summary; enrichment: Enrichment }) {
  const styles = useStyles();
  const reason = noResultsReason(props.summary, props.enrichment.consent.status);
  return (
    <Card className={styles.empty} data-testid="no-results">
      <Subtitle1 as="h2">{reason.title}</Subtitle1>
      <Body1>{reason.text}</Body1>
      {reason.action === 'runs' ? (
        <Button appearance="primary" icon={<HistoryRegular />} as="a" href={hrefOf('runs')}>
          Go to runs
        </Button>
      ) : (
        <Button appearance="primary" icon={<ShieldCheckmarkRegular />} as="a" href={hrefOf('consent')}>
          See the consent state
        </Button>
      )}
    </Card>
  );
}

/**
 * Reached from a run (`#/results?run=<id>`) that is not the one shown: says which run is shown
 * instead, so the page is never taken for that run's results.
 */
export function RunNotShown(props: { runId: string; summary: Summary }) {
  const { runId, summary } = props;
  const shown = summary.results;
  if (shown?.runId === runId) return null;
  const last = summary.lastRun?.runId === runId ? summary.lastRun : undefined;
  const what =
    last && (last.status === 'queued' || last.status === 'running')
      ? 'The run you came from has not finished yet.'
      : last && last.status !== 'succeeded'
        ? 'The run you came from published nothing.'
        : 'A newer run has been published since the run you came from.';
  return (
    <MessageBar intent="info" data-testid="run-not-shown">
      <MessageBarBody>
        {what}{' '}
        {shown
          ? `These are the results of the run of ${formatDateTime(shown.asOf)}.`
          : 'There are no results yet.'}
      </MessageBarBody>
    </MessageBar>
  );
}
