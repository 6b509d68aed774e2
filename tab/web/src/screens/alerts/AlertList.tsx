import {
  Card,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { Alert } from '../../api/types';
import { ScoreBadge } from '../../ui/ScoreBadge';
import { AccountFact, DeliveryFact, OwnerFact, QuietFact, StatusFact } from './AlertFacts';

const useStyles = makeStyles({
  table: { tableLayout: 'auto' },
  cell: { verticalAlign: 'top', paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS },
  account: { width: '18%' },
  quiet: { width: '17%' },
  score: { width: '1%', whiteSpace: 'nowrap' },
  badge: { flexShrink: 0, whiteSpace: 'nowrap' },
  owner: { width: '20%' },
  status: { width: '16%' },
  delivery: { width: '28%' },
  cards: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  card: { gap: tokens.spacingVerticalS },
  heading: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalS,
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 200px), 1fr))',
    gap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: {
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightSemibold,
  },
  value: { margin: 0 },
});

const COLUMNS = ['Account', 'Stale since', 'Score', 'Owner', 'Status', 'Delivery'] as const;

/** The alerts as a table where there is room, else one card each. */
export function AlertList(props: { alerts: Alert[]; wide: boolean }) {
  return props.wide ? <AlertTable alerts={props.alerts} /> : <AlertCards alerts={props.alerts} />;
}

function AlertTable(props: { alerts: Alert[] }) {
  const styles = useStyles();
  const widths: Record<(typeof COLUMNS)[number], string> = {
    Account: styles.account,
    'Stale since': styles.quiet,
    Score: styles.score,
    Owner: styles.owner,
    Status: styles.status,
    Delivery: styles.delivery,
  };
  return (
    <Table aria-label="Alerts" size="small" className={styles.table}>
      <TableHeader>
        <TableRow>
          {COLUMNS.map((column) => (
            <TableHeaderCell key={column} className={widths[column]}>
              {column}
            </TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.alerts.map((alert) => (
          <TableRow key={alert.alertId} data-testid={`alert-${alert.accountId}`}>
            <TableCell className={styles.cell}>
              <AccountFact alert={alert} />
            </TableCell>
            <TableCell className={styles.cell}>
              <QuietFact alert={alert} />
            </TableCell>
            <TableCell className={mergeClasses(styles.cell, styles.score)}>
              <ScoreBadge score={alert.engagementScore} />
            </TableCell>
            <TableCell className={styles.cell}>
              <OwnerFact alert={alert} />
            </TableCell>
            <TableCell className={styles.cell}>
              <StatusFact alert={alert} />
            </TableCell>
            <TableCell className={styles.cell}>
              <DeliveryFact alert={alert} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function AlertCards(props: { alerts: Alert[] }) {
  const styles = useStyles();
  return (
    <ul className={styles.cards} aria-label="Alerts">
      {props.alerts.map((alert) => (
        <li key={alert.alertId} data-testid={`alert-${alert.accountId}`}>
          <Card className={styles.card} appearance="outline">
            <div className={styles.heading}>
              <AccountFact alert={alert} />
              <span className={styles.badge}>
                <ScoreBadge score={alert.engagementScore} />
              </span>
            </div>
            <dl className={styles.facts}>
              <div>
                <dt className={styles.term}>Stale since</dt>
                <dd className={styles.value}>
                  <QuietFact alert={alert} />
                </dd>
              </div>
              <div>
                <dt className={styles.term}>Owner</dt>
                <dd className={styles.value}>
                  <OwnerFact alert={alert} />
                </dd>
              </div>
              <div>
                <dt className={styles.term}>Status</dt>
                <dd className={styles.value}>
                  <StatusFact alert={alert} />
                </dd>
              </div>
              <div>
                <dt className={styles.term}>Delivery</dt>
                <dd className={styles.value}>
                  <DeliveryFact alert={alert} />
                </dd>
              </div>
            </dl>
          </Card>
        </li>
      ))}
    </ul>
  );
}
