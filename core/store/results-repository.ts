import type { Container, OperationInput, SqlParameter } from '@azure/cosmos';
import { cardId, pointerId, rowId, type StoredRow, type VisibleRun } from '../results/stored-rows';
import { executeBulk } from './bulk';

/** Items per page when a whole run is read (its ids to delete, its Year rows). */
const READ_ALL_PAGE = 10_000;

interface PointerDocument extends VisibleRun {
  id: string;
  tenantId: string;
  type: 'visible';
  entity: string;
}

/**
 * The output entities of one tenant. A run writes its rows and its accounts' customer cards under
 * its own run id, invisible to readers, and `publish` then swaps the entity's pointer in a single
 * document write: readers see the previous run's rows and cards or the new run's, never a mix, and
 * a failed run changes nothing.
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

  /** Writes a run's customer cards (invisible until published), one per account. */
  async writeCards<C extends { accountId: string }>(
    entity: string,
    runId: string,
    cards: readonly C[],
  ): Promise<void> {
    await executeBulk(
      this.container,
      cards.map((card) => ({
        operationType: 'Upsert',
        partitionKey: this.tenantId,
        resourceBody: {
          ...card,
          id: cardId(entity, runId, card.accountId),
          tenantId: this.tenantId,
          type: 'card',
          entity,
          runId,
        },
      })),
    );
  }

  /** A point read of an account's customer card in one run. */
  async readCard<C extends { accountId: string }>(
    entity: string,
    runId: string,
    accountId: string,
  ): Promise<C | undefined> {
    const { resource } = await this.container.item(cardId(entity, runId, accountId), this.tenantId).read<C>();
    return resource;
  }

  async visibleRun(entity: string): Promise<VisibleRun | undefined> {
    const { resource } = await this.container.item(pointerId(entity), this.tenantId).read<PointerDocument>();
    if (!resource) return undefined;
    const { runId, asOf, publishedAt, rowCount, accountCount, signalThresholds } = resource;
    return {
      runId,
      asOf,
      publishedAt,
      rowCount,
      accountCount,
      ...(signalThresholds ? { signalThresholds } : {}),
    };
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

  /** Removes rows and cards written by runs that are not visible (a failed run's, or superseded ones). */
  async discardRunsExcept(entity: string, keepRunId: string | undefined): Promise<number> {
    const ids = await this.queryAll<string>(
      'SELECT VALUE c.id FROM c WHERE c.tenantId = @tenant AND (c.type = "row" OR c.type = "card") AND c.entity = @entity AND c.runId != @keep',
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
        // Whole-run reads in few pages (the default is 100 items); Cosmos DB still caps a page at 4 MB.
        { partitionKey: this.tenantId, maxItemCount: READ_ALL_PAGE },
      )
      .fetchAll();
    return resources;
  }
}
