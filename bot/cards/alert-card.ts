import type { StaleAlert } from '../../core/store/alert-store';
import { scoreBand } from '../../core/engine';
import { adaptiveCard, execute, openUrl, plain, text, type AdaptiveCard, type Element } from './adaptive';
import { day, daysAgo } from './format';
import type { TabLinks } from './tab-links';

/** What the owner did with an alert, shown on the card in place of its buttons. */
export type AlertResolution = { kind: 'snoozed'; until: string } | { kind: 'declined' };

/** What the alert says happened, by its signal: a headline and one sentence. */
function alertWording(alert: StaleAlert): { headline: string; detail: string } {
  const name = alert.accountName;
  const days = alert.thresholdDays;
  switch (alert.signal ?? 'Stale') {
    case 'Unanswered':
      return {
        headline: `${name} has not answered`,
        detail: `Emails went to this account in the last ${days} days and none came back, though it wrote before.`,
      };
    case 'SingleThreaded':
      return {
        headline: `${name} hangs on one contact`,
        detail: `Everything with this account in the last ${days} days went through a single person.`,
      };
    case 'Cooling':
      return {
        headline: `${name} is cooling`,
        detail: `The last ${days} days had less than half the usual email and meetings with this account.`,
      };
    case 'Stale':
      return {
        headline: `${name} has gone quiet`,
        detail: `No email and no meeting with this account for more than ${days} days.`,
      };
  }
}

function body(alert: StaleAlert): Element[] {
  const { headline, detail } = alertWording(alert);
  return [
    {
      type: 'Container',
      style: 'warning',
      bleed: true,
      items: [
        text(plain(headline), { size: 'Medium', weight: 'Bolder' }),
        text(detail, { spacing: 'Small' }),
      ],
    },
    {
      type: 'FactSet',
      facts: [
        { title: 'Last email', value: daysAgo(alert.daysSinceLastEmail) },
        { title: 'Last meeting', value: daysAgo(alert.daysSinceLastMeeting) },
        {
          title: 'Engagement score',
          value: `${alert.engagementScore} (${scoreBand(alert.engagementScore)})`,
        },
        { title: 'Data as of', value: day(alert.asOf) },
      ],
    },
  ];
}

/** The data of the alert's buttons: enough to act on it without reading it first. */
const about = (alert: StaleAlert) => ({
  alertId: alert.alertId,
  enrichmentId: alert.enrichmentId,
  accountId: alert.accountId,
});

/** An alert for its owner: open the card, snooze the account 30 days, or say it is not theirs. */
export function alertCard(alert: StaleAlert, links: TabLinks): AdaptiveCard {
  const { headline, detail } = alertWording(alert);
  return adaptiveCard(
    body(alert),
    [
      openUrl('Open card', links.customer(alert.accountId)),
      execute('Snooze 30 days', 'snooze', about(alert)),
      execute('Not my account', 'decline', about(alert)),
    ],
    `${headline}: ${detail}`,
  );
}

/** The alert after its owner acted on it. */
export function resolvedAlertCard(
  alert: StaleAlert,
  resolution: AlertResolution,
  links: TabLinks,
): AdaptiveCard {
  const note =
    resolution.kind === 'snoozed'
      ? `Snoozed until ${day(resolution.until)}. If it still needs attention then, you'll hear about it again.`
      : "Noted: it's not your account. Its next alert goes to someone else.";
  return adaptiveCard(
    [...body(alert), text(note, { weight: 'Bolder', color: 'Good', separator: true })],
    [openUrl('Open card', links.customer(alert.accountId))],
    `${alert.accountName}: ${note}`,
  );
}
