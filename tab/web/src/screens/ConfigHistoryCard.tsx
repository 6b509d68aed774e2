import { Body1, Caption1, Card, CardHeader, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { api } from '../api/operations';
import type { ConfigChange, FieldChange } from '../api/types';
import { useResource } from '../api/use-resource';
import { formatDateTime } from '../ui/format';
import { ProblemBar } from '../ui/ProblemBar';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column' },
  entry: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} 0`,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  changes: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** The settings as the Settings screen names them. */
const LABELS: Record<string, string> = {
  'privacy.countPrivateMeetings': 'Count private and confidential meetings',
  'privacy.excludedAddresses': 'Excluded addresses',
  'privacy.excludedDomains': 'Excluded domains',
  'privacy.excludedMailboxes': 'Excluded mailboxes',
  'engagement.weights.emailTo': 'Weight of an email to the customer',
  'engagement.weights.emailFrom': 'Weight of an email from the customer',
  'engagement.weights.meeting': 'Weight of a meeting',
  'engagement.halfLifeDays': 'Half-life (days)',
  staleThresholdDays: 'Stale after (days)',
  'schedule.cadence': 'Runs',
  'schedule.dayOfWeek': 'Day of the week',
  'schedule.dayOfMonth': 'Day of the month',
  'schedule.hourUtc': 'Hour (UTC)',
  region: 'Data region',
  tracked: 'Tracked people and groups',
};

const valueText = (value: FieldChange['before']): string =>
  value === null || value === undefined
    ? 'not set'
    : value === true
      ? 'on'
      : value === false
        ? 'off'
        : String(value);

/** At most this many entries of a list change are named; the rest are counted. */
const NAMED_ENTRIES = 5;

function entriesText(verb: string, entries: readonly string[] = []): string | undefined {
  if (entries.length === 0) return undefined;
  const named = entries.slice(0, NAMED_ENTRIES).join(', ');
  const more = entries.length - NAMED_ENTRIES;
  return `${verb} ${named}${more > 0 ? ` and ${more} more` : ''}`;
}

export function changeText(change: FieldChange): string {
  const label = LABELS[change.field] ?? change.field;
  if (change.added || change.removed) {
    const parts = [entriesText('added', change.added), entriesText('removed', change.removed)].filter(
      Boolean,
    );
    return `${label}: ${parts.join('; ')}`;
  }
  return `${label}: ${valueText(change.before)} → ${valueText(change.after)}`;
}

function summaryOf(entry: ConfigChange): string {
  if (entry.kind === 'created') return 'Created the enrichment';
  return entry.changes.length === 0 ? 'Saved without changes' : 'Changed';
}

export function ConfigHistoryCard(props: { enrichmentId: string; version: number }) {
  const styles = useStyles();
  const history = useResource(`config-history:${props.enrichmentId}:${props.version}`, (signal) =>
    api.configHistory(props.enrichmentId, signal),
  );
  const changes = history.data?.changes ?? [];
  return (
    <Card className={styles.card} aria-labelledby="history-heading">
      <CardHeader
        header={
          <Subtitle2 as="h2" id="history-heading">
            History
          </Subtitle2>
        }
      />
      <ProblemBar problem={history.problem} title="The history could not be loaded" />
      {history.data && changes.length === 0 && (
        <Body1 className={styles.muted}>No saves recorded yet: changes made here appear in this list.</Body1>
      )}
      {changes.length > 0 && (
        <ol className={styles.list} aria-label="Configuration history">
          {changes.map((entry) => (
            <li key={entry.version} className={styles.entry}>
              <Body1>
                <strong>Version {entry.version}</strong> · {summaryOf(entry)}
              </Body1>
              <Caption1 className={styles.muted}>
                {entry.changedBy.name} ({entry.changedBy.email}), {formatDateTime(entry.changedAt)}
              </Caption1>
              {entry.changes.length > 0 && (
                <ul className={styles.changes}>
                  {entry.changes.map((change) => (
                    <li key={change.field}>
                      <Caption1>{changeText(change)}</Caption1>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
