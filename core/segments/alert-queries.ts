import type { Containers } from '../store/containers';
import { RunRepository } from '../store/run-repository';
import {
  ALERT_STATUSES,
  AlertStore,
  DELIVERY_STATUSES,
  type AlertStatus,
  type DeliveryStatus,
  type StaleAlert,
} from '../store/alert-store';

/** What the admin tab narrows an enrichment's alerts to. */
export interface AlertFilter {
  status?: AlertStatus | undefined;
  delivery?: DeliveryStatus | undefined;
}

export interface AlertPageRequest extends AlertFilter {
  pageSize: number;
  continuation?: string;
}

/** An enrichment's alerts, newest first, optionally of one status and delivery status. */
export async function listAlerts(
  containers: Containers,
  tenantId: string,
  enrichmentId: string,
  request: AlertPageRequest,
): Promise<{ alerts: StaleAlert[]; continuation?: string }> {
  const { status, delivery, pageSize, continuation } = request;
  return new AlertStore(containers.alerts, tenantId).pageAlerts(
    { enrichmentId, status, delivery },
    { pageSize, continuation },
  );
}

export interface AlertSummary {
  /** The enrichment's first evaluated run, which recorded who was stale and raised no alerts; null before it. */
  baseline: { runId: string; asOf: string | null } | null;
  /** The run evaluated last (the baseline itself until a later run succeeds). */
  lastRunId: string | null;
  /** Alerts matching both filters. */
  total: number;
  /** Alerts by status, under the delivery filter. */
  status: Record<AlertStatus, number>;
  /** Alerts by delivery status, under the status filter. */
  delivery: Record<DeliveryStatus, number>;
  /** Alerts without an owner (never sent: their delivery stays `pending`), under the status filter. */
  withoutOwner: number;
}

/**
 * Counts for the tab's two filters, each counted under the other filter (so every figure is what
 * choosing that option would list), and where the enrichment's alerting stands. A handful of
 * COUNT queries in the tenant's partition and two point reads.
 */
export async function summarizeAlerts(
  containers: Containers,
  tenantId: string,
  enrichmentId: string,
  filter: AlertFilter,
): Promise<AlertSummary> {
  const store = new AlertStore(containers.alerts, tenantId);
  const count = (narrowed: AlertFilter & { withoutOwner?: boolean }) =>
    store.countAlerts({ enrichmentId, ...narrowed });
  const [watch, byStatus, byDelivery, withoutOwner] = await Promise.all([
    store.read('watch', store.watchId(enrichmentId)),
    Promise.all(ALERT_STATUSES.map((status) => count({ status, delivery: filter.delivery }))),
    Promise.all(DELIVERY_STATUSES.map((delivery) => count({ status: filter.status, delivery }))),
    count({ status: filter.status, withoutOwner: true }),
  ]);
  const status = Object.fromEntries(ALERT_STATUSES.map((s, i) => [s, byStatus[i] ?? 0])) as Record<
    AlertStatus,
    number
  >;
  const baselineRunId = watch?.value.baselineRunId;
  const baselineRun = baselineRunId
    ? await new RunRepository(containers.runs).read(tenantId, baselineRunId)
    : undefined;
  return {
    baseline: baselineRunId ? { runId: baselineRunId, asOf: baselineRun?.record.asOf ?? null } : null,
    lastRunId: watch?.value.lastRunId ?? null,
    total: filter.status ? status[filter.status] : byStatus.reduce((sum, n) => sum + n, 0),
    status,
    delivery: Object.fromEntries(DELIVERY_STATUSES.map((d, i) => [d, byDelivery[i] ?? 0])) as Record<
      DeliveryStatus,
      number
    >,
    withoutOwner,
  };
}
