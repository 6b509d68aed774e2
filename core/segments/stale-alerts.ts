import { z } from 'zod';
import { loadDataset } from '../datasets/dataset-library';
import type { RunSucceededHook } from '../runs/run-service';
import type { Containers } from '../store/containers';
import type { VisibleRun } from '../results/stored-rows';
import type { SignalName, SignalThresholds } from '../engine/signals';
import { DAY_MS } from '../time/durations';
import { MAX_DELIVERY_ATTEMPTS } from './alert-delivery-policy';
import {
  alertIdOf,
  AlertStore,
  type AccountDeclines,
  type AlertDelivery,
  type AlertOwner,
  type AlertStatus,
  type DeliveryStatus,
  type StaleAlert,
  type StaleState,
} from '../store/alert-store';
import type { SegmentEnrichment } from './segment-library';
import { SegmentQueries } from '../store/segment-queries';
import { staleRules } from './stale-segment';

export const DEFAULT_SNOOZE_DAYS = 30;
export const MAX_SNOOZE_DAYS = 365;

/** What alerts need of an enrichment besides its entity and threshold: where owners come from, which signals alert. */
export interface AlertEnrichment extends SegmentEnrichment {
  datasetId: string;
  mapping: { ownerField?: string | undefined };
  engagement: { signals: SignalThresholds };
}

/** The days a signal looks back, as its alert states them. */
function signalDays(signal: SignalName, enrichment: AlertEnrichment): number {
  const t = enrichment.engagement.signals;
  if (signal === 'Unanswered') return t.unansweredDays;
  if (signal === 'SingleThreaded') return t.singleThreadedDays;
  if (signal === 'Cooling') return t.coolingRecentDays;
  return enrichment.staleThresholdDays;
}

/** The Year row columns an alert reads; `TopEngagedUserEmail` (the tracked user who engaged most) is absent on rows of older runs. */
interface StaleRow {
  AccountId: string;
  AccountName: string;
  EngagementScore: number;
  DaysSinceLastEmail: number | null;
  DaysSinceLastMeeting: number | null;
  TopEngagedUserEmail?: string | null;
}

export interface StaleEvaluation {
  tenantId: string;
  /** The signal evaluated (default Stale, whose members are the stale segment's). */
  signal?: SignalName;
  enrichment: AlertEnrichment;
  /** The output entity's run that was just published. */
  visible: VisibleRun;
  /** Epoch milliseconds: snoozes end by this clock. */
  now: number;
}

export interface StaleOutcome {
  /** The enrichment's first evaluated run records who is stale and raises no alerts. */
  baseline: boolean;
  stale: number;
  /** Alerts written by this evaluation (none when the same run is evaluated again). */
  created: StaleAlert[];
  /** Stale accounts whose alert waits for their snooze to end. */
  deferred: number;
  /** Accounts that left the stale segment since the previous run. */
  recovered: number;
}

const sameState = (a: StaleState, b: StaleState) =>
  a.episodeRunId === b.episodeRunId && a.alertId === b.alertId && a.deferred === b.deferred;

const normalise = (email: string | null | undefined) => (email ?? '').trim().toLowerCase();

/** The account's owner: the mapped owner field, else the most engaged tracked user, skipping anyone who declined it. */
function ownerOf(
  candidates: AlertOwner[],
  declined: ReadonlySet<string>,
): Pick<StaleAlert, 'owner' | 'ownerReason'> {
  const usable = candidates.filter((c) => c.email && !declined.has(c.email));
  const [owner] = usable;
  if (owner) return { owner, ownerReason: null };
  return { owner: null, ownerReason: candidates.some((c) => c.email) ? 'owner-declined' : 'no-owner' };
}

async function ownersByAccount(containers: Containers, tenantId: string, enrichment: AlertEnrichment) {
  const field = enrichment.mapping.ownerField;
  const owners = new Map<string, string>();
  if (!field) return owners;
  const dataset = await loadDataset(containers, tenantId, enrichment.datasetId);
  for (const account of dataset?.accounts ?? []) {
    const owner = normalise(account[field]);
    if (owner && account.AccountId) owners.set(account.AccountId, owner);
  }
  return owners;
}

/**
 * Compares the accounts that show a signal in a just-published run (for Stale: the stale segment)
 * with the state kept per account and signal, and raises one alert per account that newly began
 * to show it (see docs/segments.md, "Alert lifecycle"). Safe to run again for the same run: alert
 * ids are deterministic and existing alerts are kept.
 */
export async function evaluateSignalAlerts(
  containers: Containers,
  input: StaleEvaluation,
): Promise<StaleOutcome> {
  const { tenantId, enrichment, visible, now } = input;
  const signal = input.signal ?? 'Stale';
  const { enrichmentId } = enrichment;
  const store = new AlertStore(containers.alerts, tenantId);
  const scope = { tenantId, entity: enrichment.entityName, runId: visible.runId };
  const queries = new SegmentQueries(containers.results);
  const [members, watch, states, snoozes] = await Promise.all([
    signal === 'Stale'
      ? queries.allMembers<StaleRow>(scope, staleRules(enrichment.staleThresholdDays))
      : queries.signalMembers<StaleRow>(scope, signal),
    store.read('watch', store.watchId(enrichmentId, signal)),
    store.list('state', enrichmentId),
    store.list('snooze', enrichmentId),
  ]);
  const baseline = !watch || watch.value.baselineRunId === visible.runId;
  const stateOf = new Map(
    states.filter((s) => (s.signal ?? 'Stale') === signal).map((s) => [s.accountId, s]),
  );
  const snoozed = new Set(snoozes.filter((s) => Date.parse(s.until) > now).map((s) => s.accountId));

  const nextStates: StaleState[] = [];
  const toAlert: { row: StaleRow; state: StaleState; alertId: string }[] = [];
  let deferred = 0;
  for (const row of members) {
    const previous = stateOf.get(row.AccountId);
    stateOf.delete(row.AccountId);
    const entered = !previous || previous.episodeRunId === visible.runId;
    let state: StaleState =
      previous && !entered
        ? previous
        : {
            enrichmentId,
            accountId: row.AccountId,
            ...(signal === 'Stale' ? {} : { signal }),
            episodeRunId: visible.runId,
            staleSince: visible.asOf,
            alertId: null,
            deferred: false,
          };
    if (!baseline && state.alertId === null && (entered || state.deferred)) {
      if (snoozed.has(row.AccountId)) {
        state = { ...state, deferred: true };
      } else {
        const alertId = alertIdOf(enrichmentId, row.AccountId, state.episodeRunId, signal);
        state = { ...state, deferred: false, alertId };
        toAlert.push({ row, state, alertId });
      }
    }
    if (state.deferred) deferred += 1;
    if (!previous || !sameState(state, previous)) nextStates.push(state);
  }
  const recovered = [...stateOf.values()];

  const created = await store.createAlerts(
    toAlert.length ? await newAlerts(containers, store, { ...input, signal }, toAlert) : [],
  );
  // Alerts of recovered accounts are closed before their state goes, so an interrupted
  // evaluation, run again, still finds them.
  const at = new Date(now).toISOString();
  for (const state of recovered) {
    if (state.alertId) await closeAlert(store, state.alertId, 'resolved', at, null);
  }
  await store.write(
    [
      ...nextStates.map((s) => ({
        kind: 'state' as const,
        id: store.idOf('state', enrichmentId, s.accountId, signal),
        value: s,
      })),
      {
        kind: 'watch' as const,
        id: store.watchId(enrichmentId, signal),
        value: {
          enrichmentId,
          baselineRunId: watch?.value.baselineRunId ?? visible.runId,
          lastRunId: visible.runId,
        },
      },
    ],
    recovered.map((s) => store.idOf('state', enrichmentId, s.accountId, signal)),
  );
  return { baseline, stale: members.length, created, deferred, recovered: recovered.length };
}

async function newAlerts(
  containers: Containers,
  store: AlertStore,
  input: StaleEvaluation & { signal: SignalName },
  accounts: { row: StaleRow; state: StaleState; alertId: string }[],
): Promise<StaleAlert[]> {
  const { tenantId, enrichment, visible, now, signal } = input;
  const [owners, declines] = await Promise.all([
    ownersByAccount(containers, tenantId, enrichment),
    store.list('decline', enrichment.enrichmentId),
  ]);
  const declinedBy = new Map(declines.map((d) => [d.accountId, new Set(d.declinedBy)]));
  return accounts.map(({ row, state, alertId }) => {
    const candidates: AlertOwner[] = [
      { email: owners.get(row.AccountId) ?? '', source: 'owner-field' },
      { email: normalise(row.TopEngagedUserEmail), source: 'top-engaged-user' },
    ];
    return {
      alertId,
      ...(signal === 'Stale' ? {} : { signal }),
      enrichmentId: enrichment.enrichmentId,
      entityName: enrichment.entityName,
      accountId: row.AccountId,
      accountName: row.AccountName,
      episodeRunId: state.episodeRunId,
      staleSince: state.staleSince,
      runId: visible.runId,
      asOf: visible.asOf,
      createdAt: new Date(now).toISOString(),
      thresholdDays: signalDays(signal, enrichment),
      daysSinceLastEmail: row.DaysSinceLastEmail,
      daysSinceLastMeeting: row.DaysSinceLastMeeting,
      engagementScore: row.EngagementScore,
      ...ownerOf(candidates, declinedBy.get(row.AccountId) ?? new Set()),
      status: 'open',
      closedAt: null,
      closedBy: null,
      delivery: { status: 'pending', attempts: 0 },
    };
  });
}

async function closeAlert(
  store: AlertStore,
  alertId: string,
  status: Exclude<AlertStatus, 'open'>,
  at: string,
  by: string | null,
): Promise<boolean> {
  let closed = false;
  await store.update('alert', store.alertDocumentId(alertId), (alert) => {
    if (alert.status !== 'open') return undefined;
    closed = true;
    return { ...alert, status, closedAt: at, closedBy: by };
  });
  return closed;
}

/**
 * Registers the evaluation on the run service: after each successful run, accounts that newly show
 * a signal the enrichment alerts on (Stale unless the admin chose otherwise) raise alerts.
 */
export function registerSignalAlerts(
  hooks: { onRunSucceeded: RunSucceededHook[] },
  options: { containers: Containers; now(): number },
): void {
  hooks.onRunSucceeded.push(async (event) => {
    for (const signal of event.config.engagement.signals.alerts) {
      await evaluateSignalAlerts(options.containers, {
        tenantId: event.tenantId,
        enrichment: event.config,
        visible: event.visible,
        now: options.now(),
        signal,
      });
    }
  });
}

// ---- what the bot uses ----

/**
 * The alerts `awaitsDelivery` accepts: open, with an owner, never tried, or failed (not refused for
 * good) fewer than MAX_DELIVERY_ATTEMPTS times. Oldest first.
 */
export async function pendingAlerts(containers: Containers, tenantId: string): Promise<StaleAlert[]> {
  return new AlertStore(containers.alerts, tenantId).deliverableAlerts(MAX_DELIVERY_ATTEMPTS);
}

export interface DeliveryOutcome {
  status: Exclude<DeliveryStatus, 'pending'>;
  /** Why it failed, or why its outcome is unknown. */
  error?: string;
  /** A failure that trying again cannot fix (403, 404, …). */
  refused?: boolean;
  /** Epoch milliseconds. */
  at: number;
}

/** Records one delivery attempt of an alert; undefined when there is no such alert. */
export async function recordDelivery(
  containers: Containers,
  tenantId: string,
  alertId: string,
  outcome: DeliveryOutcome,
): Promise<StaleAlert | undefined> {
  const store = new AlertStore(containers.alerts, tenantId);
  return store.update('alert', store.alertDocumentId(alertId), (alert) => {
    const at = new Date(outcome.at).toISOString();
    const delivery: AlertDelivery = {
      status: outcome.status,
      attempts: alert.delivery.attempts + 1,
      ...(outcome.status === 'failed' || outcome.status === 'unknown'
        ? { lastError: outcome.error ?? 'unknown error' }
        : {}),
      ...(outcome.status === 'failed' && outcome.refused ? { refused: true as const } : {}),
      ...(outcome.status === 'sent' ? { sentAt: at } : {}),
      lastAttemptAt: at,
    };
    return { ...alert, delivery };
  });
}

/** Whose alerts become deliverable again: a tenant and the email of a user who now has a personal chat with the bot. */
const reachableOwner = z.object({ tenantId: z.string().min(1), email: z.email() });

/**
 * The owner now has a personal chat with the bot: their open alerts that were skipped as not
 * installed go back to `pending` (attempts are kept). Alerts no longer open stay as they are.
 * Returns how many this call changed: each change is ETag-checked and only from
 * `skipped-not-installed`, so a second call, here or on another instance, changes nothing.
 */
export async function requeueNotInstalled(
  containers: Containers,
  owner: { tenantId: string; email: string },
): Promise<number> {
  const parsed = reachableOwner.safeParse({ ...owner, email: normalise(owner.email) });
  if (!parsed.success) return 0;
  const { tenantId, email } = parsed.data;
  const store = new AlertStore(containers.alerts, tenantId);
  let requeued = 0;
  for (const { alertId } of await store.notInstalledAlerts(email)) {
    // The change may run again after a conflict: only its last run counts.
    let changed = false;
    await store.update('alert', store.alertDocumentId(alertId), (alert) => {
      changed = alert.status === 'open' && alert.delivery.status === 'skipped-not-installed';
      return changed ? { ...alert, delivery: { ...alert.delivery, status: 'pending' as const } } : undefined;
    });
    if (changed) requeued += 1;
  }
  return requeued;
}

export class SnoozeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnoozeError';
  }
}

export interface AccountAction {
  enrichmentId: string;
  accountId: string;
  /** Who acts: the seller's email. */
  by: string;
  /** Epoch milliseconds. */
  now: number;
}

/**
 * Silences an account until `until` (default 30 days from now, at most a year): its open alert is
 * closed as `snoozed`, and an episode that starts while it is snoozed raises its alert only at the
 * first run after the snooze ends, and only if the account is still stale then.
 */
export async function snoozeAccount(
  containers: Containers,
  tenantId: string,
  action: AccountAction & { until?: number },
): Promise<{ until: string; closedAlerts: number }> {
  const until = action.until ?? action.now + DEFAULT_SNOOZE_DAYS * DAY_MS;
  if (!(until > action.now) || until > action.now + MAX_SNOOZE_DAYS * DAY_MS) {
    throw new SnoozeError(`A snooze ends in the future and within ${MAX_SNOOZE_DAYS} days.`);
  }
  const store = new AlertStore(containers.alerts, tenantId);
  const at = new Date(action.now).toISOString();
  const snooze = {
    enrichmentId: action.enrichmentId,
    accountId: action.accountId,
    until: new Date(until).toISOString(),
    snoozedAt: at,
    snoozedBy: normalise(action.by),
  };
  await store.upsert('snooze', store.idOf('snooze', action.enrichmentId, action.accountId), snooze);
  const closedAlerts = await closeOpenAlerts(store, action, 'snoozed', () => true);
  return { until: snooze.until, closedAlerts };
}

/**
 * "Not my account": the seller's open alerts for the account are closed as `declined`, and the
 * seller is never chosen as its owner again; later episodes go to the next owner candidate.
 */
export async function declineAccount(
  containers: Containers,
  tenantId: string,
  action: AccountAction,
): Promise<{ closedAlerts: number }> {
  const store = new AlertStore(containers.alerts, tenantId);
  const email = normalise(action.by);
  const id = store.idOf('decline', action.enrichmentId, action.accountId);
  // Another seller may decline the same account at the same moment: create, else add to it.
  const added = (declines: AccountDeclines) =>
    declines.declinedBy.includes(email)
      ? undefined
      : { ...declines, declinedBy: [...declines.declinedBy, email] };
  while (!(await store.update('decline', id, added))) {
    const first = { enrichmentId: action.enrichmentId, accountId: action.accountId, declinedBy: [email] };
    if (await store.create('decline', id, first)) break;
  }
  const closedAlerts = await closeOpenAlerts(
    store,
    action,
    'declined',
    (alert) => alert.owner?.email === email,
  );
  return { closedAlerts };
}

async function closeOpenAlerts(
  store: AlertStore,
  action: AccountAction,
  status: 'snoozed' | 'declined',
  which: (alert: StaleAlert) => boolean,
): Promise<number> {
  const open = await store.openAlertsOf(action.enrichmentId, action.accountId);
  const at = new Date(action.now).toISOString();
  let closed = 0;
  for (const alert of open.filter(which)) {
    if (await closeAlert(store, alert.alertId, status, at, normalise(action.by))) closed += 1;
  }
  return closed;
}
