import { Body1, Card, Link, Subtitle1, makeStyles, tokens } from '@fluentui/react-components';
import type { AlertSummary } from '../../api/types';
import { hrefOf } from '../../router';
import { formatCount, formatDate } from '../../ui/format';
import { StatGrid, StatTile } from '../../ui/StatTile';

const useStyles = makeStyles({
  empty: { alignItems: 'flex-start', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalXL },
  heading: { margin: 0 },
  prose: { maxWidth: '72ch' },
  links: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL },
  tiles: { gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 130px), 1fr))' },
});

/** Who was told and who was not, at a glance (under the status filter). */
export function DeliveryTiles(props: { summary: AlertSummary }) {
  const styles = useStyles();
  const { delivery, withoutOwner } = props.summary;
  return (
    <StatGrid label="Delivery of the alerts" className={styles.tiles}>
      <StatTile
        label="Sent"
        value={formatCount(delivery.sent)}
        detail="in the owner’s chat with the bot"
        testId="tile-sent"
      />
      <StatTile
        label="Pending"
        value={formatCount(delivery.pending)}
        detail={
          withoutOwner ? `${formatCount(withoutOwner)} without an owner, so never sent` : 'not sent yet'
        }
        testId="tile-pending"
      />
      <StatTile
        label="Failed"
        value={formatCount(delivery.failed)}
        detail="refused or unreachable"
        testId="tile-failed"
      />
      <StatTile
        label="Delivery unconfirmed"
        value={formatCount(delivery.unknown)}
        detail="may have arrived; not sent again"
        testId="tile-unknown"
      />
      <StatTile
        label="Not installed"
        value={formatCount(delivery['skipped-not-installed'])}
        detail="the owner has no chat with the bot"
        testId="tile-not-installed"
      />
    </StatGrid>
  );
}

/** Why there is no alert yet, and when there will be. */
export function NoAlerts(props: { summary: AlertSummary; thresholdDays: number }) {
  const styles = useStyles();
  const { baseline, lastRunId } = props.summary;
  const first = baseline?.asOf ? `The first run (data as of ${formatDate(baseline.asOf)})` : 'The first run';
  const state = !baseline
    ? 'No run has succeeded yet. The first successful run records which accounts are already stale and raises no alert for them.'
    : lastRunId === baseline.runId
      ? `${first} recorded which accounts were already stale and raised no alert for them. Alerts come from the runs after it.`
      : `No account has gone stale since the first run. ${first} recorded which accounts were already stale and raised no alert for them.`;
  return (
    <Card className={styles.empty} data-testid="no-alerts">
      <Subtitle1 as="h2" className={styles.heading}>
        No alerts yet
      </Subtitle1>
      <Body1 className={styles.prose}>{state}</Body1>
      <Body1 className={styles.prose}>
        A run raises one alert for each account that has gone stale since the run before: no counted email and
        no counted meeting for more than {props.thresholdDays} days. An account that stays stale is not
        alerted again until it has been engaged and gone quiet once more. The alert goes to the account’s
        owner in the customer dataset, else to the tracked user most in touch with it.
      </Body1>
      <div className={styles.links}>
        <Link href="#/segments?segment=stale">See the accounts that are stale now</Link>
        <Link href={hrefOf('settings')}>Change the stale threshold</Link>
      </div>
    </Card>
  );
}
