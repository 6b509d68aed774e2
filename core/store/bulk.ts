import type { Container, OperationInput } from '@azure/cosmos';

const BATCH = 100;

export class BulkWriteError extends Error {
  constructor(
    readonly failed: number,
    readonly firstStatus: number,
  ) {
    super(`${failed} document writes failed (first status ${firstStatus})`);
    this.name = 'BulkWriteError';
  }
}

/** Runs operations through Cosmos bulk execution in batches and fails if any did not succeed. */
export async function executeBulk(container: Container, operations: OperationInput[]): Promise<void> {
  let failed = 0;
  let firstStatus = 0;
  for (let i = 0; i < operations.length; i += BATCH) {
    const results = await container.items.bulk(operations.slice(i, i + BATCH));
    for (const result of results) {
      if (result.statusCode >= 400) {
        failed += 1;
        firstStatus ||= result.statusCode;
      }
    }
  }
  if (failed) throw new BulkWriteError(failed, firstStatus);
}
