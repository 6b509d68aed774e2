import type { Container, SqlParameter } from '@azure/cosmos';
import type { SignalName } from '../engine/signals';
import type { StoredRow } from '../results/stored-rows';

export type SortOrder = 'asc' | 'desc';

export interface RowFilter {
  entity: string;
  /** The visible run whose rows are read. */
  runId: string;
  level: string;
  /** Part of the account's name, any case. */
  search?: string;
  /** Only accounts with counted activity in the period. */
  engagedOnly?: boolean;
  /** Only accounts showing this risk signal (Year rows: the other levels carry no signals). */
  signal?: SignalName;
}

export interface RowPageRequest extends RowFilter {
  /** A column of the row, checked by the caller against the contract's columns. */
  sort: string;
  order: SortOrder;
  pageSize: number;
  continuation?: string;
}

export interface RowPage<R> {
  rows: StoredRow<R>[];
  continuation?: string;
}

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function where(tenantId: string, filter: RowFilter): { clause: string; parameters: SqlParameter[] } {
  const conditions = [
    'c.tenantId = @tenant',
    'c.type = "row"',
    'c.entity = @entity',
    'c.runId = @run',
    'c.AggregationLevel = @level',
  ];
  const parameters: SqlParameter[] = [
    { name: '@tenant', value: tenantId },
    { name: '@entity', value: filter.entity },
    { name: '@run', value: filter.runId },
    { name: '@level', value: filter.level },
  ];
  if (filter.engagedOnly) conditions.push('NOT IS_NULL(c.EngagementStartDate)');
  if (filter.search) {
    conditions.push('CONTAINS(LOWER(c.AccountName), @search)');
    parameters.push({ name: '@search', value: filter.search.toLowerCase() });
  }
  if (filter.signal) {
    conditions.push('ARRAY_CONTAINS(c.Signals, @signal)');
    parameters.push({ name: '@signal', value: filter.signal });
  }
  return { clause: conditions.join(' AND '), parameters };
}

/**
 * Sorted, filtered and paged reads of an output entity's rows. Pages follow Cosmos DB continuation
 * tokens (there is no OFFSET): a page's token leads to the next page of the same query.
 */
export class ResultsQueries {
  constructor(
    private readonly container: Container,
    readonly tenantId: string,
  ) {}

  async page<R>(request: RowPageRequest): Promise<RowPage<R>> {
    // Column names cannot be query parameters; only plain identifiers get this far.
    if (!COLUMN.test(request.sort)) throw new Error(`Not a column: ${request.sort}`);
    const { clause, parameters } = where(this.tenantId, request);
    const response = await this.container.items
      .query<StoredRow<R>>(
        {
          query: `SELECT * FROM c WHERE ${clause} ORDER BY c.${request.sort} ${request.order.toUpperCase()}`,
          parameters,
        },
        {
          partitionKey: this.tenantId,
          maxItemCount: request.pageSize,
          ...(request.continuation ? { continuationToken: request.continuation } : {}),
        },
      )
      .fetchNext();
    return {
      rows: response.resources,
      ...(response.continuationToken ? { continuation: response.continuationToken } : {}),
    };
  }

  async count(filter: RowFilter): Promise<number> {
    const { clause, parameters } = where(this.tenantId, filter);
    const { resources } = await this.container.items
      .query<number>(
        { query: `SELECT VALUE COUNT(1) FROM c WHERE ${clause}`, parameters },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources[0] ?? 0;
  }

  /** The accounts (Year rows) whose most engaged tracked user is `email`. */
  async accountsEngagedMostBy(entity: string, runId: string, email: string): Promise<string[]> {
    const { clause, parameters } = where(this.tenantId, { entity, runId, level: 'Year' });
    const { resources } = await this.container.items
      .query<string>(
        {
          query: `SELECT VALUE c.AccountId FROM c WHERE ${clause} AND c.TopEngagedUserEmail = @email`,
          parameters: [...parameters, { name: '@email', value: email }],
        },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources;
  }

  /** Every account's engagement score in a run (its Year rows, two fields each). */
  async yearScores(entity: string, runId: string): Promise<Map<string, number>> {
    const { clause, parameters } = where(this.tenantId, { entity, runId, level: 'Year' });
    const { resources } = await this.container.items
      .query<{ AccountId: string; EngagementScore: number }>(
        { query: `SELECT c.AccountId, c.EngagementScore FROM c WHERE ${clause}`, parameters },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return new Map(resources.map((row) => [row.AccountId, row.EngagementScore]));
  }

  /** Year rows whose account name contains `text` or whose id is `text`, by name, at most `limit`. */
  async findAccounts<R>(entity: string, runId: string, text: string, limit: number): Promise<StoredRow<R>[]> {
    const { clause, parameters } = where(this.tenantId, { entity, runId, level: 'Year' });
    const { resources } = await this.container.items
      .query<StoredRow<R>>(
        {
          query: `SELECT TOP ${Math.trunc(limit)} * FROM c WHERE ${clause} AND (CONTAINS(LOWER(c.AccountName), @text) OR c.AccountId = @id) ORDER BY c.AccountName ASC`,
          parameters: [
            ...parameters,
            { name: '@text', value: text.toLowerCase() },
            { name: '@id', value: text },
          ],
        },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources;
  }
}
