import type { StaleAlert } from '../store/alert-store';

/** A failed delivery is offered again until it has been tried this many times. */
export const MAX_DELIVERY_ATTEMPTS = 3;

/**
 * Whether the bot will still try to deliver the alert: it is open, has an owner, and was never
 * tried, or failed fewer than MAX_DELIVERY_ATTEMPTS times without being refused for good. Sent and unconfirmed (`unknown`)
 * deliveries are final; a not-installed one is, until the owner installs the app
 * (`requeueNotInstalled` makes it `pending` again). `pendingAlerts` selects the same alerts in its
 * query.
 */
export function awaitsDelivery(alert: Pick<StaleAlert, 'status' | 'owner' | 'delivery'>): boolean {
  if (alert.status !== 'open' || !alert.owner) return false;
  const { status, attempts, refused } = alert.delivery;
  return status === 'pending' || (status === 'failed' && attempts < MAX_DELIVERY_ATTEMPTS && !refused);
}
