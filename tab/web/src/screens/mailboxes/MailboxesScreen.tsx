import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  Link,
  Spinner,
  Text,
  ToggleButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowClockwiseRegular,
  ArrowSyncRegular,
  ChevronLeftRegular,
  ChevronRightRegular,
} from '@fluentui/react-icons';
import { useState } from 'react';
import { api } from '../../api/operations';
import type { Enrichment, MailboxHealth, MailboxStatus, MailboxSummary } from '../../api/types';
import { useResource } from '../../api/use-resource';
import { useRunNow, type RunNow } from '../../api/use-run-now';
import { hrefOf } from '../../router';
import type { ScreenProps } from '../../shell/ScreenView';
import { formatCount, formatDateTime } from '../../ui/format';
import { NeedsEnrichment } from '../../ui/NeedsEnrichment';
import { PageHeader } from '../../ui/PageHeader';
import { ProblemBar } from '../../ui/ProblemBar';
import {
  MAILBOX_PROBLEM_HELP,
  MAILBOX_STATUSES,
  MAILBOX_STATUS_COLORS,
  MAILBOX_STATUS_LABELS,
  healthSentence,
  isMailboxStatus,
} from './mailbox-labels';

const PAGE_SIZE = 50;

const useStyles = makeStyles({
  layout: { display: 'grid', gap: tokens.spacingVerticalL },
  card: { gap: tokens.spacingVerticalM },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground2 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'grid' },
  item: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) auto minmax(0, 2fr) minmax(0, 1.4fr)',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    alignItems: 'center',
    padding: `${tokens.spacingVerticalM} 0`,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    ':first-child': { borderTopStyle: 'none', paddingTop: 0 },
    '@media (max-width: 760px)': { gridTemplateColumns: 'minmax(0, 1fr) auto' },
  },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere' },
  figures: {
    fontVariantNumeric: 'tabular-nums',
    '@media (max-width: 760px)': { gridColumn: '1 / -1' },
  },
  read: { '@media (max-width: 760px)': { gridColumn: '1 / -1' } },
  problem: {
    gridColumn: '1 / -1',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    overflowWrap: 'anywhere',
  },
  pager: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
  pagerButtons: { display: 'flex', gap: tokens.spacingHorizontalS },
  reread: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
  },
  rereadOffer: { display: 'grid', gap: tokens.spacingVerticalS },
});

export function MailboxesScreen(props: ScreenProps) {
  const status = props.route.query.get('status');
  return (
    <NeedsEnrichment title="Mailbox health">
      {(enrichment) => (
        <Mailboxes
          key={`${enrichment.enrichmentId}:${status ?? ''}`}
          enrichment={enrichment}
          status={isMailboxStatus(status) ? status : undefined}
        />
      )}
    </NeedsEnrichment>
  );
}

/** The filter lives in the route (`#/mailboxes?status=throttled`), so the Overview can link to it. */
function mailboxesHref(status: MailboxStatus | undefined): string {
  return status ? `${hrefOf('mailboxes')}?status=${status}` : hrefOf('mailboxes');
}

function Mailboxes(props: { enrichment: Enrichment; status: MailboxStatus | undefined }) {
  const styles = useStyles();
  const id = props.enrichment.enrichmentId;
  const { status } = props;
  // The tokens of the pages before the one shown; the last is the shown page's own.
  const [trail, setTrail] = useState<(string | undefined)[]>([undefined]);
  const token = trail.at(-1);
  const run = useRunNow(id);
  // Read again whenever a run ends (a re-read started here, or any other).
  const lastRun = run.last?.runId ?? '';
  const summary = useResource(
    `mailbox-summary:${id}:${lastRun}`,
    (signal) => api.mailboxSummary(id, signal),
    { keepData: true },
  );
  const page = useResource(
    `mailboxes:${id}:${status ?? ''}:${token ?? ''}:${lastRun}`,
    (signal) => api.mailboxes(id, { status, pageSize: PAGE_SIZE, page: token }, signal),
    { keepData: true },
  );
  const counts = summary.data;
  const mailboxes = page.data?.mailboxes ?? [];
  const first = (trail.length - 1) * PAGE_SIZE + 1;
  const shownTotal = counts ? (status ? counts.counts[status] : counts.total) : undefined;

  return (
    <>
      <PageHeader
        title="Mailbox health"
        description="How the last successful run read each tracked mailbox: what it gave, when it was last read completely, and why not."
        actions={
          <Button
            icon={<ArrowClockwiseRegular />}
            onClick={() => {
              summary.reload();
              page.reload();
            }}
          >
            Refresh
          </Button>
        }
      />
      <ProblemBar
        problem={summary.problem}
        title="The summary could not be loaded"
        onRetry={summary.reload}
      />
      {counts && counts.lastRun === null ? (
        <Card>
          <Body1>
            No run has read the mailboxes yet. <Link href={hrefOf('runs')}>Start a run</Link>
          </Body1>
        </Card>
      ) : (
        <div className={styles.layout}>
          {counts && <SummaryCard summary={counts} status={status} run={run} />}
          <Card className={styles.card}>
            <ProblemBar
              problem={page.problem}
              title="The mailboxes could not be loaded"
              onRetry={page.reload}
            />
            {page.loading && !page.data && <Spinner size="small" label="Loading the mailboxes…" />}
            {page.data && mailboxes.length === 0 && (
              <Body1>
                No mailbox {status ? `is “${MAILBOX_STATUS_LABELS[status]}”` : 'is tracked'}.{' '}
                {status && <Link href={mailboxesHref(undefined)}>Show every mailbox</Link>}
              </Body1>
            )}
            {mailboxes.length > 0 && (
              <ul className={styles.list} aria-label="Tracked mailboxes">
                {mailboxes.map((mailbox) => (
                  <MailboxItem key={mailbox.mailboxId} mailbox={mailbox} />
                ))}
              </ul>
            )}
            {mailboxes.length > 0 && (
              <div className={styles.pager}>
                <Caption1 className={styles.muted} aria-live="polite">
                  {formatCount(first)}–{formatCount(first + mailboxes.length - 1)}
                  {shownTotal === undefined ? '' : ` of ${formatCount(shownTotal)}`}, by address
                </Caption1>
                {(trail.length > 1 || page.data?.nextPage) && (
                  <div className={styles.pagerButtons}>
                    <Button
                      icon={<ChevronLeftRegular />}
                      disabled={trail.length === 1}
                      onClick={() => setTrail(trail.slice(0, -1))}
                    >
                      Previous
                    </Button>
                    <Button
                      icon={<ChevronRightRegular />}
                      iconPosition="after"
                      disabled={!page.data?.nextPage}
                      onClick={() => setTrail([...trail, page.data?.nextPage])}
                    >
                      Next
                    </Button>
                  </div>
                )}
              </div>
            )}
          </Card>
        </div>
      )}
    </>
  );
}

function SummaryCard(props: { summary: MailboxSummary; status: MailboxStatus | undefined; run: RunNow }) {
  const styles = useStyles();
  const { summary, status } = props;
  return (
    <Card className={styles.card} data-testid="mailbox-summary">
      <Body1>
        {healthSentence(summary)}{' '}
        <span className={styles.muted}>Last run as of {formatDateTime(summary.lastRun?.asOf)}.</span>
      </Body1>
      {summary.counts.ok < summary.total && <Reread offer={summary.reread} run={props.run} />}
      <div className={styles.filters} role="group" aria-label="Show">
        <ToggleButton
          checked={!status}
          appearance={status ? 'secondary' : 'primary'}
          as="a"
          href={mailboxesHref(undefined)}
        >
          All ({formatCount(summary.total)})
        </ToggleButton>
        {MAILBOX_STATUSES.map((s) => (
          <ToggleButton
            key={s}
            checked={status === s}
            appearance={status === s ? 'primary' : 'secondary'}
            as="a"
            href={mailboxesHref(s)}
          >
            {MAILBOX_STATUS_LABELS[s]} ({formatCount(summary.counts[s])})
          </ToggleButton>
        ))}
      </div>
    </Card>
  );
}

/**
 * Reads again only the mailboxes the last run could not read, while its reading is kept; otherwise
 * says why not and points to a full run.
 */
function Reread(props: { offer: MailboxSummary['reread']; run: RunNow }) {
  const styles = useStyles();
  const { offer, run } = props;
  const active = run.active;
  if (active?.trigger.kind === 'reread') {
    const progress = active.progress;
    return (
      <div className={styles.reread} data-testid="reread" data-state="running" aria-live="polite">
        <Spinner size="tiny" />
        <Body1>
          Reading{' '}
          {progress
            ? `${formatCount(progress.mailboxesDone)} of ${formatCount(progress.mailboxesTotal)}`
            : 'the'}{' '}
          mailboxes again…
        </Body1>
      </div>
    );
  }
  if (!offer.available) {
    return (
      <div className={styles.reread} data-testid="reread" data-state="unavailable">
        <Caption1 className={styles.muted}>
          {offer.reason} <Link href={hrefOf('runs')}>Go to Runs</Link>
        </Caption1>
      </div>
    );
  }
  const noun = offer.mailboxes === 1 ? 'mailbox' : `${formatCount(offer.mailboxes)} mailboxes`;
  return (
    <div className={styles.rereadOffer} data-testid="reread" data-state="available">
      <ProblemBar problem={run.startProblem} title="The mailboxes are not read again" />
      <div className={styles.reread}>
        <Button
          appearance="primary"
          icon={run.starting ? <Spinner size="tiny" /> : <ArrowSyncRegular />}
          disabled={run.starting || !!active}
          onClick={() => void run.reread(offer.runId)}
        >
          Read the {noun} again
        </Button>
        <Caption1 className={styles.muted}>
          {active
            ? 'A run is in progress; try again when it ends.'
            : `Only ${offer.mailboxes === 1 ? 'this mailbox is' : 'these mailboxes are'} read, as of the last run, and the results are updated when done. Possible until ${formatDateTime(offer.until)}.`}
        </Caption1>
      </div>
    </div>
  );
}

function MailboxItem(props: { mailbox: MailboxHealth }) {
  const styles = useStyles();
  const { mailbox } = props;
  const { status } = mailbox;
  return (
    <li className={styles.item} data-testid="mailbox" data-status={status}>
      <span className={styles.who}>
        <Text weight="semibold">{mailbox.displayName ?? mailbox.address}</Text>
        {mailbox.displayName && <Caption1 className={styles.muted}>{mailbox.address}</Caption1>}
      </span>
      <Badge appearance="tint" color={MAILBOX_STATUS_COLORS[status]}>
        {MAILBOX_STATUS_LABELS[status]}
      </Badge>
      <Caption1 className={styles.figures}>
        {formatCount(mailbox.messages)} {mailbox.messages === 1 ? 'message' : 'messages'} ·{' '}
        {formatCount(mailbox.meetings)} {mailbox.meetings === 1 ? 'meeting' : 'meetings'} ·{' '}
        {formatCount(mailbox.folders)} {mailbox.folders === 1 ? 'folder' : 'folders'}
      </Caption1>
      <Caption1 className={styles.read}>
        {mailbox.lastRead
          ? `Last complete read ${formatDateTime(mailbox.lastRead.asOf)}`
          : 'Never read completely'}
      </Caption1>
      {status !== 'ok' && (
        <div className={styles.problem}>
          <Caption1>{MAILBOX_PROBLEM_HELP[status]}</Caption1>
          {mailbox.problem && <Caption1 className={styles.muted}>{mailbox.problem}</Caption1>}
        </div>
      )}
    </li>
  );
}
