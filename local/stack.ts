import path from 'node:path';
import type { LocalSettings } from '../core/config/settings';
import { ensureDemoDataset } from '../core/datasets/dataset-library';
import { createGraphClient, simulatorGraphSettings, type GraphConnection } from '../core/graph/client';
import { RunService, type RunServiceOptions } from '../core/runs/run-service';
import { registerStaleAlerts } from '../core/segments/stale-alerts';
import { ensureContainers } from '../core/store/containers';
import { createBotRuntime, type BotRuntime, type BotRuntimeOptions } from '../bot/bot-runtime';
import { cosmosCheck, graphCheck } from '../server/dependency-checks';
import { developmentIdentity } from '../server/identity';
import { startServer, type RunningServer } from '../server/app';
import {
  demoTenant,
  startGraphSimulator,
  type GeneratedTenant,
  type GraphSimulator,
} from './graph-simulator';
import { localCertificate } from './certificate';
import { startDemoEnrichment, type DemoStart } from './demo-enrichment';
import { startEmbeddedCosmos, type EmbeddedCosmos } from './embedded-cosmos';
import { localConsentRoutes, withLocalConsent } from './local-consent';
import { startPlayground, type Playground } from './playground';
import { playgroundConfig, playgroundPeople } from './playground-config';

export interface LocalStack {
  server: RunningServer;
  cosmos: EmbeddedCosmos;
  graph: GraphSimulator;
  graphClient: GraphConnection;
  runs: RunService;
  /** The bot: its handler, account catalog and proactive alert delivery. */
  bot: BotRuntime;
  playground?: Playground;
  /** What the ready demo did, when the stack was started with `demo`. */
  demo?: DemoStart;
  /** Stops everything in reverse order; the Cosmos snapshot is written last. */
  close(): Promise<void>;
}

export interface LocalStackOptions {
  /** Start the Agents Playground too (npm start does; most tests do not). */
  playground?: boolean;
  /** Keep Cosmos data in memory only (tests), instead of snapshotting to LOCAL_DATA_DIR. */
  ephemeral?: boolean;
  log?: (line: string) => void;
  /** The services' clock (tests move it); epoch milliseconds. */
  now?: () => number;
  /** Lease, progress and scheduler timings of the run service. */
  runs?: Omit<RunServiceOptions, 'containers' | 'graph' | 'now'>;
  /** The tenant the Graph simulator serves (default: the demo tenant of DEMO_SEED). */
  tenant?: GeneratedTenant;
  /** Alert sender tuning and retry interval of the bot (tests and benchmarks). */
  bot?: Pick<BotRuntimeOptions, 'sender' | 'retryIntervalMs'>;
  /**
   * On a store with no configuration for the demo tenant, create the demo enrichment, grant its
   * consent and start its first run (npm start does unless LOCAL_DEMO=empty; tests do not).
   */
  demo?: boolean;
}

/** The whole product on loopback: embedded Cosmos DB, the Graph simulator with the demo tenant, the server. */
export async function startLocalStack(
  settings: LocalSettings,
  options: LocalStackOptions = {},
): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(settings.LOCAL_DATA_DIR);
  const certificate = await localCertificate(dataDir);
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const part of started.reverse()) await part.close();
  };
  try {
    const cosmos = await startEmbeddedCosmos({
      port: settings.COSMOS_PORT,
      certificate,
      ...(options.ephemeral ? {} : { dataDir }),
    });
    started.push(cosmos);
    const database = settings.COSMOS_DATABASE;
    const containers = await ensureContainers(cosmos.client, database);
    log(`Cosmos DB      ${cosmos.connection.endpoint} (database "${database}")`);

    const tenant = options.tenant ?? demoTenant({ seed: settings.DEMO_SEED });
    const graph = await startGraphSimulator({
      tenant,
      port: settings.GRAPH_SIMULATOR_PORT,
      tls: certificate,
    });
    started.push(graph);
    log(
      `Graph          ${graph.url} (demo tenant: ${tenant.sellers.length} sellers in ${tenant.groups.length} groups, ${tenant.customers.accounts.length} accounts)`,
    );

    const graphClient = createGraphClient(
      simulatorGraphSettings({ url: graph.url, caPem: certificate.cert }),
    );
    started.push(graphClient);

    const now = options.now ?? (() => Date.now());
    if (await ensureDemoDataset({ containers, tenantId: tenant.tenant.id, now }, tenant.customers)) {
      log(`Datasets       imported "Demo customers" (${tenant.customers.accounts.length} accounts)`);
    }
    const runs = new RunService({
      containers,
      graph: graphClient,
      now,
      log: (line) => log(`Runs           ${line}`),
      ...options.runs,
    });
    registerStaleAlerts(runs, { containers, now });
    // Links from cards open the tab on this server, whose port is known once it listens.
    let serverUrl = `http://localhost:${settings.PORT}`;
    const bot = createBotRuntime({
      settings,
      containers,
      now,
      tabUrl: () => `${serverUrl}/tab/`,
      log: (line) => log(`Bot            ${line}`),
      ...options.bot,
    });
    bot.register(runs);
    await runs.start();
    started.push({ close: () => runs.stop() });

    const serverSettings = withLocalConsent(settings, tenant);
    const server = await startServer({
      settings: serverSettings,
      checks: {
        cosmos: cosmosCheck(cosmos.client, database),
        graph: graphCheck(graphClient),
      },
      services: { settings: serverSettings, containers, graph: graphClient, now, runs },
      identity: developmentIdentity(settings, tenant.tenant.id),
      bot,
      local: localConsentRoutes(serverSettings, graph),
    });
    started.push(server);
    serverUrl = server.url;
    bot.start();
    started.push({ close: () => bot.stop() });

    let demo: DemoStart | undefined;
    if (options.demo && settings.LOCAL_DEMO !== 'empty') {
      // The demo is a convenience: when it cannot be set up, the product starts all the same.
      demo = await startDemoEnrichment({
        settings: serverSettings,
        tenant,
        simulator: graph,
        containers,
        graph: graphClient,
        runs,
        now,
        appUrl: server.url,
      }).catch((error: unknown): DemoStart => ({
        created: false,
        reason: `it could not be set up: ${error instanceof Error ? error.message : String(error)}`,
        failed: true,
      }));
      if (demo.created) {
        const { stopWatching } = demo;
        started.push({ close: () => Promise.resolve(stopWatching()) });
        log(
          `Demo           created "${demo.enrichment.name}" (${demo.enrichment.trackedSummary.resolvedUsers} sellers, consent granted); first run started`,
        );
      } else {
        log(`Demo           not created: ${demo.reason}`);
      }
    }

    let playground: Playground | undefined;
    if (options.playground) {
      playground = await startPlayground(`${server.url}/api/messages`, settings.PLAYGROUND_PORT, {
        config: playgroundConfig(playgroundPeople(tenant)),
        dir: path.join(dataDir, 'playground'),
      });
      started.push(playground);
    }
    return {
      server,
      cosmos,
      graph,
      graphClient,
      runs,
      bot,
      ...(playground ? { playground } : {}),
      ...(demo ? { demo } : {}),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
