import { fork, type ChildProcess } from 'node:child_process';
import { createCosmosClient } from '../core/store/cosmos-client';
import { PortInUseError } from '../server/listen';
import type { EmbeddedCosmos, EmbeddedCosmosOptions, EmbeddedCosmosRecovery } from './embedded-cosmos';
import type { CosmosConnection } from '../core/store/cosmos-client';

/** What the parent asks of the Cosmos process. */
export type CosmosProcessRequest =
  | { type: 'start'; options: Omit<EmbeddedCosmosOptions, 'log'> }
  | { type: 'snapshot'; id: number }
  | { type: 'close' };

/** What the Cosmos process tells its parent. */
export type CosmosProcessMessage =
  | { type: 'ready'; connection: CosmosConnection; recovery: EmbeddedCosmosRecovery }
  | { type: 'failed'; message: string; portInUse?: { port: number; what: string } }
  | { type: 'log'; line: string }
  | { type: 'snapshot-done'; id: number; error?: string };

const isMessage = (value: unknown): value is CosmosProcessMessage =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * The embedded Cosmos DB in a process of its own, as Azure Cosmos DB is a service of its own: its
 * request parsing, journal writes and snapshots never hold up the server's event loop (a 25 MB
 * dataset import used to stall every other request for seconds). The product reaches it over
 * HTTPS through `@azure/cosmos` exactly as before. The process leaves when its parent does, even
 * after a SIGKILL (the IPC channel closes), and its journal makes every acknowledged write durable.
 */
export async function startCosmosProcess(options: EmbeddedCosmosOptions): Promise<EmbeddedCosmos> {
  const log = options.log ?? ((line: string) => console.warn(line));
  const child = fork(new URL('./cosmos-process-main.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const gone = exited(child);
  const snapshots = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextSnapshot = 0;
  child.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === 'log') log(message.line);
    if (message.type === 'snapshot-done') {
      const waiting = snapshots.get(message.id);
      snapshots.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error));
      else waiting?.resolve();
    }
  });
  void gone.then(() => {
    for (const waiting of snapshots.values()) waiting.reject(new Error('the embedded Cosmos DB stopped'));
    snapshots.clear();
  });

  const send = (request: CosmosProcessRequest) => child.send(request);
  send({
    type: 'start',
    options: {
      port: options.port,
      certificate: options.certificate,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.snapshotIntervalMs ? { snapshotIntervalMs: options.snapshotIntervalMs } : {}),
    },
  });
  const ready = await new Promise<Extract<CosmosProcessMessage, { type: 'ready' }>>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === 'ready') resolve(message);
      if (message.type === 'failed') {
        const taken = message.portInUse;
        reject(taken ? new PortInUseError(taken.port, taken.what) : new Error(message.message));
      }
    };
    child.on('message', onMessage);
    void gone.then(() => reject(new Error('the embedded Cosmos DB process exited while starting')));
  });

  const client = createCosmosClient(ready.connection);
  return {
    connection: ready.connection,
    client,
    recovery: ready.recovery,
    snapshot: () =>
      new Promise<void>((resolve, reject) => {
        const id = nextSnapshot++;
        snapshots.set(id, { resolve, reject });
        send({ type: 'snapshot', id });
      }),
    async close() {
      client.dispose();
      if (child.connected) send({ type: 'close' });
      await gone;
    },
  };
}
