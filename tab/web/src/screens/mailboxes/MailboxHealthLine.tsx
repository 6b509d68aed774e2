import { Body1, Link, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, WarningFilled } from '@fluentui/react-icons';
import { api } from '../../api/operations';
import { useResource } from '../../api/use-resource';
import { hrefOf } from '../../router';
import { healthSentence } from './mailbox-labels';

const useStyles = makeStyles({
  line: { display: 'grid', gridTemplateColumns: '20px minmax(0, 1fr)', gap: tokens.spacingHorizontalS },
  ok: { color: tokens.colorPaletteGreenForeground1, fontSize: '20px' },
  warning: { color: tokens.colorPaletteMarigoldForeground1, fontSize: '20px' },
});

/**
 * One line on how the last run read the tracked mailboxes, linking to the Mailboxes screen; read
 * again when `lastRunId` (the last finished run) changes.
 */
export function MailboxHealthLine(props: { enrichmentId: string; lastRunId: string | undefined }) {
  const styles = useStyles();
  const summary = useResource(
    `mailbox-summary:${props.enrichmentId}:${props.lastRunId ?? ''}`,
    (signal) => api.mailboxSummary(props.enrichmentId, signal),
    { keepData: true },
  );
  const data = summary.data;
  if (!data?.lastRun) return null;
  const healthy = data.counts.ok === data.total;
  return (
    <div className={styles.line} data-testid="mailbox-health-line" data-healthy={healthy}>
      {healthy ? (
        <CheckmarkCircleFilled className={styles.ok} aria-hidden />
      ) : (
        <WarningFilled className={styles.warning} aria-hidden />
      )}
      <Body1>
        {healthSentence(data)}{' '}
        <Link href={hrefOf('mailboxes')}>
          {healthy ? 'Mailbox health' : data.reread.available ? 'Read them again' : 'See the mailboxes'}
        </Link>
      </Body1>
    </div>
  );
}
