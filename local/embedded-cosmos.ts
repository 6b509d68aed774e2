import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import path from 'node:path';
import routesModule from '@zeit/cosmosdb-server/lib/routes.js';
import accountModule from '@zeit/cosmosdb-server/lib/account/index.js';
import type Account from '@zeit/cosmosdb-server/lib/account/index.js';
import type Collection from '@zeit/cosmosdb-server/lib/account/collection.js';
import type ItemObject from '@zeit/cosmosdb-server/lib/account/item-object.js';
import { parsePartitionKey } from '@zeit/cosmosdb-server/lib/utils/get-partition-from-header.js';
import type { CosmosClient, PartitionKeyDefinition } from '@azure/cosmos';
import { createCosmosClient, type CosmosConnection } from '../core/store/cosmos-client';
import type { LocalCertificate } from './certificate';
import {
  describeIgnoredTail,
  Journal,
  readJournal,
  writeFileDurably,
  type IgnoredTail,
  type JournalEntry,
} from './cosmos-journal';
import { listenOrExplain } from '../server/listen';
import { errorMessage } from '../core/text/error-text';

/** The key the embedded server accepts (it checks none); the same string the Cosmos emulator documents. */
const LOCAL_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

const SNAPSHOT_FILE = 'cosmos-snapshot.json';
const JOURNAL_FILE = 'cosmos-journal.log';

type Doc = Record<string, unknown>;

interface ContainerSnapshot {
  id: string;
  partitionKey: PartitionKeyDefinition | undefined;
  /** The container as created (partition key, indexing policy, …), with its `_etag` and `_ts`. */
  definition?: Doc;
  /** Documents with their `_etag` and `_ts` (version 1 snapshots have neither). */
  items: Doc[];
  udfs?: Doc[];
}
interface Snapshot {
  version: 1 | 2;
  takenAt: string;
  /** Every journal entry up to this one is in the snapshot (version 2). */
  journalSeq?: number;
  databases: { id: string; definition?: Doc; containers: ContainerSnapshot[] }[];
}

/**
 * One write's effect on one resource, as the store holds it right after the write (`body`), or
 * `null` when the write removed it. Replaying changes in order rebuilds the store, `_etag` and
 * `_ts` included.
 */
type Change =
  | { type: 'database'; database: string; body: Doc | null }
  | { type: 'collection'; database: string; collection: string; body: Doc | null; replaced?: true }
  | {
      type: 'document';
      database: string;
      collection: string;
      id: string;
      partition: unknown;
      body: Doc | null;
    }
  | { type: 'udf'; database: string; collection: string; id: string; body: Doc | null };

export interface EmbeddedCosmosRecovery {
  /** Documents read from the snapshot. */
  restored: number;
  /** Journal entries (writes after the snapshot) replayed on top of it. */
  replayed: number;
  /** A torn or corrupt journal tail that was left out. */
  ignored?: IgnoredTail;
}

export interface EmbeddedCosmos {
  connection: CosmosConnection;
  client: CosmosClient;
  /** What the start found in LOCAL_DATA_DIR. */
  recovery: EmbeddedCosmosRecovery;
  /** Writes the snapshot now (and empties the journal) if anything changed since the last one. */
  snapshot(): Promise<void>;
  /** Writes a last snapshot, then stops the server. */
  close(): Promise<void>;
}

export interface EmbeddedCosmosOptions {
  port: number;
  certificate: LocalCertificate;
  /** Folder of `cosmos-snapshot.json` and `cosmos-journal.log`; no folder means memory only (tests). */
  dataDir?: string;
  /** How often a changed store is snapshotted (and its journal emptied) while running. */
  snapshotIntervalMs?: number;
  /** Where recovery is reported (a replayed journal, a torn entry); default stderr. */
  log?: (line: string) => void;
}

// The package is CommonJS with `exports.default`; under Node's ESM the default import is the exports object.
const cjsDefault = <T>(imported: T): T =>
  typeof imported === 'function' ? imported : (imported as unknown as { default: T }).default;
type Handler = (
  account: Account,
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
) => unknown;
const route = cjsDefault(routesModule) as unknown as (
  req: IncomingMessage,
) => [Record<string, string>, Handler] | undefined;
const AccountClass = cjsDefault(accountModule);

/** Fields the server derives again when a resource is stored (its resource ids). */
const DERIVED_FIELDS = new Set(['_rid', '_self', '_attachments']);
const withoutDerived = (body: Doc): Doc =>
  Object.fromEntries(Object.entries(body).filter(([key]) => !DERIVED_FIELDS.has(key)));

/** Stores a resource under the `_etag` and `_ts` it had, so If-Match conditions hold across a restart. */
function keepVersion(stored: ItemObject, from: Doc): void {
  if (typeof from._etag === 'string') stored._etag = from._etag;
  if (typeof from._ts === 'number') stored._ts = from._ts;
}

function collectionOf(account: Account, database: string, collection: string): Collection | undefined {
  const found = account.database(database).collection(collection);
  return found.read() ? found : undefined;
}

/** Applies one change to the in-memory store; false when its container is missing (never for a sound journal). */
function applyChange(account: Account, change: Change): boolean {
  if (change.type === 'database') {
    const existing = account.database(change.database).read();
    if (!change.body) {
      if (existing) account.databases.delete(change.database, change.database);
    } else if (!existing) {
      keepVersion(account.databases.create(withoutDerived(change.body)), change.body);
    }
    return true;
  }
  if (change.body && !account.database(change.database).read()) {
    account.databases.create({ id: change.database });
  }
  const database = account.database(change.database);
  if (change.type === 'collection') {
    const existing = database.collection(change.collection).read();
    if (!change.body) {
      if (existing) database.collections.delete(change.collection, change.collection);
    } else if (!existing) {
      keepVersion(database.collections.create(withoutDerived(change.body)), change.body);
    } else if (change.replaced) {
      // What the server does on a replace: the container starts over from its new definition.
      keepVersion(database.collections.replace(withoutDerived(change.body), existing), change.body);
    }
    return true;
  }
  const collection = collectionOf(account, change.database, change.collection);
  if (!collection) return false;
  if (change.type === 'document') {
    if (!change.body) {
      if (collection.document(change.id, change.partition).read()) {
        collection.documents.delete(change.id, change.partition);
      }
    } else {
      keepVersion(collection.documents.upsert(withoutDerived(change.body)), change.body);
    }
    return true;
  }
  if (!change.body) {
    if (collection.userDefinedFunction(change.id).read()) collection.userDefinedFunctions.delete(change.id);
  } else {
    const stored = collection.userDefinedFunctions.upsert({ id: change.id, body: String(change.body.body) });
    keepVersion(stored, change.body);
  }
  return true;
}

function restoreSnapshot(account: Account, snapshot: Snapshot): { restored: number; skipped: number } {
  let restored = 0;
  let skipped = 0;
  for (const db of snapshot.databases) {
    applyChange(account, { type: 'database', database: db.id, body: db.definition ?? { id: db.id } });
    for (const c of db.containers) {
      const body = c.definition ?? { id: c.id, ...(c.partitionKey ? { partitionKey: c.partitionKey } : {}) };
      applyChange(account, { type: 'collection', database: db.id, collection: c.id, body });
      for (const item of c.items) {
        const ok = applyChange(account, {
          type: 'document',
          database: db.id,
          collection: c.id,
          id: String(item.id),
          partition: undefined,
          body: item,
        });
        if (ok) restored += 1;
        else skipped += 1;
      }
      for (const udf of c.udfs ?? []) {
        applyChange(account, {
          type: 'udf',
          database: db.id,
          collection: c.id,
          id: String(udf.id),
          body: udf,
        });
      }
    }
  }
  return { restored, skipped };
}

/** The whole store as it is at this instant (synchronous, so no write lands halfway through). */
function captureStore(account: Account): Snapshot['databases'] {
  const read = (item: { read(): ItemObject | undefined }): Doc => withoutDerived(item.read() ?? {});
  return [...account.databases._data.values()].map((database) => ({
    id: String(database.read()?.id),
    definition: read(database),
    containers: [...database.collections._data.values()].map((collection) => {
      const definition = read(collection);
      const udfs = [...collection.userDefinedFunctions._data.values()].map(read);
      return {
        id: String(definition.id),
        partitionKey: definition.partitionKey as PartitionKeyDefinition | undefined,
        definition,
        items: [...collection.documents._data.values()].map(read),
        ...(udfs.length ? { udfs } : {}),
      };
    }),
  }));
}

/** A write request to the server: which resources it may change, known from its path and method. */
type Write =
  | { kind: 'database'; database?: string }
  | { kind: 'collection'; database: string; collection?: string; replace: boolean }
  | { kind: 'document'; database: string; collection: string; id?: string; partitionHeader?: string }
  | { kind: 'batch'; database: string; collection: string }
  | { kind: 'udf'; database: string; collection: string; id?: string };

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
const isTrue = (req: IncomingMessage, name: string) => header(req, name)?.toLowerCase() === 'true';

function writeOf(req: IncomingMessage, params: Record<string, string>): Write | undefined {
  const method = req.method ?? '';
  if (
    method === 'POST' &&
    (isTrue(req, 'x-ms-documentdb-isquery') || header(req, 'content-type') === 'application/query+json')
  ) {
    return undefined;
  }
  if (!['POST', 'PUT', 'DELETE'].includes(method)) return undefined;
  // As the server's router reads it: the path without its query (the SDK may start it with `//`).
  const parts = (req.url ?? '/').split('?')[0]?.split('/').filter(Boolean) ?? [];
  const { dbId: database, collId: collection, docId, udfId } = params;
  if (parts[0] !== 'dbs') return undefined;
  if (parts.length <= 2) return { kind: 'database', ...(database ? { database } : {}) };
  if (!database) return undefined;
  if (parts.length <= 4) {
    return { kind: 'collection', database, ...(collection ? { collection } : {}), replace: method === 'PUT' };
  }
  if (!collection) return undefined;
  if (parts[4] === 'udfs') return { kind: 'udf', database, collection, ...(udfId ? { id: udfId } : {}) };
  if (parts[4] !== 'docs') return undefined;
  if (method === 'POST' && isTrue(req, 'x-ms-cosmos-is-batch-request'))
    return { kind: 'batch', database, collection };
  const partitionHeader = header(req, 'x-ms-documentdb-partitionkey');
  return {
    kind: 'document',
    database,
    collection,
    ...(docId ? { id: docId } : {}),
    ...(partitionHeader ? { partitionHeader } : {}),
  };
}

interface BatchInput {
  operationType?: string;
  id?: string;
  partitionKey?: string;
  resourceBody?: Doc;
}
interface BatchResult {
  statusCode: number;
  resourceBody?: Doc;
}

/** What a successful write changed, read back from the store right after it. */
function changesOf(account: Account, write: Write, body: unknown, requestBody: Buffer | undefined): Change[] {
  const answer = (body && typeof body === 'object' ? body : {}) as Doc;
  const current = (item: { read(): ItemObject | undefined }): Doc | null => {
    const stored = item.read();
    return stored ? withoutDerived(stored) : null;
  };
  if (write.kind === 'database') {
    const database = write.database ?? String(answer.id);
    return [{ type: 'database', database, body: current(account.database(database)) }];
  }
  const { database } = write;
  if (write.kind === 'collection') {
    const collection = write.collection ?? String(answer.id);
    const change: Change = {
      type: 'collection',
      database,
      collection,
      body: current(account.database(database).collection(collection)),
      ...(write.replace ? { replaced: true as const } : {}),
    };
    return [change];
  }
  const collection = collectionOf(account, database, write.collection);
  if (write.kind === 'udf') {
    const id = write.id ?? String(answer.id);
    const body = collection ? current(collection.userDefinedFunction(id)) : null;
    return [{ type: 'udf', database, collection: write.collection, id, body }];
  }
  if (!collection) return [];
  const documentChange = (id: string, partition: unknown): Change => ({
    type: 'document',
    database,
    collection: write.collection,
    id,
    partition,
    body: current(collection.document(id, partition)),
  });
  const written = (doc: Doc) => documentChange(String(doc.id), collection.documents._getPartition(doc));
  if (write.kind === 'document') {
    if (write.id && !answer.id)
      return [documentChange(write.id, parsePartitionKey(write.partitionHeader ?? '', write.id))];
    return answer.id === undefined ? [] : [written(answer)];
  }
  const inputs = JSON.parse(requestBody?.toString('utf8') ?? '[]') as BatchInput[];
  const results = Array.isArray(body) ? (body as BatchResult[]) : [];
  const changes: Change[] = [];
  results.forEach((result, i) => {
    const input = inputs[i];
    if (!input || result.statusCode >= 400 || input.operationType === 'Read') return;
    if (result.resourceBody) changes.push(written(result.resourceBody));
    else if (input.id)
      changes.push(documentChange(input.id, parsePartitionKey(input.partitionKey ?? '', input.id)));
  });
  return changes;
}

function collectBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => {
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Answers one request the way `@zeit/cosmosdb-server` does (its router and handlers on our own
 * account object), except that a successful write is answered only once `journal` has it on disk.
 */
async function handleRequest(
  account: Account | undefined,
  journal: Journal<Change[]> | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let body: unknown;
  const matched = account ? route(req) : undefined;
  if (!account) {
    res.statusCode = 503;
    body = { message: 'starting' };
  } else if (matched) {
    const [params, handler] = matched;
    const write = journal ? writeOf(req, params) : undefined;
    // Attached before the handler reads the body, so both see every chunk.
    const requestBody = write?.kind === 'batch' ? collectBody(req) : undefined;
    try {
      body = await handler(account, req, res, params);
    } catch (error) {
      console.error(error);
      body = { message: errorMessage(error) };
      res.statusCode = 500;
    }
    if (res.statusCode > 399 && body && typeof body === 'object' && !(body as Doc).message) {
      (body as Doc).message = '';
    }
    if (journal && write && res.statusCode < 300) {
      try {
        const changes = changesOf(account, write, body, await requestBody);
        if (changes.length) await journal.append(changes);
      } catch (error) {
        console.error(error);
        res.statusCode = 500;
        body = {
          code: 'InternalServerError',
          message: `The write could not be journaled: ${errorMessage(error)}`,
        };
      }
    }
  } else {
    res.statusCode = 400;
    body = { message: 'no route' };
  }
  const etag = body && typeof body === 'object' ? (body as Doc)._etag : undefined;
  if (typeof etag === 'string') res.setHeader('etag', etag);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-location', `https://${req.headers.host ?? ''}${req.url ?? ''}`);
  res.setHeader('x-ms-activity-id', randomUUID());
  res.setHeader('x-ms-request-charge', '1');
  if (req.headers['x-ms-documentdb-populatequerymetrics']) {
    res.setHeader(
      'x-ms-documentdb-query-metrics',
      'totalExecutionTimeInMs=0.00;queryCompileTimeInMs=0.00;queryLogicalPlanBuildTimeInMs=0.00;queryPhysicalPlanBuildTimeInMs=0.00;queryOptimizationTimeInMs=0.00;VMExecutionTimeInMs=0.00;indexLookupTimeInMs=0.00;documentLoadTimeInMs=0.00;systemFunctionExecuteTimeInMs=0.00;userFunctionExecuteTimeInMs=0.00;retrievedDocumentCount=0;retrievedDocumentSize=0;outputDocumentCount=1;outputDocumentSize=0;writeOutputTimeInMs=0.00;indexUtilizationRatio=0.00',
    );
  }
  if (req.headers['a-im'] && res.statusCode === 200) {
    if (req.headers['if-none-match']) res.statusCode = 304;
    res.setHeader('etag', '1');
  }
  res.end(JSON.stringify(body));
}

async function readSnapshot(file: string): Promise<Snapshot | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Snapshot;
  } catch (error) {
    throw new Error(
      `The Cosmos DB snapshot ${file} is not readable (${errorMessage(error)}); move it away to start empty.`,
      { cause: error },
    );
  }
}

/** Temporary files a crash may have left behind while a snapshot or a compacted journal was written. */
async function removeLeftovers(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => /^cosmos-(snapshot\.json|journal\.log)\.\d+\.tmp$/.test(name))
      .map((name) => rm(path.join(dataDir, name), { force: true })),
  );
}

/**
 * `@zeit/cosmosdb-server`'s protocol in this process, reached only through `@azure/cosmos`. The
 * server keeps data in memory. With a data folder, every acknowledged write is durable: it is
 * appended to `cosmos-journal.log` and fsync'd before its answer leaves, the store is snapshotted
 * to `cosmos-snapshot.json` every few seconds after a change (emptying the journal) and on close,
 * and a start restores the snapshot and replays the journal on top of it.
 */
export async function startEmbeddedCosmos(options: EmbeddedCosmosOptions): Promise<EmbeddedCosmos> {
  const log = options.log ?? ((line: string) => console.warn(line));
  const dataDir = options.dataDir;
  const snapshotFile = dataDir ? path.join(dataDir, SNAPSHOT_FILE) : undefined;
  const journalFile = dataDir ? path.join(dataDir, JOURNAL_FILE) : undefined;

  let stored: Snapshot | undefined;
  let entries: JournalEntry<Change[]>[] = [];
  let ignored: IgnoredTail | undefined;
  let journal: Journal<Change[]> | undefined;
  let journalBytes = 0;
  if (dataDir && snapshotFile && journalFile) {
    await mkdir(dataDir, { recursive: true });
    await removeLeftovers(dataDir);
    stored = await readSnapshot(snapshotFile);
    const contents = await readJournal<Change[]>(journalFile);
    const after = stored?.journalSeq ?? 0;
    entries = contents.entries.filter((entry) => entry.seq > after);
    ignored = contents.ignored;
    journalBytes = contents.validBytes + (ignored?.bytes ?? 0);
    let keptIn: string | undefined;
    if (ignored) {
      keptIn = path.join(
        dataDir,
        `cosmos-journal.ignored-${new Date().toISOString().replaceAll(':', '-')}.log`,
      );
      const bytes = (await readFile(journalFile)).subarray(ignored.offset);
      await writeFileDurably(keptIn, bytes).catch(() => (keptIn = undefined));
      log(describeIgnoredTail(ignored, entries.length, keptIn));
    }
    // Opening cuts the ignored tail off, so new entries follow whole ones.
    journal = await Journal.open<Change[]>(journalFile, {
      validBytes: contents.validBytes,
      lastSeq: Math.max(after, contents.entries.at(-1)?.seq ?? 0),
    });
  }

  /** Set once the store is restored; until then requests are answered 503. */
  const state: { account?: Account } = {};
  const server: Server = createServer(
    { key: options.certificate.key, cert: options.certificate.cert },
    (req, res) => {
      handleRequest(state.account, journal, req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.writableEnded) {
          res.statusCode = 500;
          res.end('');
        }
      });
    },
  );
  try {
    await listenOrExplain(server, options.port, 'the embedded Cosmos DB (COSMOS_PORT)');
  } catch (error) {
    await journal?.close();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = typeof address === 'object' && address ? address.address : 'localhost';

  // Restored in the same tick the server starts listening: no request sees a partial store.
  const store = new AccountClass(host === '0.0.0.0' || host === '::' ? 'localhost' : host, port);
  const recovery: EmbeddedCosmosRecovery = { restored: 0, replayed: 0, ...(ignored ? { ignored } : {}) };
  let skipped = 0;
  if (stored) ({ restored: recovery.restored, skipped } = restoreSnapshot(store, stored));
  for (const entry of entries) {
    for (const change of entry.data) {
      try {
        if (!applyChange(store, change)) skipped += 1;
      } catch (error) {
        skipped += 1;
        log(`journal: entry ${entry.seq} could not be replayed (${errorMessage(error)})`);
      }
    }
    recovery.replayed += 1;
  }
  state.account = store;
  if (entries.length) {
    log(
      `journal: replayed ${entries.length} entries written after the snapshot (${stored?.takenAt ?? 'none'})`,
    );
  }
  if (skipped) log(`journal: left out ${skipped} change(s) that did not apply (a missing container)`);

  const connection: CosmosConnection = {
    endpoint: `https://localhost:${port}`,
    key: LOCAL_KEY,
    ca: options.certificate.cert,
  };
  const client = createCosmosClient(connection);

  let snapshotSeq = journal && stored?.version === 2 ? (stored.journalSeq ?? 0) : -1;
  let writing: Promise<void> = Promise.resolve();
  /** Writes the snapshot if anything changed since the last one (or `always`), then empties the journal. */
  const snapshot = (always = false): Promise<void> => {
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        if (!snapshotFile || !journal || (!always && journal.lastSeq === snapshotSeq)) return;
        // The cut: every entry up to `seq` has its effect in the store at this instant (an entry is
        // appended after its write is applied), so the snapshot holds them all.
        const seq = journal.lastSeq;
        const data: Snapshot = {
          version: 2,
          takenAt: new Date().toISOString(),
          journalSeq: seq,
          databases: captureStore(store),
        };
        await writeFileDurably(snapshotFile, JSON.stringify(data));
        snapshotSeq = seq;
        await journal.compact(seq);
      });
    return writing;
  };
  const stop = async () => {
    client.dispose();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    // Writes that came after the last snapshot are in the journal, replayed on the next start.
    await journal?.close();
  };
  try {
    // Fold what was replayed (or an old-format snapshot) into a new snapshot and empty the journal.
    if (journalBytes > 0 || (stored && stored.version !== 2)) await snapshot(true);
  } catch (error) {
    await stop();
    throw error;
  }

  const timer = setInterval(
    () =>
      void snapshot().catch((error: unknown) =>
        log(`snapshot failed (the journal keeps every write): ${errorMessage(error)}`),
      ),
    options.snapshotIntervalMs ?? 5_000,
  );
  timer.unref();

  return {
    connection,
    client,
    recovery,
    snapshot: () => snapshot(),
    async close() {
      clearInterval(timer);
      try {
        await snapshot();
      } finally {
        await stop();
      }
    },
  };
}
