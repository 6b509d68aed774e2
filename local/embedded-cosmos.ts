import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import path from 'node:path';
import { createHttpsServer } from '@zeit/cosmosdb-server';
import type { CosmosClient, PartitionKeyDefinition } from '@azure/cosmos';
import { createCosmosClient, type CosmosConnection } from '../core/store/cosmos-client';
import type { LocalCertificate } from './certificate';
import { listenOrExplain } from '../server/listen';

/** The key the embedded server accepts (it checks none); the same string the Cosmos emulator documents. */
const LOCAL_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

interface ContainerSnapshot {
  id: string;
  partitionKey: PartitionKeyDefinition | undefined;
  items: Record<string, unknown>[];
}
interface Snapshot {
  version: 1;
  takenAt: string;
  databases: { id: string; containers: ContainerSnapshot[] }[];
}

export interface EmbeddedCosmos {
  connection: CosmosConnection;
  client: CosmosClient;
  /** Writes the snapshot now if anything changed since the last one. */
  snapshot(): Promise<void>;
  /** Writes a last snapshot, then stops the server. */
  close(): Promise<void>;
}

export interface EmbeddedCosmosOptions {
  port: number;
  certificate: LocalCertificate;
  /** Folder of `cosmos-snapshot.json`; no folder means memory only (tests). */
  dataDir?: string;
  /** How often a changed store is snapshotted while running. */
  snapshotIntervalMs?: number;
}

const SYSTEM_FIELDS = new Set(['_rid', '_self', '_etag', '_attachments', '_ts']);

function stripSystemFields(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !SYSTEM_FIELDS.has(key)));
}

async function takeSnapshot(client: CosmosClient): Promise<Snapshot> {
  const { resources: databases } = await client.databases.readAll().fetchAll();
  return {
    version: 1,
    takenAt: new Date().toISOString(),
    databases: await Promise.all(
      databases.map(async (db) => {
        const database = client.database(db.id);
        const { resources: containers } = await database.containers.readAll().fetchAll();
        return {
          id: db.id,
          containers: await Promise.all(
            containers.map(async (c) => ({
              id: c.id,
              partitionKey: c.partitionKey,
              items: (await database.container(c.id).items.readAll().fetchAll()).resources.map(
                stripSystemFields,
              ),
            })),
          ),
        };
      }),
    ),
  };
}

async function restoreSnapshot(client: CosmosClient, snapshot: Snapshot): Promise<number> {
  let count = 0;
  for (const db of snapshot.databases) {
    const { database } = await client.databases.createIfNotExists({ id: db.id });
    for (const c of db.containers) {
      const { container } = await database.containers.createIfNotExists({
        id: c.id,
        ...(c.partitionKey ? { partitionKey: c.partitionKey } : {}),
      });
      for (let i = 0; i < c.items.length; i += 100) {
        await Promise.all(c.items.slice(i, i + 100).map((item) => container.items.upsert(item)));
      }
      count += c.items.length;
    }
  }
  return count;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `@zeit/cosmosdb-server` in this process, reached only through `@azure/cosmos`. The server keeps
 * data in memory, so the local mode snapshots it to disk (periodically when something changed, and
 * on close) and restores the snapshot on the next start.
 */
export async function startEmbeddedCosmos(options: EmbeddedCosmosOptions): Promise<EmbeddedCosmos> {
  const server: Server = createHttpsServer({ key: options.certificate.key, cert: options.certificate.cert });
  let dirty = false;
  server.prependListener('request', (req: IncomingMessage) => {
    // Queries are POSTs too; they carry this header and change nothing.
    if (WRITE_METHODS.has(req.method ?? '') && !req.headers['x-ms-documentdb-isquery']) dirty = true;
  });
  await listenOrExplain(server, options.port, 'the embedded Cosmos DB (COSMOS_PORT)');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const connection: CosmosConnection = {
    endpoint: `https://localhost:${port}`,
    key: LOCAL_KEY,
    ca: options.certificate.cert,
  };
  const client = createCosmosClient(connection);
  const snapshotFile = options.dataDir ? path.join(options.dataDir, 'cosmos-snapshot.json') : undefined;

  if (snapshotFile) {
    const text = await readFile(snapshotFile, 'utf8').catch(() => undefined);
    if (text) await restoreSnapshot(client, JSON.parse(text) as Snapshot);
  }
  dirty = false;

  let writing: Promise<void> = Promise.resolve();
  const snapshot = (): Promise<void> => {
    writing = writing.then(async () => {
      if (!snapshotFile || !dirty) return;
      dirty = false;
      const data = await takeSnapshot(client);
      await mkdir(path.dirname(snapshotFile), { recursive: true });
      const temp = `${snapshotFile}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(data));
      await rename(temp, snapshotFile);
    });
    return writing;
  };
  const timer = setInterval(
    () => void snapshot().catch(() => (dirty = true)),
    options.snapshotIntervalMs ?? 5_000,
  );
  timer.unref();

  return {
    connection,
    client,
    snapshot,
    async close() {
      clearInterval(timer);
      await snapshot();
      client.dispose();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
