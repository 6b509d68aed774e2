import {
  Badge,
  Body1,
  Button,
  Card,
  CardHeader,
  Link,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { SendRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ApiProblem } from '../api/client';
import { api } from '../api/operations';
import type { ConsentState, Enrichment } from '../api/types';
import { useResource } from '../api/use-resource';
import { useEnrichments } from '../enrichment/EnrichmentProvider';
import { hrefOf } from '../router';
import type { ScreenProps } from '../shell/ScreenView';
import { NeedsEnrichment } from '../ui/NeedsEnrichment';
import { PageHeader } from '../ui/PageHeader';
import { ProblemBar } from '../ui/ProblemBar';
import { CONSENT_COLORS, CONSENT_LABELS, consentLines } from './consent-labels';

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
});

export function ConsentScreen(_props: ScreenProps) {
  return (
    <NeedsEnrichment title="Consent">{(enrichment) => <Consent enrichment={enrichment} />}</NeedsEnrichment>
  );
}

function Consent(props: { enrichment: Enrichment }) {
  const styles = useStyles();
  const id = props.enrichment.enrichmentId;
  const enrichments = useEnrichments();
  const consent = useResource(`consent:${id}`, (signal) => api.consent(id, signal), {
    pollMs: (state) => (state?.status === 'requested' ? WAITING_POLL_MS : undefined),
  });
  const [sending, setSending] = useState(false);
  const [sendProblem, setSendProblem] = useState<ApiProblem>();
  const [sentTo, setSentTo] = useState<string>();

  const resend = async () => {
    setSending(true);
    setSendProblem(undefined);
    setSentTo(undefined);
    try {
      const state: ConsentState = await api.requestConsent(id);
      setSentTo(state.requestedTo ?? 'the tenant admin');
      consent.reload();
      enrichments.reload();
    } catch (error) {
      setSendProblem(error instanceof ApiProblem ? error : undefined);
    } finally {
      setSending(false);
    }
  };

  const state = consent.data;
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
              Runs may start: see <Link href={hrefOf('runs')}>Runs</Link>. Consent can be revoked in{' '}
              <Link href={hrefOf('settings')}>Settings</Link>.
            </Body1>
          ) : (
            <Button
              appearance="primary"
              icon={sending ? <Spinner size="tiny" /> : <SendRegular />}
              disabled={sending}
              onClick={() => void resend()}
            >
              {state.status === 'not-requested' ? 'Send the request' : 'Send the request again'}
            </Button>
          )}
          <ProblemBar problem={sendProblem} title="The request was not sent" />
          {sentTo && (
            <MessageBar intent="success">
              <MessageBarBody>Sent to {sentTo}. Earlier links no longer work.</MessageBarBody>
            </MessageBar>
          )}
        </Card>
      )}
      {state && state.status !== 'granted' && (
        <Card className={styles.card}>
          <Subtitle2 as="h2">Are you the tenant admin?</Subtitle2>
          <Body1>
            Open the link in the consent request{state.requestedTo ? ` mailed to ${state.requestedTo}` : ''}.
            It leads to Microsoft&apos;s admin-consent page for your organization and back to Account
            engagement, which records the answer; this page updates by itself.
          </Body1>
        </Card>
      )}
    </>
  );
}
