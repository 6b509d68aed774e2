import type { Container, OperationInput, SqlParameter } from '@azure/cosmos';
import {
  nextHealth,
  summarise,
  type MailboxHealth,
  type MailboxHealthStatus,
  type MailboxHealthSummary,
  type MailboxReading,
  type ReadingRun,
  type StoredReads,
} from '../runs/mailbox-health';
import { executeBulk } from './bulk';

const HEALTH = 'mailbox-health';
const SUMMARY = 'mailbox-health-summary';

const healthId = (enrichmentId: string, mailboxId: string) => `${HEALTH}:${enrichmentId}:${mailboxId}`;
const summaryId = (enrichmentId: string) => `${SUMMARY}:${enrichmentId}`;

export interface MailboxHealthPage {
  mailboxes: MailboxHealth[];
  /** Pass back to get the next page; absent on the last page. */
  continuation?: string;
}

/** Strips the store's fields (id, partition key, type, `_rid`…) from a document. */
function stripped<T>(document: Record<string, unknown>, extra: readonly string[]): T {
  return Object.fromEntries(
    Object.entries(document).filter(
      ([key]) => !key.startsWith('_') && !['id', 'tenantId', 'type', ...extra].includes(key),
    ),
  ) as T;
}

/**
 * Each tracked mailbox's health, one small document per mailbox and enrichment in the `runs`
 * container (kept apart from the run record, which is rewritten on every progress update), and one
 * summary per enrichment, written when a run succeeds.
 */
export class MailboxHealthRepository {
  constructor(private readonly container: Container) {}

  /**
   * Records what `run` read: every mailbox it tracked, replacing those no longer tracked; a
   * re-read names the mailboxes it read (`readNow`), and the others keep their reads.
   */
  async record(
    tenantId: string,
    enrichmentId: string,
    run: ReadingRun,
    readings: readonly MailboxReading[],
    readNow?: ReadonlySet<string>,
  ): Promise<MailboxHealthSummary> {
    const { resources: stored } = await this.container.items
      .query<{ id: string; mailboxId: string } & StoredReads>(
        {
          query:
            'SELECT c.id, c.mailboxId, c.lastRun, c.lastRead FROM c WHERE c.tenantId = @tenant AND c.type = @type AND c.enrichmentId = @enrichment',
          parameters: this.scope(tenantId, enrichmentId),
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    const health = nextHealth(
      run,
      readings,
      new Map(stored.map((s) => [s.mailboxId, { lastRun: s.lastRun, lastRead: s.lastRead }])),
      readNow,
    );
    const current = new Set(health.map((h) => healthId(enrichmentId, h.mailboxId)));
    const operations: OperationInput[] = [
      ...health.map((h): OperationInput => ({
        operationType: 'Upsert',
        partitionKey: tenantId,
        resourceBody: { ...h, id: healthId(enrichmentId, h.mailboxId), tenantId, type: HEALTH, enrichmentId },
      })),
      ...stored
        .filter((s) => !current.has(s.id))
        .map((s): OperationInput => ({ operationType: 'Delete', id: s.id, partitionKey: tenantId })),
    ];
    await executeBulk(this.container, operations);
    const summary = summarise(run, health);
    await this.container.items.upsert({
      ...summary,
      id: summaryId(enrichmentId),
      tenantId,
      type: SUMMARY,
      enrichmentId,
    });
    return summary;
  }

  /** The enrichment's mailboxes by address, optionally only those of one status, a page at a time. */
  async list(
    tenantId: string,
    enrichmentId: string,
    page: { pageSize: number; status?: MailboxHealthStatus; continuation?: string },
  ): Promise<MailboxHealthPage> {
    const parameters = this.scope(tenantId, enrichmentId);
    if (page.status) parameters.push({ name: '@status', value: page.status });
    const response = await this.container.items
      .query<Record<string, unknown>>(
        {
          query: `SELECT * FROM c WHERE c.tenantId = @tenant AND c.type = @type AND c.enrichmentId = @enrichment${
            page.status ? ' AND c.status = @status' : ''
          } ORDER BY c.address`,
          parameters,
        },
        {
          partitionKey: tenantId,
          maxItemCount: page.pageSize,
          ...(page.continuation ? { continuationToken: page.continuation } : {}),
        },
      )
      .fetchNext();
    return {
      mailboxes: response.resources.map((d) => stripped<MailboxHealth>(d, ['enrichmentId'])),
      ...(response.continuationToken ? { continuation: response.continuationToken } : {}),
    };
  }

  /** Counts by status after the last successful run (undefined before the first). */
  async summary(tenantId: string, enrichmentId: string): Promise<MailboxHealthSummary | undefined> {
    const { resource } = await this.container
      .item(summaryId(enrichmentId), tenantId)
      .read<Record<string, unknown>>();
    return resource ? stripped<MailboxHealthSummary>(resource, ['enrichmentId']) : undefined;
  }

  private scope(tenantId: string, enrichmentId: string): SqlParameter[] {
    return [
      { name: '@tenant', value: tenantId },
      { name: '@type', value: HEALTH },
      { name: '@enrichment', value: enrichmentId },
    ];
  }
}
