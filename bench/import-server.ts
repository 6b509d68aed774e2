/**
 * The product for `npm run bench -- import`: the local stack (server, embedded Cosmos DB, Graph
 * simulator) on ephemeral ports with an in-memory store, in a process of its own so that the
 * benchmark's own work (building and sending the upload, timing the probes) does not share its loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings } from '../core/config/settings';
import { startLocalStack } from '../local/stack';

export interface ImportServerReady {
  type: 'ready';
  url: string;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
const settings = loadSettings({
  env: {
    APP_MODE: 'local',
    PORT: '0',
    COSMOS_PORT: '0',
    GRAPH_SIMULATOR_PORT: '0',
    PLAYGROUND_PORT: '0',
    LOCAL_DATA_DIR: dataDir,
  },
  envDir: dataDir,
});
if (settings.APP_MODE !== 'local') throw new Error('expected local settings');
const stack = await startLocalStack(settings, { ephemeral: true });
process.send?.({ type: 'ready', url: stack.server.url } satisfies ImportServerReady);
process.on('disconnect', () => {
  void stack.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
