import {
  Body1,
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { HistoryRegular, ShieldCheckmarkRegular } from '@fluentui/react-icons';
import type { SaveOutcome } from '../api/types';
import { PageHeader } from '../ui/PageHeader';

const useStyles = makeStyles({
  card: {
    gap: tokens.spacingVerticalM,
    alignItems: 'flex-start',
    // Message bars take the card's width (they do not wrap their text otherwise).
    '& .fui-MessageBar': { alignSelf: 'stretch' },
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** After a save: what was saved, what the tracked entries resolved to, and whether the consent request went out. */
export function SavedPanel(props: { outcome: SaveOutcome; edited: boolean }) {
  const styles = useStyles();
  const { enrichment, consentRequest } = props.outcome;
  const summary = enrichment.trackedSummary;
  return (
    <>
      <PageHeader title={props.edited ? 'Configuration saved' : 'Enrichment saved'} />
      <Card className={styles.card} data-testid="saved-panel">
        <Body1>
          <strong>{enrichment.name}</strong> is saved (version {enrichment.version}). Its{' '}
          {summary.resolvedUsers} tracked users were resolved from {enrichment.tracked.length}{' '}
          {enrichment.tracked.length === 1 ? 'entry' : 'entries'}
          {summary.groups ? ` (${summary.groups} ${summary.groups === 1 ? 'group' : 'groups'})` : ''}.
          {summary.unknown.length > 0 && ` Not found in the directory: ${summary.unknown.join(', ')}.`}
        </Body1>
        {consentRequest?.sent && (
          <MessageBar intent="success">
            <MessageBarBody>
              <MessageBarTitle>Consent requested</MessageBarTitle>
              The consent request was mailed to {consentRequest.to}. The first run starts six hours after
              consent is granted.
            </MessageBarBody>
          </MessageBar>
        )}
        {consentRequest && !consentRequest.sent && (
          <MessageBar intent="warning">
            <MessageBarBody>
              <MessageBarTitle>The consent request was not sent</MessageBarTitle>
              {consentRequest.error} Send it again from the Consent page.
            </MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.actions}>
          <Button appearance="primary" icon={<ShieldCheckmarkRegular />} as="a" href="#/consent">
            See the consent state
          </Button>
          <Button icon={<HistoryRegular />} as="a" href="#/runs">
            Go to runs
          </Button>
        </div>
      </Card>
    </>
  );
}
