import { randomUUID } from 'node:crypto';
import type { Container, OperationInput, SqlParameter } from '@azure/cosmos';
import { executeBulk } from './bulk';
import { withoutSystemFields } from './cosmos-documents';
import { isCosmosStatus } from './cosmos-errors';

/**
 * Customer datasets of one tenant. A dataset's records are written as chunks under a fresh import
 * id, invisible to readers, and then its pointer document is written in one step to name that
 * import: readers see the previous import or the new one, never a mix, and a failed import leaves
 * only chunks that no pointer names, which are removed.
 */

export type ChunkPart = 'accounts' | 'contacts';

/** What the pointer document says about the dataset, besides where its records are. */
export interface DatasetPointerFields {
  datasetId: string;
}

export type DatasetPointer<M extends DatasetPointerFields> = M & {
  id: string;
  tenantId: string;
  type: 'dataset';
  importId: string;
  chunkCount: number;
};

interface ChunkDocument<R> {
  id: string;
  tenantId: string;
  type: 'dataset-chunk';
  datasetId: string;
  importId: string;
  part: ChunkPart;
  seq: number;
  /** Epoch milliseconds, to tell an abandoned import from one still being written. */
  writtenAt: number;
  records: R[];
}

/** An import whose pointer was not written within this time is abandoned; its chunks are removed. */
export const ABANDONED_IMPORT_MS = 60 * 60 * 1000;
/** Chunks stay well below Cosmos DB's 2 MB document limit. */
const CHUNK_CHARS = 512 * 1024;
const CHUNK_RECORDS = 2_000;
/** Concurrent imports of one dataset take turns writing its pointer; beyond this many, one gives up. */
const FLIP_ATTEMPTS = 10;

export class DatasetExistsError extends Error {
  constructor(readonly datasetId: string) {
    super(`A dataset with id "${datasetId}" already exists`);
    this.name = 'DatasetExistsError';
  }
}

const pointerId = (datasetId: string) => `dataset:${datasetId}`;

/** Chunk documents written at once: enough to keep the store busy, few enough that no write waits long. */
const CHUNK_WRITES = 4;

/**
 * The records in chunks, one at a time, with a turn of the event loop between chunks: measuring and
 * serialising a 25 MB dataset in one go would hold up every other request for a second.
 */
async function* chunksOf<R>(records: readonly R[]): AsyncGenerator<R[]> {
  let current: R[] = [];
  let size = 0;
  for (const record of records) {
    const length = JSON.stringify(record).length;
    if (current.length > 0 && (size + length > CHUNK_CHARS || current.length >= CHUNK_RECORDS)) {
      yield current;
      await new Promise<void>((resolve) => setImmediate(resolve));
      current = [];
      size = 0;
    }
    current.push(record);
    size += length;
  }
  if (current.length > 0) yield current;
}

export class DatasetRepository {
  constructor(
    private readonly container: Container,
    readonly tenantId: string,
    private readonly now: () => number = Date.now,
  ) {}

  async pointer<M extends DatasetPointerFields>(datasetId: string): Promise<DatasetPointer<M> | undefined> {
    const { resource } = await this.container
      .item(pointerId(datasetId), this.tenantId)
      .read<DatasetPointer<M>>();
    return resource ? withoutSystemFields(resource) : undefined;
  }

  async pointers<M extends DatasetPointerFields>(): Promise<DatasetPointer<M>[]> {
    const pointers = await this.query<DatasetPointer<M>>(
      'SELECT * FROM c WHERE c.tenantId = @tenant AND c.type = "dataset"',
    );
    return pointers.map(withoutSystemFields);
  }

  /**
   * Writes a dataset: its records as chunks, then the pointer in one write. With `create`, an
   * existing dataset of that id is left alone and DatasetExistsError thrown. Chunks of the import
   * this one replaces, and of abandoned imports, are removed afterwards.
   */
  async write<M extends DatasetPointerFields, R>(
    meta: M,
    records: Record<ChunkPart, readonly R[]>,
    options: { create: boolean },
  ): Promise<void> {
    const importId = randomUUID();
    const writtenAt = this.now();
    let previous: string | undefined;
    try {
      if (options.create && (await this.pointer(meta.datasetId)))
        throw new DatasetExistsError(meta.datasetId);
      const chunkCount = await this.writeChunks(records, (part, seq, chunk) => ({
        id: `dataset-chunk:${meta.datasetId}:${importId}:${part}:${seq}`,
        tenantId: this.tenantId,
        type: 'dataset-chunk' as const,
        datasetId: meta.datasetId,
        importId,
        part,
        seq,
        writtenAt,
        records: chunk,
      }));
      const pointer: DatasetPointer<M> = {
        ...meta,
        id: pointerId(meta.datasetId),
        tenantId: this.tenantId,
        type: 'dataset',
        importId,
        chunkCount,
      };
      previous = await this.flip(pointer, options.create);
    } catch (error) {
      await this.removeChunks(meta.datasetId, (chunk) => chunk.importId === importId).catch(() => undefined);
      throw error;
    }
    await this.removeChunks(
      meta.datasetId,
      (chunk) => chunk.importId === previous || this.abandoned(chunk, importId),
    );
  }

  /** The records of the import a pointer names, or undefined when that import was replaced meanwhile. */
  async records<R>(
    pointer: DatasetPointer<DatasetPointerFields>,
  ): Promise<Record<ChunkPart, R[]> | undefined> {
    const chunks = await this.query<Pick<ChunkDocument<R>, 'part' | 'seq' | 'records'>>(
      'SELECT c.part, c.seq, c.records FROM c WHERE c.tenantId = @tenant AND c.type = "dataset-chunk" AND c.datasetId = @dataset AND c.importId = @import',
      [
        { name: '@dataset', value: pointer.datasetId },
        { name: '@import', value: pointer.importId },
      ],
    );
    if (chunks.length !== pointer.chunkCount) return undefined;
    chunks.sort((a, b) => (a.part === b.part ? a.seq - b.seq : a.part < b.part ? -1 : 1));
    const result: Record<ChunkPart, R[]> = { accounts: [], contacts: [] };
    for (const chunk of chunks) result[chunk.part].push(...chunk.records);
    return result;
  }

  /** Removes the pointer first (the dataset disappears at once), then every chunk. */
  async delete(datasetId: string): Promise<boolean> {
    try {
      await this.container.item(pointerId(datasetId), this.tenantId).delete();
    } catch (error) {
      if (isCosmosStatus(error, 404)) return false;
      throw error;
    }
    await this.removeChunks(datasetId, () => true);
    return true;
  }

  /** Removes chunks no pointer names whose import was abandoned, across the tenant's datasets. */
  async removeOrphanedChunks(): Promise<number> {
    const current = new Set((await this.pointers()).map((p) => p.importId));
    const chunks = await this.query<Pick<ChunkDocument<unknown>, 'id' | 'importId' | 'writtenAt'>>(
      'SELECT c.id, c.importId, c.writtenAt FROM c WHERE c.tenantId = @tenant AND c.type = "dataset-chunk" AND c.writtenAt < @cutoff',
      [{ name: '@cutoff', value: this.now() - ABANDONED_IMPORT_MS }],
    );
    const orphans = chunks.filter((chunk) => !current.has(chunk.importId));
    await this.deleteIds(orphans.map((chunk) => chunk.id));
    return orphans.length;
  }

  /**
   * Creates the chunk documents, CHUNK_WRITES at a time, as the records are cut into chunks (one
   * document per request: a bulk request of a hundred 512 KB chunks is serialised in one go).
   * Returns how many were written.
   */
  private async writeChunks<R>(
    records: Record<ChunkPart, readonly R[]>,
    document: (part: ChunkPart, seq: number, chunk: R[]) => ChunkDocument<R>,
  ): Promise<number> {
    const writing = new Set<Promise<void>>();
    let failure: unknown;
    let count = 0;
    for (const part of ['accounts', 'contacts'] as const) {
      let seq = 0;
      for await (const chunk of chunksOf(records[part])) {
        if (failure) break;
        const write: Promise<void> = this.container.items
          .create(document(part, seq++, chunk))
          .then(
            () => undefined,
            (error: unknown) => {
              failure ??= error;
            },
          )
          .finally(() => writing.delete(write));
        writing.add(write);
        count += 1;
        if (writing.size >= CHUNK_WRITES) await Promise.race(writing);
      }
    }
    await Promise.all(writing);
    if (failure) throw failure;
    return count;
  }

  private abandoned(chunk: Pick<ChunkDocument<unknown>, 'importId' | 'writtenAt'>, keep: string): boolean {
    return chunk.importId !== keep && chunk.writtenAt < this.now() - ABANDONED_IMPORT_MS;
  }

  /** Writes the pointer (optimistically, so concurrent imports replace one another in turn); returns the import it replaced. */
  private async flip<M extends DatasetPointerFields>(
    pointer: DatasetPointer<M>,
    create: boolean,
  ): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      const { resource: current, etag } = await this.container
        .item(pointer.id, this.tenantId)
        .read<DatasetPointer<M>>();
      try {
        if (!current) {
          await this.container.items.create(pointer);
          return undefined;
        }
        if (create) throw new DatasetExistsError(pointer.datasetId);
        await this.container
          .item(pointer.id, this.tenantId)
          .replace(pointer, { accessCondition: { type: 'IfMatch', condition: etag } });
        return current.importId;
      } catch (error) {
        if (isCosmosStatus(error, 409) && create) throw new DatasetExistsError(pointer.datasetId);
        if (attempt >= FLIP_ATTEMPTS || (!isCosmosStatus(error, 412) && !isCosmosStatus(error, 409)))
          throw error;
      }
    }
  }

  private async removeChunks(
    datasetId: string,
    which: (chunk: Pick<ChunkDocument<unknown>, 'importId' | 'writtenAt'>) => boolean,
  ): Promise<void> {
    const chunks = await this.query<Pick<ChunkDocument<unknown>, 'id' | 'importId' | 'writtenAt'>>(
      'SELECT c.id, c.importId, c.writtenAt FROM c WHERE c.tenantId = @tenant AND c.type = "dataset-chunk" AND c.datasetId = @dataset',
      [{ name: '@dataset', value: datasetId }],
    );
    await this.deleteIds(chunks.filter(which).map((chunk) => chunk.id));
  }

  private async deleteIds(ids: readonly string[]): Promise<void> {
    const operations: OperationInput[] = ids.map((id) => ({
      operationType: 'Delete',
      id,
      partitionKey: this.tenantId,
    }));
    await executeBulk(this.container, operations);
  }

  private async query<T>(query: string, parameters: SqlParameter[] = []): Promise<T[]> {
    const { resources } = await this.container.items
      .query<T>(
        { query, parameters: [{ name: '@tenant', value: this.tenantId }, ...parameters] },
        { partitionKey: this.tenantId },
      )
      .fetchAll();
    return resources;
  }
}
