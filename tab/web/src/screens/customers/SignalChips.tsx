import { Badge, Body1, Card, Subtitle2, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { WarningRegular } from '@fluentui/react-icons';
import type { SignalThresholds } from '../../../../../core/engine/signals';
import { signalLabels, type SignalLabel, type SignalName } from '../../../../../core/results/signal-labels';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalS },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gap: tokens.spacingVerticalS,
  },
  item: {
    display: 'grid',
    // One badge column for every row, so the meanings line up.
    gridTemplateColumns: '9.5rem minmax(0, 1fr)',
    alignItems: 'baseline',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    '@media (max-width: 480px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  badge: { justifySelf: 'start', whiteSpace: 'nowrap' },
  row: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalXS,
  },
});

/** Stale is a warning (the account went quiet); the others say something is going wrong with it. */
const colorOf = (signal: SignalName) => (signal === 'Stale' ? 'warning' : 'danger');

/**
 * The account's true risk signals, each a badge with what it means under the enrichment's
 * thresholds ("Unanswered · 3 or more emails to them in 30 days, no reply"); nothing when none is.
 */
export function SignalChips(props: { signals: readonly SignalName[]; thresholds: SignalThresholds }) {
  const styles = useStyles();
  const labels = signalLabels(props.signals, props.thresholds);
  if (!labels.length) return null;
  return (
    <Card className={styles.card} data-testid="card-signals">
      <Subtitle2 as="h2">Risk signals</Subtitle2>
      <ul className={styles.list}>
        {labels.map((label) => (
          <li key={label.signal} className={styles.item} data-testid={`signal-${label.signal}`}>
            <Badge
              appearance="tint"
              color={colorOf(label.signal)}
              icon={<WarningRegular />}
              size="large"
              className={styles.badge}
            >
              {label.name}
            </Badge>
            <Body1>{label.meaning}</Body1>
          </li>
        ))}
      </ul>
    </Card>
  );
}

/**
 * An account's true risk signals as small badges for a list row: the names, with what each means as
 * the badge's tooltip and, for screen readers, in its text; nothing when none is.
 */
export function SignalBadges(props: { signals: readonly SignalName[]; thresholds: SignalThresholds }) {
  const styles = useStyles();
  const labels = signalLabels(props.signals, props.thresholds);
  if (!labels.length) return null;
  return (
    <ul className={styles.row} aria-label="Risk signals" data-testid="row-signals">
      {labels.map((label) => (
        <li key={label.signal}>
          <CompactBadge label={label} />
        </li>
      ))}
    </ul>
  );
}

function CompactBadge(props: { label: SignalLabel }) {
  const styles = useStyles();
  const { label } = props;
  return (
    // The badge's own text already says the meaning to screen readers: the tooltip is for the eye only.
    <Tooltip content={label.meaning} relationship="inaccessible">
      <Badge
        appearance="tint"
        color={colorOf(label.signal)}
        size="medium"
        className={styles.badge}
        data-testid={`row-signal-${label.signal}`}
      >
        <span aria-hidden>{label.name}</span>
        <span className="visually-hidden">{`${label.name}: ${label.meaning}`}</span>
      </Badge>
    </Tooltip>
  );
}
