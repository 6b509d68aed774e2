import type { BadgeProps } from '@fluentui/react-components';
import { awaitsDelivery, MAX_DELIVERY_ATTEMPTS } from '../../../../../core/segments/alert-delivery-policy';
import type { Alert, AlertStatus, DeliveryStatus } from '../../api/types';
import { formatDate, formatDateTime } from '../../ui/format';

type BadgeColor = NonNullable<BadgeProps['color']>;

/** A badge and the sentence that explains it. */
export interface Verdict {
  label: string;
  color: BadgeColor;
  detail: string;
}

export const STATUS_LABELS: Record<AlertStatus, string> = {
  open: 'Open',
  snoozed: 'Snoozed',
  declined: 'Declined',
  resolved: 'Resolved',
};

const STATUS_COLORS: Record<AlertStatus, BadgeColor> = {
  open: 'brand',
  snoozed: 'informative',
  declined: 'subtle',
  resolved: 'success',
};

export const DELIVERY_LABELS: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  sent: 'Sent',
  failed: 'Failed',
  unknown: 'Delivery unconfirmed',
  'skipped-not-installed': 'Not installed',
};

export const isAlertStatus = (value: string | null): value is AlertStatus =>
  value !== null && Object.hasOwn(STATUS_LABELS, value);

export const isDeliveryStatus = (value: string | null): value is DeliveryStatus =>
  value !== null && Object.hasOwn(DELIVERY_LABELS, value);

export function statusVerdict(alert: Alert): Verdict {
  const { status, closedBy } = alert;
  const on = formatDate(alert.closedAt);
  const who = !closedBy || closedBy === alert.owner?.email ? 'The owner' : closedBy;
  const detail = {
    open: '',
    snoozed: `${who} snoozed the account on ${on}.`,
    declined: `${who} said it is not their account, on ${on}.`,
    resolved: `The account was engaged again: closed on ${on}.`,
  }[status];
  return { label: STATUS_LABELS[status], color: STATUS_COLORS[status], detail };
}

/** Who the alert is for, and where that came from. */
export function ownerVerdict(alert: Alert): { owner: string | null; detail: string } {
  if (alert.owner) {
    return {
      owner: alert.owner.email,
      detail:
        alert.owner.source === 'owner-field'
          ? 'Owner in the customer dataset'
          : 'Most engaged tracked user (the dataset names no owner, or its owner said it is not theirs)',
    };
  }
  return {
    owner: null,
    detail:
      alert.ownerReason === 'owner-declined'
        ? 'Everyone who could own it (the dataset’s owner, the most engaged tracked user) said it is not their account.'
        : 'The customer dataset names no owner and no tracked user was in touch with it in the last year.',
  };
}

/** What happened to the alert's message, and what happens next: read from the delivery record and the sender's rules. */
export function deliveryVerdict(alert: Alert): Verdict {
  const { delivery } = alert;
  if (!alert.owner) {
    return { label: 'Not sent', color: 'subtle', detail: 'Nobody to send it to: the alert has no owner.' };
  }
  switch (delivery.status) {
    case 'pending':
      return awaitsDelivery(alert)
        ? {
            label: 'Pending',
            color: 'informative',
            detail: delivery.attempts
              ? 'Not sent yet: the owner has installed the app since it was skipped, so the bot sends it now, or at its next retry pass.'
              : 'Not sent yet: the bot sends it right after the run that raised it, or at its next retry pass.',
          }
        : {
            label: 'Not sent',
            color: 'subtle',
            detail: `The alert was ${STATUS_LABELS[alert.status].toLowerCase()} before it went out; closed alerts are not sent.`,
          };
    case 'sent':
      return { label: 'Sent', color: 'success', detail: `Sent ${formatDateTime(delivery.sentAt)}.` };
    case 'failed': {
      const tries = `${delivery.attempts} ${delivery.attempts === 1 ? 'try' : 'tries'}`;
      const next = awaitsDelivery(alert)
        ? `Tried ${delivery.attempts} of ${MAX_DELIVERY_ATTEMPTS} times; the bot tries again at its next retry pass, every few minutes.`
        : delivery.refused
          ? 'Refused for good (the bot is blocked or the chat is gone): not tried again.'
          : alert.status === 'open'
            ? `Gave up after ${tries}.`
            : `Not tried again: the alert is ${STATUS_LABELS[alert.status].toLowerCase()}.`;
      return { label: 'Failed', color: 'danger', detail: `${reasonOf(delivery)} ${next}` };
    }
    case 'unknown':
      return {
        label: DELIVERY_LABELS.unknown,
        color: 'warning',
        detail: reasonOf(delivery),
      };
    case 'skipped-not-installed': {
      const next =
        alert.status === 'open'
          ? 'The bot sends it as soon as they install it.'
          : `Not sent later: the alert is ${STATUS_LABELS[alert.status].toLowerCase()}.`;
      return {
        label: 'Not installed',
        color: 'severe',
        detail: `${atTime(delivery, 'The owner')} had not installed the app in Teams, so there was no chat to send it to. ${next}`,
      };
    }
  }
}

/** The sentence after the time of the last attempt, when it was kept. */
function atTime(delivery: Alert['delivery'], sentence: string): string {
  return delivery.lastAttemptAt ? `${formatDateTime(delivery.lastAttemptAt)}: ${sentence}` : sentence;
}

function reasonOf(delivery: Alert['delivery']): string {
  return atTime(delivery, (delivery.lastError ?? 'No reason was recorded').replace(/\.?$/, '.'));
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** ["75 days without email", "no meeting in the year"], as the run that raised the alert saw it. */
export function quietFor(
  alert: Pick<Alert, 'daysSinceLastEmail' | 'daysSinceLastMeeting'>,
): [string, string] {
  return [
    alert.daysSinceLastEmail === null
      ? 'No email in the year'
      : `${days(alert.daysSinceLastEmail)} without email`,
    alert.daysSinceLastMeeting === null
      ? 'No meeting in the year'
      : `${days(alert.daysSinceLastMeeting)} without a meeting`,
  ];
}
