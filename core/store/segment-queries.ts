import type { Container, SqlParameter } from '@azure/cosmos';
import type { SortOrder } from './results-queries';
import type { StoredRow } from '../results/stored-rows';
import { columnPath, segmentWhere, type RowScope } from './rule-compiler';
import type { NumericColumn, SegmentColumn } from '../results/columns';
import type { RuleGroup } from '../segments/segment-rules';
import type { SignalName } from '../engine/signals';

export interface MemberPageRequest {
  sort: SegmentColumn;
  order: SortOrder;
  pageSize: number;
  continuation?: string;
}

export interface MemberPage<R> {
  rows: StoredRow<R>[];
  continuation?: string;
}

/** A numeric column's figures over the accounts in scope; nulls are left out of all but `accounts`. */
export interface Measures {
  /** Accounts in scope (all Year rows, or a segment's members). */
  accounts: number;
  /** Accounts whose value is not null: the ones the other figures are over. */
  count: number;
  sum: number;
  average: number | null;
  min: number | null;
  max: number | null;
}

interface AggregateRow {
  count?: number;
  sum?: number;
  average?: number;
  min?: number;
  max?: number;
}

/**
 * Segment membership, members and measures over the Year rows of one run of an output entity,
 * computed by Cosmos DB from the compiled rules (no rows are read to count or aggregate).
 */
export class SegmentQueries {
  constructor(private readonly results: Container) {}

  async count(scope: RowScope, rules?: RuleGroup): Promise<number> {
    const { clause, parameters } = segmentWhere(scope, rules);
    const [count] = await this.query<number>(
      scope,
      `SELECT VALUE COUNT(1) FROM c WHERE ${clause}`,
      parameters,
    );
    return count ?? 0;
  }

  /** One page of the members, sorted by a column; pages follow Cosmos DB continuation tokens. */
  async members<R>(
    scope: RowScope,
    rules: RuleGroup | undefined,
    page: MemberPageRequest,
  ): Promise<MemberPage<R>> {
    const { clause, parameters } = segmentWhere(scope, rules);
    const response = await this.results.items
      .query<StoredRow<R>>(
        {
          query: `SELECT * FROM c WHERE ${clause} ORDER BY ${columnPath(page.sort)} ${page.order === 'asc' ? 'ASC' : 'DESC'}`,
          parameters,
        },
        {
          partitionKey: scope.tenantId,
          maxItemCount: page.pageSize,
          ...(page.continuation ? { continuationToken: page.continuation } : {}),
        },
      )
      .fetchNext();
    return {
      rows: response.resources,
      ...(response.continuationToken ? { continuation: response.continuationToken } : {}),
    };
  }

  /** Every member's row (for follow-ups that need each member, such as alerts). */
  async allMembers<R>(scope: RowScope, rules?: RuleGroup): Promise<StoredRow<R>[]> {
    const { clause, parameters } = segmentWhere(scope, rules);
    return this.query<StoredRow<R>>(scope, `SELECT * FROM c WHERE ${clause}`, parameters);
  }

  /** The run's Year rows of the accounts that show the signal at T (rows of older runs have none). */
  async signalMembers<R>(scope: RowScope, signal: SignalName): Promise<StoredRow<R>[]> {
    const { clause, parameters } = segmentWhere(scope);
    return this.query<StoredRow<R>>(
      scope,
      `SELECT * FROM c WHERE ${clause} AND ARRAY_CONTAINS(c.Signals, @signal)`,
      [...parameters, { name: '@signal', value: signal }],
    );
  }

  async measures(scope: RowScope, column: NumericColumn, rules?: RuleGroup): Promise<Measures> {
    const { clause, parameters } = segmentWhere(scope, rules);
    const c = columnPath(column);
    // AVG and SUM are undefined over a null, so the figures are taken over numbers only.
    const [accounts, [figures]] = await Promise.all([
      this.count(scope, rules),
      this.query<AggregateRow>(
        scope,
        `SELECT COUNT(1) AS count, SUM(${c}) AS sum, AVG(${c}) AS average, MIN(${c}) AS min, MAX(${c}) AS max FROM c WHERE ${clause} AND IS_NUMBER(${c})`,
        parameters,
      ),
    ]);
    const count = figures?.count ?? 0;
    return {
      accounts,
      count,
      sum: count ? (figures?.sum ?? 0) : 0,
      average: count ? (figures?.average ?? null) : null,
      min: count ? (figures?.min ?? null) : null,
      max: count ? (figures?.max ?? null) : null,
    };
  }

  private async query<T>(scope: RowScope, query: string, parameters: SqlParameter[]): Promise<T[]> {
    const { resources } = await this.results.items
      .query<T>({ query, parameters }, { partitionKey: scope.tenantId })
      .fetchAll();
    return resources;
  }
}
