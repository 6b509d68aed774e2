import { AlertStore } from '../core/segments/alert-store';
import { declineAccount, snoozeAccount, SnoozeError } from '../core/segments/stale-alerts';
import type { CardAction } from '../core/conversation/card-actions';
import type { Containers } from '../core/store/containers';
import type { AdaptiveCard } from './cards/adaptive';
import { resolvedAlertCard } from './cards/alert-card';
import { noticeCard } from './cards/choice-cards';
import type { TabLinks } from './cards/tab-links';

export interface AlertActionContext {
  containers: Containers;
  tenantId: string;
  links: TabLinks;
  /** Epoch milliseconds. */
  now: number;
  /** The person pressing the button: their email, if known. */
  email(): Promise<string | undefined>;
  /** Their user id, recorded when no email is known. */
  userId: string;
}

/**
 * "Snooze 30 days" or "Not my account" on an alert card, answered with the card that replaces it.
 * The alert went to its owner's personal chat, so whoever presses its buttons there is the owner.
 */
export async function actOnAlert(
  action: Extract<CardAction, { action: 'snooze' | 'decline' }>,
  context: AlertActionContext,
): Promise<AdaptiveCard> {
  const { containers, tenantId, links } = context;
  const store = new AlertStore(containers.alerts, tenantId);
  const alert = (await store.read('alert', store.alertDocumentId(action.alertId)))?.value;
  if (!alert || alert.accountId !== action.accountId || alert.enrichmentId !== action.enrichmentId) {
    return noticeCard(
      'This alert no longer exists.',
      'Ask "stale accounts" for the accounts that are quiet now.',
    );
  }
  const by = (await context.email()) ?? alert.owner?.email ?? context.userId;
  const request = { enrichmentId: alert.enrichmentId, accountId: alert.accountId, by, now: context.now };
  if (action.action === 'decline') {
    await declineAccount(containers, tenantId, request);
    return resolvedAlertCard(alert, { kind: 'declined' }, links);
  }
  try {
    const { until } = await snoozeAccount(containers, tenantId, request);
    return resolvedAlertCard(alert, { kind: 'snoozed', until }, links);
  } catch (error) {
    if (error instanceof SnoozeError) return noticeCard('The account could not be snoozed.', error.message);
    throw error;
  }
}
