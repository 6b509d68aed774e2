import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PlayRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ApiProblem } from '../../api/client';
import { api } from '../../api/operations';
import type { Enrichment, Run, ScheduleInfo } from '../../api/types';
import { useResource } from '../../api/use-resource';
import { hrefOf } from '../../router';
import type { ScreenProps } from '../../shell/ScreenView';
import { formatCount, formatDateTime, formatDuration, formatRelative } from '../../ui/format';
import { NeedsEnrichment } from '../../ui/NeedsEnrichment';
import { PageHeader } from '../../ui/PageHeader';
import { ProblemBar } from '../../ui/ProblemBar';
import { RunProgressPane } from './RunProgressPane';
import { STATUS_COLORS, STATUS_LABELS, cadenceLabel, isActive, triggerLabel } from './run-labels';

/** Poll quickly while a run is active, slowly otherwise (a scheduled run may start by itself). */
const ACTIVE_POLL_MS = 1000;
const IDLE_POLL_MS = 15_000;

const useStyles = makeStyles({
  layout: { display: 'grid', gap: tokens.spacingVerticalL },
  muted: { color: tokens.colorNeutralForeground3 },
  schedule: { gap: tokens.spacingVerticalS },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '640px' },
  numeric: { fontVariantNumeric: 'tabular-nums' },
});

export function RunsScreen(_props: ScreenProps) {
  return <NeedsEnrichment title="Runs">{(enrichment) => <Runs enrichment={enrichment} />}</NeedsEnrichment>;
}

function Runs(props: { enrichment: Enrichment }) {
  const styles = useStyles();
  const id = props.enrichment.enrichmentId;
  const [starting, setStarting] = useState(false);
  const [startProblem, setStartProblem] = useState<ApiProblem>();
  const [selectedRunId, setSelectedRunId] = useState<string>();

  const schedule = useResource(`schedule:${id}`, (signal) => api.schedule(id, signal), {
    pollMs: (data) => (data?.activeRun ? ACTIVE_POLL_MS : IDLE_POLL_MS),
  });
  const active = schedule.data?.activeRun ?? undefined;
  const history = useResource(
    `runs:${id}:${active?.runId ?? ''}:${schedule.data?.lastRun?.status ?? ''}`,
    (signal) => api.runs(id, { pageSize: 20 }, signal),
  );
  const runs = history.data?.runs ?? [];
  // Which run the Results page shows, read again whenever a run ends.
  const summary = useResource(
    `results-summary:${id}:${schedule.data?.lastRun?.runId ?? ''}:${schedule.data?.lastRun?.status ?? ''}`,
    (signal) => api.summary(id, signal),
    { keepData: true },
  );
  const shown: Run | undefined =
    active ?? runs.find((r) => r.runId === selectedRunId) ?? schedule.data?.lastRun ?? undefined;

  async function startRun() {
    setStarting(true);
    setStartProblem(undefined);
    try {
      await api.startRun(id);
      setSelectedRunId(undefined);
      schedule.reload();
    } catch (error) {
      setStartProblem(error as ApiProblem);
    } finally {
      setStarting(false);
    }
  }

  const consentGranted = schedule.data?.consent.status === 'granted';
  return (
    <>
      <PageHeader
        title="Runs"
        description="Each run reads the tracked mailboxes' email and meeting metadata and recomputes every customer's engagement."
        actions={
          <Button
            appearance="primary"
            icon={starting ? <Spinner size="tiny" /> : <PlayRegular />}
            disabled={starting || !!active || !schedule.data || !consentGranted}
            onClick={() => void startRun()}
          >
            Run now
          </Button>
        }
      />
      <ProblemBar problem={startProblem} title="The run did not start" />
      <ProblemBar
        problem={schedule.problem}
        title="The schedule could not be loaded"
        onRetry={schedule.reload}
      />
      {schedule.data && !consentGranted && (
        <MessageBar intent="warning">
          <MessageBarBody>
            Runs start once a tenant admin grants consent.{' '}
            <Link href={hrefOf('consent')}>See the consent state</Link>
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.layout}>
        {schedule.data && <ScheduleCard schedule={schedule.data} />}
        {shown && <RunProgressPane run={shown} {...(summary.data ? { shown: summary.data.results } : {})} />}
        <Card>
          <CardHeader header={<Subtitle2 as="h2">History</Subtitle2>} />
          <ProblemBar problem={history.problem} onRetry={history.reload} />
          {history.loading && !history.data && <Spinner size="small" label="Loading the runs…" />}
          {history.data && runs.length === 0 && <Body1>No runs yet.</Body1>}
          {runs.length > 0 && (
            <div className={styles.tableWrap}>
              <Table aria-label="Run history" size="small" className={styles.table}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Queued</TableHeaderCell>
                    <TableHeaderCell>Status</TableHeaderCell>
                    <TableHeaderCell>Trigger</TableHeaderCell>
                    <TableHeaderCell>Duration</TableHeaderCell>
                    <TableHeaderCell>Enriched customers</TableHeaderCell>
                    <TableHeaderCell>Mailbox errors</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {runs.map((run) => (
                    <TableRow
                      key={run.runId}
                      aria-current={run.runId === shown?.runId ? 'true' : undefined}
                      appearance={run.runId === shown?.runId ? 'brand' : 'none'}
                    >
                      <TableCell>
                        <TableCellLayout>
                          <Link
                            as="button"
                            onClick={() => setSelectedRunId(run.runId)}
                            aria-label={`Show the run queued ${formatDateTime(run.queuedAt)}`}
                          >
                            {formatDateTime(run.queuedAt)}
                          </Link>
                        </TableCellLayout>
                      </TableCell>
                      <TableCell>
                        <Badge appearance="tint" color={STATUS_COLORS[run.status]}>
                          {STATUS_LABELS[run.status]}
                        </Badge>
                      </TableCell>
                      <TableCell>{triggerLabel(run)}</TableCell>
                      <TableCell className={styles.numeric}>
                        {isActive(run) ? '…' : formatDuration(run.durationMs)}
                      </TableCell>
                      <TableCell className={styles.numeric}>
                        {run.counts
                          ? `${formatCount(run.counts.accountsEnriched)} of ${formatCount(run.counts.accounts)}`
                          : '—'}
                      </TableCell>
                      <TableCell className={styles.numeric}>
                        {formatCount(run.mailboxErrors.length)}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}

function ScheduleCard(props: { schedule: ScheduleInfo }) {
  const styles = useStyles();
  const { schedule } = props;
  const next = schedule.nextRun;
  return (
    <Card className={styles.schedule} data-testid="schedule">
      <CardHeader
        header={<Subtitle2 as="h2">Schedule</Subtitle2>}
        description={<Caption1 className={styles.muted}>{cadenceLabel(schedule)}</Caption1>}
        action={<Link href={hrefOf('settings')}>Change</Link>}
      />
      {next ? (
        <Body1 data-testid="next-run">
          Next run: <strong>{formatDateTime(next.at)}</strong> ({formatRelative(next.at)})
          {next.trigger === 'first-run-after-consent'
            ? ' — the first run, six hours after consent was granted'
            : ''}
          {next.due ? ' — due now, starting shortly' : ''}
        </Body1>
      ) : (
        <Body1 data-testid="next-run">
          {schedule.consent.status === 'granted'
            ? 'No automatic run is planned.'
            : 'The first run is planned six hours after a tenant admin grants consent.'}
        </Body1>
      )}
    </Card>
  );
}
