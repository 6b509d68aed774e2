import type { Container, OperationInput, SqlParameter } from '@azure/cosmos';
import { executeBulk } from './bulk';

/** The columns every output row carries for addressing; the rest are the metric columns. */
export interface OutputRowKey {
  AccountId: string;
  AggregationLevel: string;
  AggregationStartDate: string;
}

/** Which run's rows an output entity currently shows; replaced in one write when a run completes. */
export interface VisibleRun {
  runId: string;
  /** The run's as-of instant (ISO). */
  asOf: string;
  publishedAt: string;
  rowCount: number;
  accountCount: number;
}

interface PointerDocument extends VisibleRun {
  id: string;
  tenantId: string;
  type: 'visible';
  entity: string;
}

export type StoredRow<R> = R & { id: string; tenantId: string; type: 'row'; entity: string; runId: string };

function idPart(value: string): string {
  // Cosmos ids may not contain / \ ? #; encoding keeps them unique and reversible.
  return encodeURIComponent(value).replace(/\\/g, '%5C');
}

/** The key of an output row within its entity: account, level and (below Year) the period start. */
export function outputRowKey(row: OutputRowKey): string[] {
  return row.AggregationLevel === 'Year'
    ? [row.AccountId, row.AggregationLevel]
    : [row.AccountId, row.AggregationLevel, row.AggregationStartDate];
}

function rowId(entity: string, runId: string, key: readonly string[]): string {
  return `row:${[entity, runId, ...key].map(idPart).join(':')}`;
}

const pointerId = (entity: string) => `visible:${idPart(entity)}`;

/**
 * The output entities of one tenant. A run writes its rows under its own run id, invisible to
 * readers, and `publish` then swaps the entity's pointer in a single document write: readers see
 * the previous run's rows or the new run's rows, never a mix, and a failed run changes nothing.
 */
export class ResultsRepository {
  constructor(
    private readonly container: Container,
    readonly tenantId: string,
  ) {}

  /** Writes a run's rows (invisible until published); `keyOf` gives each row's unique key within the entity. */
  async writeRows<R extends object>(
    entity: string,
    runId: string,
    rows: readonly R[],
    keyOf: (row: R) => readonly string[],
  ): Promise<void> {
    const operations: OperationInput[] = rows.map((row) => ({
      operationType: 'Upsert',
      partitionKey: this.tenantId,
      resourceBody: {
        ...row,
        id: rowId(entity, runId, keyOf(row)),
        tenantId: this.tenantId,
        type: 'row',
        entity,
        runId,
      },
    }));
    await executeBulk(this.container, operations);
  }

  async visibleRun(entity: string): Promise<VisibleRun | undefined> {
    const { resource } = await this.container.item(pointerId(entity), this.tenantId).read<PointerDocument>();
    if (!resource) return undefined;
    const { runId, asOf, publishedAt, rowCount, accountCount } = resource;
    return { runId, asOf, publishedAt, rowCount, accountCount };
  }

  /** Makes a completed run's rows the visible ones, then removes the rows of every other run. */
  async publish(entity: string, run: VisibleRun): Promise<void> {
    const pointer: PointerDocument = {
      id: pointerId(entity),
      tenantId: this.tenantId,
      type: 'visible',
      entity,
      ...run,
    };
    await this.container.items.upsert(pointer);
    await this.discardRunsExcept(entity, run.runId);
  }

  /** Removes rows written by runs that are not visible (a failed run's, or superseded ones). */
  async discardRunsExcept(entity: string, keepRunId: string | undefined): Promise<number> {
    const ids = await this.queryAll<string>(
      'SELECT VALUE c.id FROM c WHERE c.tenantId = @tenant AND c.type = "row" AND c.entity = @entity AND c.runId != @keep',
      [
        { name: '@entity', value: entity },
        { name: '@keep', value: keepRunId ?? '' },
      ],
    );
    await executeBulk(
      this.container,
      ids.map((id) => ({ operationType: 'Delete', id, partitionKey: this.tenantId })),
    );
    return ids.length;
  }

  /** A point read of one visible row by its key (see `outputRowKey`). */
  async readRow<R extends object>(entity: string, key: readonly string[]): Promise<StoredRow<R> | undefined> {
    const visible = await this.visibleRun(entity);
    if (!visible) return undefined;
    const id = rowId(entity, visible.runId, key);
    const { resource } = await this.container.item(id, this.tenantId).read<StoredRow<R>>();
    return resource;
  }

  /** Point reads of one run's rows by their keys (see `outputRowKey`); a missing row is undefined. */
  async readRows<R extends object>(
    entity: string,
    runId: string,
    keys: readonly (readonly string[])[],
  ): Promise<(StoredRow<R> | undefined)[]> {
    return Promise.all(
      keys.map(
        async (key) =>
          (await this.container.item(rowId(entity, runId, key), this.tenantId).read<StoredRow<R>>()).resource,
      ),
    );
  }

  /** The visible rows of an entity, optionally of one level and/or one account (unordered). */
  async visibleRows<R extends object>(
    entity: string,
    filter: { level?: string; accountId?: string } = {},
  ): Promise<StoredRow<R>[]> {
    const visible = await this.visibleRun(entity);
    if (!visible) return [];
    const conditions = ['c.tenantId = @tenant', 'c.type = "row"', 'c.entity = @entity', 'c.runId = @run'];
    const parameters: SqlParameter[] = [
      { name: '@entity', value: entity },
      { name: '@run', value: visible.runId },
    ];
    if (filter.level) {
      conditions.push('c.AggregationLevel = @level');
      parameters.push({ name: '@level', value: filter.level });
    }
    if (filter.accountId) {
      conditions.push('c.AccountId = @account');
      parameters.push({ name: '@account', value: filter.accountId });
    }
    return this.queryAll<StoredRow<R>>(`SELECT * FROM c WHERE ${conditions.join(' AND ')}`, parameters);
  }

  private async queryAll<T>(query: string, parameters: SqlParameter[]): Promise<T[]> {
    const { resources } = await this.container.items
      .query<T>(
        { query, parameters: [{ name: '@tenant', value: this.tenantId }, ...parameters] },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources;
  }
}
