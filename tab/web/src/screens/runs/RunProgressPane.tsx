import {
  Badge,
  Body1,
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
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  CheckmarkCircleFilled,
  CircleRegular,
  DismissCircleFilled,
  ArrowSyncCircleRegular,
} from '@fluentui/react-icons';
import type { Run } from '../../api/types';
import { formatCount, formatDateTime, formatDuration } from '../../ui/format';
import { STATUS_COLORS, STATUS_LABELS, STEPS, isActive, progressSentence, triggerLabel } from './run-labels';

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
});

type StepState = 'done' | 'current' | 'failed' | 'pending';

function stepState(run: Run, index: number): StepState {
  const step = STEPS[index]?.step;
  const record = run.steps.find((s) => s.step === step);
  if (record?.finishedAt) return 'done';
  if (record) return run.status === 'failed' || run.status === 'interrupted' ? 'failed' : 'current';
  if (run.status === 'succeeded') return 'done';
  return 'pending';
}

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

/** One run in detail: steps, mailboxes done of total, counts and errors per mailbox, announced as it moves. */
export function RunProgressPane(props: { run: Run }) {
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
              label="Customers enriched"
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
