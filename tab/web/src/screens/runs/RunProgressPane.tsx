import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  Field,
  ProgressBar,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Link,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  CheckmarkCircleFilled,
  CircleRegular,
  DismissCircleFilled,
  ArrowSyncCircleRegular,
  DataTrendingRegular,
} from '@fluentui/react-icons';
import type { ResultsSummary, Run } from '../../api/types';
import { formatCount, formatDateTime, formatDuration } from '../../ui/format';
import {
  STATUS_COLORS,
  STATUS_LABELS,
  STEPS,
  isActive,
  progressSentence,
  stepState,
  triggerLabel,
  type StepState,
} from './run-labels';

/** The run whose rows the Results page shows (the summary's `results`), or null before any. */
export type ShownResults = NonNullable<ResultsSummary['results']> | null;

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  steps: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  step: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  stepDuration: {
    marginLeft: 'auto',
    color: tokens.colorNeutralForeground3,
    fontVariantNumeric: 'tabular-nums',
  },
  done: { color: tokens.colorPaletteGreenForeground1 },
  current: { color: tokens.colorBrandForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  pending: { color: tokens.colorNeutralForeground4 },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: 0,
  },
  figure: { display: 'flex', flexDirection: 'column', margin: 0 },
  figureValue: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  tableWrap: { overflowX: 'auto' },
  table: { minWidth: '420px' },
  results: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

const STEP_STATE_LABELS: Record<StepState, string> = {
  done: 'done',
  current: 'in progress',
  failed: 'stopped',
  pending: 'not started',
};

function StepIcon(props: { state: StepState }) {
  const styles = useStyles();
  switch (props.state) {
    case 'done':
      return <CheckmarkCircleFilled className={styles.done} aria-hidden />;
    case 'current':
      return <ArrowSyncCircleRegular className={styles.current} aria-hidden />;
    case 'failed':
      return <DismissCircleFilled className={styles.failed} aria-hidden />;
    case 'pending':
      return <CircleRegular className={styles.pending} aria-hidden />;
  }
}

function Figure(props: { label: string; value: string; testId: string }) {
  const styles = useStyles();
  return (
    <div className={styles.figure}>
      <dt>
        <Caption1 className={styles.muted}>{props.label}</Caption1>
      </dt>
      <dd className={styles.figureValue} data-testid={props.testId}>
        {props.value}
      </dd>
    </div>
  );
}

/**
 * Where the run's results are: a way to them once it published them, else why there is none to
 * see (still running, failed, or a newer run shown).
 */
function RunResults(props: { run: Run; shown: ShownResults | undefined }) {
  const styles = useStyles();
  const { run, shown } = props;
  if (shown === undefined) return null;
  const latest = shown ? (
    <Link href="#/results">See the results of the run of {formatDateTime(shown.asOf)}</Link>
  ) : null;
  let text: string;
  if (isActive(run)) {
    text = 'Its results appear on the Results page once it has finished.';
  } else if (run.status === 'succeeded' && shown?.runId === run.runId) {
    return (
      <div className={styles.results} data-testid="run-results">
        <Button
          appearance="primary"
          icon={<DataTrendingRegular />}
          as="a"
          href={`#/results?run=${encodeURIComponent(run.runId)}`}
        >
          See the results
        </Button>
        <Caption1 className={styles.muted}>The Results page shows this run.</Caption1>
      </div>
    );
  } else if (run.status === 'succeeded') {
    text = 'A newer run has been published since; the Results page shows the newest.';
  } else {
    text = shown
      ? 'Nothing of this run was published: the Results page still shows an earlier run.'
      : 'Nothing was published: results appear after the first successful run.';
  }
  return (
    <div className={styles.results} data-testid="run-results">
      <Caption1 className={styles.muted}>{text}</Caption1>
      {!isActive(run) && latest}
    </div>
  );
}

/** One run in detail: steps, mailboxes done of total, counts and errors per mailbox, announced as it moves. */
export function RunProgressPane(props: { run: Run; shown?: ShownResults }) {
  const styles = useStyles();
  const { run } = props;
  const progress = run.progress;
  const done = progress?.mailboxesDone ?? run.counts?.mailboxesDone ?? 0;
  const total = progress?.mailboxesTotal ?? run.counts?.mailboxesTotal ?? 0;
  const active = isActive(run);
  return (
    <Card className={styles.card} aria-labelledby="run-pane-title" data-testid="run-progress">
      <CardHeader
        header={
          <Subtitle2 as="h2" id="run-pane-title">
            {active ? 'Run in progress' : 'Run details'}
          </Subtitle2>
        }
        description={
          <Caption1 className={styles.muted}>
            {triggerLabel(run)} · queued {formatDateTime(run.queuedAt)}
            {run.durationMs !== null ? ` · took ${formatDuration(run.durationMs)}` : ''}
          </Caption1>
        }
        action={
          <Badge appearance="filled" color={STATUS_COLORS[run.status]} data-testid="run-status">
            {STATUS_LABELS[run.status]}
          </Badge>
        }
      />
      <Body1 role="status" aria-live="polite" aria-atomic="true" data-testid="run-sentence">
        {progressSentence(run)}
      </Body1>
      <RunResults run={run} shown={props.shown} />
      <ol className={styles.steps} aria-label="Steps">
        {STEPS.map((s, i) => {
          const state = stepState(run, i);
          const record = run.steps.find((r) => r.step === s.step);
          return (
            <li key={s.step} className={styles.step}>
              <StepIcon state={state} />
              <Text weight={state === 'current' ? 'semibold' : 'regular'}>
                {s.label}
                <span className="visually-hidden">, {STEP_STATE_LABELS[state]}</span>
              </Text>
              {record?.durationMs !== null && record?.durationMs !== undefined && (
                <Caption1 className={styles.stepDuration}>{formatDuration(record.durationMs)}</Caption1>
              )}
            </li>
          );
        })}
      </ol>
      <Field label={`Mailboxes: ${formatCount(done)} of ${formatCount(total)} done`} validationState="none">
        <ProgressBar
          value={total ? done / total : 0}
          thickness="large"
          color={run.status === 'failed' ? 'error' : run.status === 'succeeded' ? 'success' : 'brand'}
          aria-valuetext={`${done} of ${total} mailboxes`}
        />
      </Field>
      <dl className={styles.figures}>
        <Figure
          label="Emails read"
          value={formatCount(progress?.messages ?? run.counts?.emailsRead ?? 0)}
          testId="run-emails-read"
        />
        <Figure
          label="Meetings read"
          value={formatCount(progress?.meetings ?? run.counts?.meetingsRead ?? 0)}
          testId="run-meetings-read"
        />
        {run.counts && (
          <>
            <Figure
              label="Emails counted"
              value={formatCount(run.counts.emailsCounted)}
              testId="run-emails-counted"
            />
            <Figure
              label="Meetings counted"
              value={formatCount(run.counts.meetingsCounted)}
              testId="run-meetings-counted"
            />
            <Figure
              label="Enriched customers"
              value={`${formatCount(run.counts.accountsEnriched)} of ${formatCount(run.counts.accounts)}`}
              testId="run-accounts-enriched"
            />
            <Figure
              label="Days covered"
              value={run.daysCovered === null ? '—' : formatCount(run.daysCovered)}
              testId="run-days-covered"
            />
          </>
        )}
      </dl>
      {run.unknownEntries.length > 0 && (
        <Caption1>Not found in the directory: {run.unknownEntries.join(', ')}</Caption1>
      )}
      {run.mailboxErrors.length > 0 && (
        <div className={styles.tableWrap}>
          <Table size="small" aria-label="Errors per mailbox" className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Mailbox</TableHeaderCell>
                <TableHeaderCell>Problem</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {run.mailboxErrors.map((e) => (
                <TableRow key={e.mailboxId}>
                  <TableCell>{e.address ?? e.mailboxId}</TableCell>
                  <TableCell>
                    {e.kind === 'permission' ? 'No permission: ' : ''}
                    {e.message}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Card>
  );
}
