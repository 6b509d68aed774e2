import type { CardAction } from '../core/conversation/card-actions';
import { AlertStore, type StaleAlert } from '../core/store/alert-store';
import { declineAccount, snoozeAccount, SnoozeError } from '../core/segments/stale-alerts';
import { AdminRepository } from '../core/store/admin-repository';
import type { Containers } from '../core/store/containers';
import { ConversationRepository } from '../core/store/conversation-repository';
import { plain, type AdaptiveCard } from './cards/adaptive';
import { resolvedAlertCard } from './cards/alert-card';
import { noticeCard } from './cards/choice-cards';
import type { TabLinks } from './cards/tab-links';

/** Who pressed the button, from the verified activity (never from the card's data). */
export interface Presser {
  /** The Entra object id Teams gives (else the channel's user id), lower-case. */
  userId: string;
  /** Their email as the bot resolves it (stored personal chat, tracked users, Teams' member lookup). */
  email(): Promise<string | undefined>;
}

export interface AlertActionContext {
  containers: Containers;
  /** The activity's tenant: the alert is read in this tenant's partition only. */
  tenantId: string;
  links: TabLinks;
  /** Epoch milliseconds. */
  now: number;
  presser: Presser;
}

export type AlertDecision =
  { allowed: true; by: string } | { allowed: false; reason: 'unknown-presser' | 'not-owner' };

/**
 * Whether the presser may act on the alert: its owner (alerts name owners by email), or an admin of
 * the tenant. The bot's activities carry no app roles, so an admin is someone the tab saw with the
 * admin role in a verified token within the last day (core/store/admin-repository.ts).
 */
export function mayActOnAlert(
  alert: StaleAlert,
  presserEmail: string | undefined,
  presserIsAdmin: boolean,
): AlertDecision {
  const email = presserEmail?.trim().toLowerCase();
  if (!email) return { allowed: false, reason: 'unknown-presser' };
  if (alert.owner && alert.owner.email.toLowerCase() === email) return { allowed: true, by: email };
  if (presserIsAdmin) return { allowed: true, by: email };
  return { allowed: false, reason: 'not-owner' };
}

/** The owner as the refusal names them: their name from their chat with the bot, else their email. */
async function ownerName(containers: Containers, tenantId: string, alert: StaleAlert): Promise<string> {
  if (!alert.owner) return 'its owner';
  const chat = await new ConversationRepository(containers.conversations, tenantId).personalByEmail(
    alert.owner.email,
  );
  return plain(chat?.name.trim() || alert.owner.email);
}

function refusal(owner: string, action: 'snooze' | 'decline', reason: 'unknown-presser' | 'not-owner') {
  const verb = action === 'snooze' ? 'snooze this alert' : 'mark this account as not theirs';
  return noticeCard(
    `Only ${owner} or an Account engagement admin can ${verb}.`,
    reason === 'unknown-presser'
      ? 'We could not tell who you are in Teams, so nothing was changed.'
      : 'The alert went to its owner; nothing was changed. Admins: open the Account engagement tab once, then try again.',
  );
}

/**
 * "Snooze 30 days" or "Not my account" on an alert card, answered with the card that replaces it.
 * Only the alert's owner or an admin of the tenant may act on it: the presser is the verified
 * activity's user, resolved to an email, and `closedBy` records that email. Anyone else, or a
 * presser the bot cannot resolve, is refused and nothing is written.
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
  const admins = new AdminRepository(containers.configurations, tenantId);
  const decision = mayActOnAlert(
    alert,
    await context.presser.email(),
    await admins.isAdmin(context.presser.userId, context.now),
  );
  if (!decision.allowed) {
    console.warn(
      `[bot] alert ${action.action} refused (${decision.reason}): tenant ${tenantId}, alert ${alert.alertId}, user ${context.presser.userId}`,
    );
    return refusal(await ownerName(containers, tenantId, alert), action.action, decision.reason);
  }
  const request = {
    enrichmentId: alert.enrichmentId,
    accountId: alert.accountId,
    by: decision.by,
    now: context.now,
  };
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
