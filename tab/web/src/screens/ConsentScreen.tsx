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
  ProgressBar,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  CheckmarkCircleFilled,
  DataTrendingRegular,
  MailInboxRegular,
  OpenRegular,
  PlayRegular,
  SendRegular,
  WarningFilled,
} from '@fluentui/react-icons';
import { useEffect, useState, type ReactNode } from 'react';
import { ApiProblem } from '../api/client';
import { api } from '../api/operations';
import type { ConsentAnswer, Enrichment, Run } from '../api/types';
import { useResource } from '../api/use-resource';
import { useRunNow } from '../api/use-run-now';
import { MailboxHealthLine } from './mailboxes/MailboxHealthLine';
import { useEnrichments } from '../enrichment/EnrichmentProvider';
import { hrefOf } from '../router';
import type { ScreenProps } from '../shell/ScreenView';
import { formatCount, formatDateTime, formatRelative } from '../ui/format';
import { NeedsEnrichment } from '../ui/NeedsEnrichment';
import { PageHeader } from '../ui/PageHeader';
import { ProblemBar } from '../ui/ProblemBar';
import { CONSENT_COLORS, CONSENT_LABELS, consentLines, formatSentAt } from './consent-labels';
import { STEPS, progressSentence } from './runs/run-labels';

/** While the tenant admin may be answering, look again now and then. */
const WAITING_POLL_MS = 3000;

const useStyles = makeStyles({
  card: {
    gap: tokens.spacingVerticalM,
    alignItems: 'flex-start',
    // Message bars take the card's width (they do not wrap their text otherwise).
    '& .fui-MessageBar': { alignSelf: 'stretch' },
  },
  lines: { display: 'grid', gap: tokens.spacingVerticalXS },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  local: {
    display: 'grid',
    gridTemplateColumns: '20px minmax(0, 1fr)',
    gap: tokens.spacingHorizontalS,
    alignItems: 'start',
    alignSelf: 'stretch',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorNeutralForeground1,
  },
  localIcon: { fontSize: '20px', color: tokens.colorBrandForeground1 },
  steps: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
  run: { display: 'grid', gap: tokens.spacingVerticalM, alignSelf: 'stretch' },
  runStatus: {
    display: 'grid',
    gridTemplateColumns: '20px minmax(0, 1fr)',
    gap: tokens.spacingHorizontalS,
    alignItems: 'start',
  },
  runText: { display: 'grid', gap: tokens.spacingVerticalXS },
  ok: { color: tokens.colorPaletteGreenForeground1, fontSize: '20px' },
  warning: { color: tokens.colorPaletteDarkOrangeForeground1, fontSize: '20px' },
  muted: { color: tokens.colorNeutralForeground2 },
});

export function ConsentScreen(_props: ScreenProps) {
  return (
    <NeedsEnrichment title="Consent">{(enrichment) => <Consent enrichment={enrichment} />}</NeedsEnrichment>
  );
}

function Consent(props: { enrichment: Enrichment }) {
  const styles = useStyles();
  const id = props.enrichment.enrichmentId;
  const { reload: reloadEnrichments } = useEnrichments();
  const consent = useResource(`consent:${id}`, (signal) => api.consent(id, signal), {
    pollMs: (state) => (state?.status === 'requested' ? WAITING_POLL_MS : undefined),
  });
  const [sending, setSending] = useState(false);
  const [sendProblem, setSendProblem] = useState<ApiProblem>();
  const [sent, setSent] = useState<{ to: string; at: string }>();

  // The other screens read the consent from the enrichment: refresh it once the answer arrived here.
  const status = consent.data?.status;
  const known = props.enrichment.consent.status;
  useEffect(() => {
    if (status && status !== known) reloadEnrichments();
  }, [status, known, reloadEnrichments]);

  const resend = async () => {
    setSending(true);
    setSendProblem(undefined);
    setSent(undefined);
    try {
      const state: ConsentAnswer = await api.requestConsent(id);
      setSent({
        to: state.requestedTo ?? 'the tenant admin',
        at: state.requestedAt ?? new Date().toISOString(),
      });
      consent.reload();
    } catch (error) {
      setSendProblem(error instanceof ApiProblem ? error : undefined);
    } finally {
      setSending(false);
    }
  };

  const state = consent.data;
  const mailbox = state?.localMailboxUrl;
  const waiting = state?.status === 'requested';
  return (
    <>
      <PageHeader
        title="Consent"
        description="A tenant admin must allow Account engagement to read the tracked users' email and meeting metadata before the first run."
      />
      <ProblemBar
        problem={consent.problem}
        title="The consent state could not be loaded"
        onRetry={consent.reload}
      />
      {consent.loading && !state && <Spinner label="Loading the consent state…" />}
      {state && (
        <Card className={styles.card} data-testid="consent-state">
          <CardHeader
            header={<Subtitle2 as="h2">Tenant-admin consent for {props.enrichment.name}</Subtitle2>}
            action={
              <Badge appearance="filled" color={CONSENT_COLORS[state.status]} data-testid="consent-status">
                {CONSENT_LABELS[state.status]}
              </Badge>
            }
          />
          <div className={styles.lines} role="status" aria-live="polite">
            {consentLines(state).map((line) => (
              <Body1 key={line}>{line}</Body1>
            ))}
          </div>
          {state.status === 'granted' ? (
            <Body1>
              Runs may start: run the enrichment below, or see <Link href={hrefOf('runs')}>Runs</Link>.
              Consent can be revoked in <Link href={hrefOf('settings')}>Settings</Link>.
            </Body1>
          ) : (
            <Button
              appearance={waiting && mailbox ? 'secondary' : 'primary'}
              icon={sending ? <Spinner size="tiny" /> : <SendRegular />}
              disabled={sending}
              onClick={() => void resend()}
            >
              {state.status === 'not-requested' ? 'Send the request' : 'Send the request again'}
            </Button>
          )}
          <ProblemBar problem={sendProblem} title="The request was not sent" />
          {sent && state.status === 'requested' && (
            <MessageBar intent="success" data-testid="consent-sent">
              <MessageBarBody>
                Sent to {sent.to} at {formatSentAt(sent.at)}. Earlier links no longer work.
                {mailbox && (
                  <>
                    {' '}
                    <Link href={mailbox} target="_blank" rel="noopener">
                      See it in the local mailbox
                    </Link>
                  </>
                )}
              </MessageBarBody>
            </MessageBar>
          )}
        </Card>
      )}
      {state?.status === 'granted' && <RunCard enrichmentId={id} />}
      {state && state.status !== 'granted' && (
        <Card className={styles.card}>
          <Subtitle2 as="h2">Are you the tenant admin?</Subtitle2>
          {mailbox ? (
            <>
              <div className={styles.local} data-testid="local-mailbox-note">
                <MailInboxRegular className={styles.localIcon} aria-hidden />
                <Body1>
                  {state.requestedTo ? (
                    <>
                      The consent request was mailed to <strong>{state.requestedTo}</strong>. In local mode
                      mail is not sent anywhere: it is delivered to the local mailbox on this computer.
                    </>
                  ) : (
                    <>
                      In local mode mail is not sent anywhere: consent requests are delivered to the local
                      mailbox on this computer. Send the request first.
                    </>
                  )}
                </Body1>
              </div>
              <ol className={styles.steps}>
                <li>
                  <Body1>Open the local mailbox and the newest consent request in it.</Body1>
                </li>
                <li>
                  <Body1>
                    Follow its link to the stand-in for Microsoft&apos;s admin-consent page, and choose Accept
                    (or Cancel).
                  </Body1>
                </li>
                <li>
                  <Body1>Come back here: this page updates by itself.</Body1>
                </li>
              </ol>
              <Button
                as="a"
                href={mailbox}
                target="_blank"
                rel="noopener"
                appearance={waiting ? 'primary' : 'secondary'}
                icon={<OpenRegular />}
              >
                Open the local mailbox
              </Button>
            </>
          ) : (
            <Body1>
              Open the link in the consent request{state.requestedTo ? ` mailed to ${state.requestedTo}` : ''}
              . It leads to Microsoft&apos;s admin-consent page for your organization and back to Account
              engagement, which records the answer; this page updates by itself.
            </Body1>
          )}
        </Card>
      )}
    </>
  );
}

/** Consent is granted: the first run (or the next one) can start now. */
function RunCard(props: { enrichmentId: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.card} data-testid="consent-run">
      <CardHeader
        header={<Subtitle2 as="h2">Run the enrichment</Subtitle2>}
        description={
          <Caption1 className={styles.muted}>
            Runs read the tracked mailboxes&apos; metadata and score every customer.
          </Caption1>
        }
      />
      <RunNowPanel enrichmentId={props.enrichmentId} />
    </Card>
  );
}

function progressValue(run: Run): number | undefined {
  const progress = run.progress;
  if (run.status !== 'running' || !progress) return undefined;
  const index = STEPS.findIndex((s) => s.step === progress.step);
  const within =
    progress.step === 'reading-mailboxes' && progress.mailboxesTotal > 0
      ? progress.mailboxesDone / progress.mailboxesTotal
      : 0;
  return (Math.max(index, 0) + within) / STEPS.length;
}

function RunStatus(props: { run: ReturnType<typeof useRunNow> }) {
  const styles = useStyles();
  const { active, last, schedule, loading } = props.run;
  let icon: ReactNode;
  let text: ReactNode;
  if (loading) {
    icon = <Spinner size="extra-tiny" />;
    text = <Body1>Checking the runs…</Body1>;
  } else if (active) {
    const value = progressValue(active);
    icon = <Spinner size="extra-tiny" />;
    text = (
      <>
        <Body1>{progressSentence(active)}</Body1>
        <ProgressBar
          value={value}
          thickness="large"
          aria-label={value === undefined ? 'Run progress' : `Run progress, ${Math.round(value * 100)}%`}
        />
        <Caption1 className={styles.muted}>
          Started {formatDateTime(active.startedAt ?? active.queuedAt)}.{' '}
          <Link href={hrefOf('runs')}>Follow it on the Runs page</Link>
        </Caption1>
      </>
    );
  } else if (last?.status === 'succeeded') {
    icon = <CheckmarkCircleFilled className={styles.ok} aria-hidden />;
    text = (
      <>
        <Body1>
          The last run finished {formatDateTime(last.finishedAt)}:{' '}
          <strong>
            {formatCount(last.counts?.accountsEnriched ?? 0)} of {formatCount(last.counts?.accounts ?? 0)}
          </strong>{' '}
          customers enriched.
        </Body1>
        <Caption1 className={styles.muted}>
          <Link href={hrefOf('customers')}>Find a customer</Link> ·{' '}
          <Link href={hrefOf('runs')}>Run history</Link>
        </Caption1>
      </>
    );
  } else if (last) {
    icon = <WarningFilled className={styles.warning} aria-hidden />;
    text = (
      <>
        <Body1>{progressSentence(last)}</Body1>
        <Caption1 className={styles.muted}>
          <Link href={hrefOf('runs')}>See the run on the Runs page</Link>
        </Caption1>
      </>
    );
  } else {
    const next = schedule?.nextRun;
    icon = <PlayRegular className={styles.muted} aria-hidden />;
    text = (
      <Body1>
        No run yet. Start the first one now
        {next ? `, or it starts by itself ${formatRelative(next.at)}` : ''}.
      </Body1>
    );
  }
  return (
    <div className={styles.runStatus} role="status" aria-live="polite" data-testid="run-now-status">
      {icon}
      <div className={styles.runText}>{text}</div>
    </div>
  );
}

/**
 * Run now, and how the latest run went: its progress while active, then a link to its results.
 * Shown once consent is granted (on the Consent page and the Overview).
 */
export function RunNowPanel(props: {
  enrichmentId: string;
  extraActions?: ReactNode;
  /** Adds the one-line mailbox health, read again whenever a run ends. */
  mailboxHealth?: boolean;
}) {
  const styles = useStyles();
  const run = useRunNow(props.enrichmentId);
  const hasResults = run.last?.status === 'succeeded';
  return (
    <div className={styles.run}>
      <RunStatus run={run} />
      <ProblemBar problem={run.problem} title="The runs could not be loaded" />
      <ProblemBar problem={run.startProblem} title="The run did not start" />
      <div className={styles.actions}>
        <Button
          appearance={hasResults ? 'secondary' : 'primary'}
          icon={run.starting || run.active ? <Spinner size="tiny" /> : <PlayRegular />}
          disabled={run.starting || !!run.active || !run.schedule}
          onClick={() => void run.start()}
        >
          Run now
        </Button>
        {hasResults && (
          <Button appearance="primary" icon={<DataTrendingRegular />} as="a" href={hrefOf('results')}>
            See the results
          </Button>
        )}
        {props.extraActions}
      </div>
      {props.mailboxHealth && (
        <MailboxHealthLine enrichmentId={props.enrichmentId} lastRunId={run.last?.runId} />
      )}
    </div>
  );
}
