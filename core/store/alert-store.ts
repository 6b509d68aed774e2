import { createHash } from 'node:crypto';
import type { Container, JSONObject, OperationInput, SqlParameter } from '@azure/cosmos';
import type { SignalName } from '../engine/signals';
import { isCosmosStatus } from './cosmos-errors';

export const ALERT_STATUSES = ['open', 'snoozed', 'declined', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/**
 * `unknown`: a send was cut off before its outcome was known (the connection broke, or the sender
 * stopped mid-send), so the alert may have arrived; it is never sent again.
 */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'unknown', 'skipped-not-installed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What the bot's proactive sender records about delivering an alert. */
export interface AlertDelivery {
  status: DeliveryStatus;
  attempts: number;
  /** Why the last attempt failed or its outcome is unknown. */
  lastError?: string;
  /** The last attempt was refused for good (the bot is blocked, the chat is gone): not tried again. */
  refused?: true;
  sentAt?: string;
  /** When the last attempt was recorded; absent until the first. */
  lastAttemptAt?: string;
}

export interface AlertOwner {
  /** Lower-case. */
  email: string;
  source: 'owner-field' | 'top-engaged-user';
}

/** One account that newly showed a signal (Stale unless said otherwise), for its owner. */
export interface StaleAlert {
  alertId: string;
  /** The signal the alert is about; absent on alerts raised before other signals could alert (Stale). */
  signal?: SignalName;
  enrichmentId: string;
  entityName: string;
  accountId: string;
  accountName: string;
  /** The run in which the account began showing the signal: one alert at most per such episode. */
  episodeRunId: string;
  /** The as-of instant of that run. */
  staleSince: string;
  /** The run that raised the alert: the episode's run, or the first run after a snooze ended. */
  runId: string;
  asOf: string;
  createdAt: string;
  /** The signal's span in days: the stale threshold, or the days an Unanswered, SingleThreaded or Cooling signal looks back. */
  thresholdDays: number;
  daysSinceLastEmail: number | null;
  daysSinceLastMeeting: number | null;
  engagementScore: number;
  /** Null when no owner is known (`no-owner`) or every candidate declined the account (`owner-declined`). */
  owner: AlertOwner | null;
  ownerReason: 'no-owner' | 'owner-declined' | null;
  /** `open` until the owner snoozes or declines it, or the account is engaged again (`resolved`). */
  status: AlertStatus;
  closedAt: string | null;
  /** Who closed it (an email), or null when the account's recovery did. */
  closedBy: string | null;
  delivery: AlertDelivery;
}

/** The account's current episode of a signal; exists only while the account shows it. */
export interface StaleState {
  enrichmentId: string;
  accountId: string;
  /** Absent on states of the Stale signal written before other signals could alert. */
  signal?: SignalName;
  episodeRunId: string;
  staleSince: string;
  /** The episode's alert, once raised. */
  alertId: string | null;
  /** True while the episode's alert waits for a snooze to end. */
  deferred: boolean;
}

/** Which run of an enrichment was evaluated first (the baseline, which raises no alerts) and last. */
export interface StaleWatch {
  enrichmentId: string;
  baselineRunId: string;
  lastRunId: string;
}

export interface AccountSnooze {
  enrichmentId: string;
  accountId: string;
  until: string;
  snoozedAt: string;
  snoozedBy: string;
}

/** Owners (lower-case emails) who said an account is not theirs. */
export interface AccountDeclines {
  enrichmentId: string;
  accountId: string;
  declinedBy: string[];
}

const TYPES = {
  alert: 'alert',
  state: 'stale-state',
  watch: 'stale-watch',
  snooze: 'snooze',
  decline: 'decline',
} as const;
type Kind = keyof typeof TYPES;

interface Documents {
  alert: StaleAlert;
  state: StaleState;
  watch: StaleWatch;
  snooze: AccountSnooze;
  decline: AccountDeclines;
}

type Document<K extends Kind> = Documents[K] & { id: string; tenantId: string; type: (typeof TYPES)[K] };

const STORAGE_FIELDS = new Set(['id', 'tenantId', 'type', '_rid', '_self', '_etag', '_attachments', '_ts']);

function strip<K extends Kind>(resource: Document<K>): Documents[K] {
  return Object.fromEntries(
    Object.entries(resource).filter(([key]) => !STORAGE_FIELDS.has(key)),
  ) as unknown as Documents[K];
}

/** A short, fixed-length id part for any enrichment and account id (Cosmos ids are limited and exclude some characters). */
export function accountKey(enrichmentId: string, accountId: string, ...more: string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([enrichmentId, accountId, ...more]))
    .digest('hex')
    .slice(0, 40);
}

/** Other signals than Stale add their name to an account's keys (Stale's keys predate them). */
const signalKey = (signal: SignalName): string[] => (signal === 'Stale' ? [] : [signal]);

/** The same tenant, enrichment, account, signal and episode always give the same alert id. */
export const alertIdOf = (
  enrichmentId: string,
  accountId: string,
  episodeRunId: string,
  signal: SignalName = 'Stale',
) => accountKey(enrichmentId, accountId, episodeRunId, ...signalKey(signal));

const documentId = (kind: Kind, key: string) => `${TYPES[kind]}:${key}`;

/** Which of an enrichment's alerts a listing or a count takes. */
export interface AlertQueryFilter {
  enrichmentId: string;
  status?: AlertStatus | undefined;
  delivery?: DeliveryStatus | undefined;
  /** Only alerts without an owner. */
  withoutOwner?: boolean;
}

function conditionsOf(filter: AlertQueryFilter): { clause: string; parameters: SqlParameter[] } {
  let clause = ' AND c.enrichmentId = @enrichment';
  const parameters: SqlParameter[] = [{ name: '@enrichment', value: filter.enrichmentId }];
  if (filter.status) {
    clause += ' AND c.status = @status';
    parameters.push({ name: '@status', value: filter.status });
  }
  if (filter.delivery) {
    clause += ' AND c.delivery.status = @delivery';
    parameters.push({ name: '@delivery', value: filter.delivery });
  }
  if (filter.withoutOwner) clause += ' AND IS_NULL(c.owner)';
  return { clause, parameters };
}

/** Alerts and the small documents they depend on, in the `alerts` container. */
export class AlertStore {
  constructor(
    private readonly container: Container,
    readonly tenantId: string,
  ) {}

  /** Snoozes and declines are per account; states per account and signal. */
  idOf(
    kind: 'state' | 'snooze' | 'decline',
    enrichmentId: string,
    accountId: string,
    signal: SignalName = 'Stale',
  ): string {
    return documentId(kind, accountKey(enrichmentId, accountId, ...signalKey(signal)));
  }

  alertDocumentId(alertId: string): string {
    return documentId('alert', alertId);
  }

  watchId(enrichmentId: string, signal: SignalName = 'Stale'): string {
    return documentId('watch', [enrichmentId, ...signalKey(signal)].join(':'));
  }

  async read<K extends Kind>(
    kind: K,
    id: string,
  ): Promise<{ value: Documents[K]; etag: string } | undefined> {
    const { resource, etag } = await this.container.item(id, this.tenantId).read<Document<K>>();
    return resource ? { value: strip(resource), etag } : undefined;
  }

  /** The enrichment's documents of one kind, with optional equal-field filters and ordering. */
  async list<K extends Kind>(
    kind: K,
    enrichmentId: string,
    where: { clause: string; parameters: SqlParameter[] } = { clause: '', parameters: [] },
  ): Promise<Documents[K][]> {
    const { resources } = await this.container.items
      .query<Document<K>>(
        {
          query: `SELECT * FROM c WHERE c.tenantId = @tenant AND c.type = @type AND c.enrichmentId = @enrichment${where.clause}`,
          parameters: [
            { name: '@tenant', value: this.tenantId },
            { name: '@type', value: TYPES[kind] },
            { name: '@enrichment', value: enrichmentId },
            ...where.parameters,
          ],
        },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources.map(strip);
  }

  /** One page of an enrichment's alerts matching the filter, newest first. */
  async pageAlerts(
    filter: AlertQueryFilter,
    page: { pageSize: number; continuation?: string | undefined },
  ): Promise<{ alerts: StaleAlert[]; continuation?: string }> {
    const { clause, parameters } = conditionsOf(filter);
    const response = await this.queryAlerts(`${clause} ORDER BY c.createdAt DESC`, parameters, {
      maxItemCount: page.pageSize,
      ...(page.continuation ? { continuation: page.continuation } : {}),
    }).fetchNext();
    return {
      alerts: response.resources.map(this.fromDocument),
      ...(response.continuationToken ? { continuation: response.continuationToken } : {}),
    };
  }

  /** How many of the tenant's alerts match the filter. */
  async countAlerts(filter: AlertQueryFilter): Promise<number> {
    const { clause, parameters } = conditionsOf(filter);
    const { resources } = await this.container.items
      .query<number>(
        {
          query: `SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenant AND c.type = @type${clause}`,
          parameters: [
            { name: '@tenant', value: this.tenantId },
            { name: '@type', value: TYPES.alert },
            ...parameters,
          ],
        },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources[0] ?? 0;
  }

  /**
   * The alerts the sender may try: open, with an owner, never tried, or failed (not refused for
   * good) fewer than `maxAttempts` times. Oldest first.
   */
  async deliverableAlerts(maxAttempts: number): Promise<StaleAlert[]> {
    const { resources } = await this.queryAlerts(
      " AND c.status = 'open' AND IS_OBJECT(c.owner) AND (c.delivery.status = 'pending' OR (c.delivery.status = 'failed' AND c.delivery.attempts < @max AND NOT IS_DEFINED(c.delivery.refused))) ORDER BY c.createdAt ASC",
      [{ name: '@max', value: maxAttempts }],
    ).fetchAll();
    return resources.map(this.fromDocument);
  }

  /** The owner's open alerts skipped because they had not installed the app. */
  async notInstalledAlerts(ownerEmail: string): Promise<StaleAlert[]> {
    const { resources } = await this.queryAlerts(
      " AND c.status = 'open' AND c.owner.email = @email AND c.delivery.status = 'skipped-not-installed'",
      [{ name: '@email', value: ownerEmail }],
    ).fetchAll();
    return resources.map(this.fromDocument);
  }

  /** The account's open alerts, of every signal. */
  async openAlertsOf(enrichmentId: string, accountId: string): Promise<StaleAlert[]> {
    const { resources } = await this.queryAlerts(
      " AND c.enrichmentId = @enrichment AND c.accountId = @account AND c.status = 'open'",
      [
        { name: '@enrichment', value: enrichmentId },
        { name: '@account', value: accountId },
      ],
    ).fetchAll();
    return resources.map(this.fromDocument);
  }

  /** A query over the tenant's alerts; `clause` follows the tenant and type conditions. */
  private queryAlerts(
    clause: string,
    parameters: SqlParameter[],
    options: { maxItemCount?: number; continuation?: string } = {},
  ) {
    return this.container.items.query<Document<'alert'>>(
      {
        query: `SELECT * FROM c WHERE c.tenantId = @tenant AND c.type = @type${clause}`,
        parameters: [
          { name: '@tenant', value: this.tenantId },
          { name: '@type', value: TYPES.alert },
          ...parameters,
        ],
      },
      {
        partitionKey: this.tenantId,
        ...(options.maxItemCount ? { maxItemCount: options.maxItemCount } : {}),
        ...(options.continuation ? { continuationToken: options.continuation } : {}),
      },
    );
  }

  private readonly fromDocument = (resource: Document<'alert'>): StaleAlert => strip(resource);

  /**
   * Creates alerts and returns the ones it created; an alert that exists already (the same
   * episode, evaluated again) is left as it is.
   */
  async createAlerts(alerts: readonly StaleAlert[]): Promise<StaleAlert[]> {
    const created: StaleAlert[] = [];
    const operations: OperationInput[] = alerts.map((alert) => ({
      operationType: 'Create',
      partitionKey: this.tenantId,
      resourceBody: this.document('alert', this.alertDocumentId(alert.alertId), alert),
    }));
    for (let i = 0; i < operations.length; i += 100) {
      const results = await this.container.items.bulk(operations.slice(i, i + 100));
      results.forEach((result, j) => {
        const alert = alerts[i + j];
        if (result.statusCode < 400 && alert) created.push(alert);
        else if (result.statusCode !== 409) {
          throw new Error(`An alert could not be written (status ${result.statusCode})`);
        }
      });
    }
    return created;
  }

  async upsert<K extends Kind>(kind: K, id: string, value: Documents[K]): Promise<void> {
    await this.container.items.upsert(this.document(kind, id, value));
  }

  /** False when a document with that id exists already. */
  async create<K extends Kind>(kind: K, id: string, value: Documents[K]): Promise<boolean> {
    try {
      await this.container.items.create(this.document(kind, id, value));
      return true;
    } catch (error) {
      if (isCosmosStatus(error, 409)) return false;
      throw error;
    }
  }

  /** Upserts and deletes in bulk. */
  async write(
    upserts: { kind: Kind; id: string; value: Documents[Kind] }[],
    deletes: string[],
  ): Promise<void> {
    const operations: OperationInput[] = [
      ...upserts.map(({ kind, id, value }) => ({
        operationType: 'Upsert' as const,
        partitionKey: this.tenantId,
        resourceBody: this.document(kind, id, value),
      })),
      ...deletes.map((id) => ({ operationType: 'Delete' as const, partitionKey: this.tenantId, id })),
    ];
    for (let i = 0; i < operations.length; i += 100) {
      const results = await this.container.items.bulk(operations.slice(i, i + 100));
      const failed = results.find((r) => r.statusCode >= 400 && r.statusCode !== 404);
      if (failed) throw new Error(`A stale-state write failed (status ${failed.statusCode})`);
    }
  }

  /**
   * Changes one document with optimistic concurrency: read, change, replace if unchanged
   * meanwhile, else again. `change` returns undefined to leave the document alone.
   */
  async update<K extends Kind>(
    kind: K,
    id: string,
    change: (value: Documents[K]) => Documents[K] | undefined,
  ): Promise<Documents[K] | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(kind, id);
      if (!current) return undefined;
      const next = change(current.value);
      if (!next) return current.value;
      try {
        await this.container.item(id, this.tenantId).replace(this.document(kind, id, next), {
          accessCondition: { type: 'IfMatch', condition: current.etag },
        });
        return next;
      } catch (error) {
        if (!isCosmosStatus(error, 412) || attempt >= 10) throw error;
      }
    }
  }

  private document<K extends Kind>(kind: K, id: string, value: Documents[K]): JSONObject {
    return { ...value, id, tenantId: this.tenantId, type: TYPES[kind] } as unknown as JSONObject;
  }
}
