import type { Container, SqlParameter, SqlQuerySpec } from '@azure/cosmos';
import type { RunRecord, RunStatus } from '../runs/run-record';
import { isCosmosStatus } from './cosmos-errors';

interface RunDocument extends RunRecord {
  id: string;
  type: 'run';
  _etag?: string;
}

/** A run record as stored, with the ETag its next write must match. */
export interface StoredRun {
  record: RunRecord;
  etag: string;
}

export interface RunPage {
  runs: RunRecord[];
  /** Pass back to get the next page; absent on the last page. */
  continuation?: string;
}

/** Another instance wrote the run record since it was read: the writer no longer owns the run. */
export class RunRecordChangedError extends Error {
  constructor(readonly runId: string) {
    super(`Run ${runId} was changed by another instance.`);
    this.name = 'RunRecordChangedError';
  }
}

const runDocumentId = (runId: string) => `run:${runId}`;
function toStored(document: RunDocument): StoredRun {
  const { id: _id, type: _type, _etag, ...rest } = document;
  const record = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('_')));
  return { record: record as unknown as RunRecord, etag: _etag ?? '' };
}

function runsQuery(tenantId: string, enrichmentId: string, top: string, status?: RunStatus): SqlQuerySpec {
  const parameters: SqlParameter[] = [
    { name: '@tenant', value: tenantId },
    { name: '@enrichment', value: enrichmentId },
  ];
  if (status) parameters.push({ name: '@status', value: status });
  return {
    query: `SELECT ${top} * FROM c WHERE c.tenantId = @tenant AND c.type = "run" AND c.enrichmentId = @enrichment${
      status ? ' AND c.status = @status' : ''
    } ORDER BY c.queuedAt DESC`,
    parameters,
  };
}

const toDocument = (record: RunRecord): RunDocument => ({
  ...record,
  id: runDocumentId(record.runId),
  type: 'run',
});

/** Run records in the `runs` container, one partition per tenant. */
export class RunRepository {
  constructor(private readonly container: Container) {}

  async create(record: RunRecord): Promise<StoredRun> {
    const { resource } = await this.container.items.create<RunDocument>(toDocument(record));
    return toStored(resource as RunDocument);
  }

  async read(tenantId: string, runId: string): Promise<StoredRun | undefined> {
    const { resource } = await this.container.item(runDocumentId(runId), tenantId).read<RunDocument>();
    return resource ? toStored(resource) : undefined;
  }

  /** Writes a new version of a run record, only if nobody else wrote it since `stored` was read. */
  async replace(stored: StoredRun, record: RunRecord): Promise<StoredRun> {
    try {
      const { resource } = await this.container
        .item(runDocumentId(record.runId), record.tenantId)
        .replace<RunDocument>(toDocument(record), {
          accessCondition: { type: 'IfMatch', condition: stored.etag },
        });
      return toStored(resource as RunDocument);
    } catch (error) {
      if (isCosmosStatus(error, 412) || isCosmosStatus(error, 404))
        throw new RunRecordChangedError(record.runId);
      throw error;
    }
  }

  /** An enrichment's runs, newest first, a page at a time. */
  async list(
    tenantId: string,
    enrichmentId: string,
    page: { pageSize: number; continuation?: string },
  ): Promise<RunPage> {
    const response = await this.container.items
      .query<RunDocument>(runsQuery(tenantId, enrichmentId, ''), {
        partitionKey: tenantId,
        maxItemCount: page.pageSize,
        ...(page.continuation ? { continuationToken: page.continuation } : {}),
      })
      .fetchNext();
    return {
      runs: response.resources.map((d) => toStored(d).record),
      ...(response.continuationToken ? { continuation: response.continuationToken } : {}),
    };
  }

  /** The most recent runs of an enrichment (by queue time), optionally of one status. */
  async recent(
    tenantId: string,
    enrichmentId: string,
    count: number,
    status?: RunStatus,
  ): Promise<RunRecord[]> {
    const { resources } = await this.container.items
      .query<RunDocument>(runsQuery(tenantId, enrichmentId, `TOP ${Math.trunc(count)}`, status), {
        partitionKey: tenantId,
      })
      .fetchAll();
    return resources.map((d) => toStored(d).record);
  }

  /** The most recently queued run of an enrichment, optionally of one status. */
  async latest(tenantId: string, enrichmentId: string, status?: RunStatus): Promise<RunRecord | undefined> {
    return (await this.recent(tenantId, enrichmentId, 1, status))[0];
  }

  /** Runs of every tenant that have not finished: queued, running or interrupted. */
  async unfinished(): Promise<StoredRun[]> {
    const { resources } = await this.container.items
      .query<RunDocument>({
        query:
          'SELECT * FROM c WHERE c.type = "run" AND (c.status = "queued" OR c.status = "running" OR c.status = "interrupted")',
      })
      .fetchAll();
    return resources.map(toStored);
  }
}
