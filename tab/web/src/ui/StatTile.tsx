import { Caption1, Card, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  card: { minWidth: 0, gap: tokens.spacingVerticalXXS },
  value: {
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
    fontVariantNumeric: 'tabular-nums',
  },
  label: { color: tokens.colorNeutralForeground2 },
});

/** One figure with its label, e.g. "Enriched customers 212". */
export function StatTile(props: { label: string; value: ReactNode; detail?: ReactNode; testId?: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.card} data-testid={props.testId} role="group" aria-label={props.label}>
      <Caption1 className={styles.label}>{props.label}</Caption1>
      <Text className={styles.value}>{props.value}</Text>
      {props.detail && <Caption1 className={styles.label}>{props.detail}</Caption1>}
    </Card>
  );
}

const useGridStyles = makeStyles({
  grid: {
    display: 'grid',
    gap: tokens.spacingHorizontalM,
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 130px), 1fr))',
  },
});

export function StatGrid(props: { children: ReactNode; label: string; className?: string }) {
  const styles = useGridStyles();
  return (
    <section aria-label={props.label} className={mergeClasses(styles.grid, props.className)}>
      {props.children}
    </section>
  );
}
