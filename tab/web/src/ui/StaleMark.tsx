import { Badge, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { HistoryRegular } from '@fluentui/react-icons';
import { staleness, staleText, type QuietRow } from '../../../../core/segments/segment-columns';
import { ScoreBadge } from './ScoreBadge';

const useStyles = makeStyles({
  // In a table the score and its mark stay on one line, aligned like the other figures.
  pair: {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'flex-end',
    gap: tokens.spacingHorizontalXS,
    flexWrap: 'nowrap',
  },
  // The whole sentence wraps inside its badge in a narrow card instead of spilling out of it.
  full: {
    height: 'auto',
    minHeight: '24px',
    whiteSpace: 'normal',
    textAlign: 'start',
    paddingTop: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalXXS,
  },
  compact: { whiteSpace: 'nowrap' },
});

/**
 * The stale mark of an account quiet for longer than the stale threshold (the rule of the built-in
 * "Stale accounts" segment and of alerts): "Stale: no email or meeting for 159 days". `compact`
 * shows "Stale · 159 days" with the whole sentence as its name and tooltip (tables).
 */
export function StaleMark(props: { row: QuietRow; thresholdDays: number; compact?: boolean }) {
  const styles = useStyles();
  const text = staleText(props.row, props.thresholdDays);
  if (!text) return null;
  const { quietDays } = staleness(props.row, props.thresholdDays);
  const badge = (
    <Badge
      appearance="tint"
      color="warning"
      icon={<HistoryRegular />}
      data-testid="stale-mark"
      size={props.compact ? 'medium' : 'large'}
      className={props.compact ? styles.compact : styles.full}
    >
      {props.compact ? (
        <>
          <span aria-hidden>{`Stale · ${quietDays === null ? 'none this year' : `${quietDays} days`}`}</span>
          <span className="visually-hidden">{text}</span>
        </>
      ) : (
        text
      )}
    </Badge>
  );
  return props.compact ? (
    <Tooltip content={text} relationship="description">
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** The score with its band and, when the account is stale, the stale mark beside it. */
export function ScoreWithStale(props: {
  score: number;
  row: QuietRow;
  thresholdDays: number | undefined;
  compact?: boolean;
}) {
  const styles = useStyles();
  return (
    <span className={styles.pair}>
      <ScoreBadge score={props.score} />
      {props.thresholdDays !== undefined && (
        <StaleMark row={props.row} thresholdDays={props.thresholdDays} compact={props.compact ?? true} />
      )}
    </span>
  );
}
