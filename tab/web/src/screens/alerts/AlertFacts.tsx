import { Badge, Caption1, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { Alert } from '../../api/types';
import { hrefOf } from '../../router';
import { formatDate } from '../../ui/format';
import { deliveryVerdict, ownerVerdict, quietFor, statusVerdict, type Verdict } from './alert-labels';

const useStyles = makeStyles({
  fact: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalXXS,
    minWidth: 0,
  },
  detail: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  strong: { fontWeight: tokens.fontWeightSemibold, overflowWrap: 'break-word' },
  missing: { fontStyle: 'italic' },
  nowrap: { whiteSpace: 'nowrap' },
});

/** The account (a link to its customer card), its id and when the alert was raised. */
export function AccountFact(props: { alert: Alert }) {
  const styles = useStyles();
  const { alert } = props;
  return (
    <div className={styles.fact}>
      <Link href={hrefOf('customers', alert.accountId)} className={styles.strong}>
        {alert.accountName}
      </Link>
      <Caption1 className={styles.detail}>{alert.accountId}</Caption1>
    </div>
  );
}

export function QuietFact(props: { alert: Alert }) {
  const styles = useStyles();
  const [email, meeting] = quietFor(props.alert);
  return (
    <div className={styles.fact}>
      <Text className={styles.nowrap}>{formatDate(props.alert.staleSince)}</Text>
      <Caption1 className={styles.detail}>{email}</Caption1>
      <Caption1 className={styles.detail}>{meeting}</Caption1>
    </div>
  );
}

/** An address that breaks after its `@` when it must. */
function Email(props: { address: string }) {
  const at = props.address.indexOf('@') + 1;
  if (at <= 0) return props.address;
  return (
    <>
      {props.address.slice(0, at)}
      <wbr />
      {props.address.slice(at)}
    </>
  );
}

export function OwnerFact(props: { alert: Alert }) {
  const styles = useStyles();
  const { owner, detail } = ownerVerdict(props.alert);
  return (
    <div className={styles.fact}>
      {owner ? (
        <Text className={styles.strong}>
          <Email address={owner} />
        </Text>
      ) : (
        <Text className={styles.missing}>No owner</Text>
      )}
      <Caption1 className={styles.detail}>{detail}</Caption1>
    </div>
  );
}

function VerdictFact(props: { verdict: Verdict; testId: string }) {
  const styles = useStyles();
  const { verdict } = props;
  return (
    <div className={styles.fact} data-testid={props.testId}>
      <Badge appearance="tint" color={verdict.color}>
        {verdict.label}
      </Badge>
      {verdict.detail && <Caption1 className={styles.detail}>{verdict.detail}</Caption1>}
    </div>
  );
}

export const StatusFact = (props: { alert: Alert }) => (
  <VerdictFact verdict={statusVerdict(props.alert)} testId="alert-status" />
);

export const DeliveryFact = (props: { alert: Alert }) => (
  <VerdictFact verdict={deliveryVerdict(props.alert)} testId="alert-delivery" />
);
