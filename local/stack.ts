import path from 'node:path';
import type { LocalSettings } from '../core/config/settings';
import { ensureDemoDataset } from '../core/datasets/dataset-library';
import { simulatorGraphSettings, type GraphConnection } from '../core/graph/client';
import type { RunService } from '../core/runs/run-service';
import type { BotRuntime } from '../bot/bot-runtime';
import type { RunningServer } from '../server/app';
import { developmentIdentity } from '../server/identity';
import { startServices, type ServicesOptions } from '../server/start-services';
import {
  demoTenant,
  startGraphSimulator,
  type GeneratedTenant,
  type GraphSimulator,
} from './graph-simulator';
import { localCertificate } from './certificate';
import { startDemoEnrichment, type DemoStart } from './demo-enrichment';
import type { EmbeddedCosmos } from './embedded-cosmos';
import { startCosmosProcess } from './cosmos-process';
import { localConsentRoutes, withLocalConsent } from './local-consent';
import { startPlayground, type Playground } from './playground';
import { playgroundConfig, playgroundPeople } from './playground-config';
import { errorMessage } from '../core/text/error-text';

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
  runs?: ServicesOptions['runs'];
  /** The tenant the Graph simulator serves (default: the demo tenant of DEMO_SEED). */
  tenant?: GeneratedTenant;
  /** Alert sender tuning and retry interval of the bot (tests and benchmarks). */
  bot?: ServicesOptions['bot'];
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
    const cosmos = await startCosmosProcess({
      port: settings.COSMOS_PORT,
      certificate,
      ...(options.ephemeral ? {} : { dataDir }),
    });
    started.push(cosmos);
    log(`Cosmos DB      ${cosmos.connection.endpoint} (database "${settings.COSMOS_DATABASE}")`);

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

    const now = options.now ?? (() => Date.now());
    const serverSettings = withLocalConsent(settings, tenant);
    const services = await startServices({
      settings: serverSettings,
      cosmos: cosmos.client,
      graph: simulatorGraphSettings({ url: graph.url, caPem: certificate.cert }),
      identity: developmentIdentity(settings, tenant.tenant.id),
      now,
      runs: { log: (line) => log(`Runs           ${line}`), ...options.runs },
      bot: { log: (line) => log(`Bot            ${line}`), ...options.bot },
      local: localConsentRoutes(serverSettings, graph),
      prepare: async (containers) => {
        if (await ensureDemoDataset({ containers, tenantId: tenant.tenant.id, now }, tenant.customers)) {
          log(`Datasets       imported "Demo customers" (${tenant.customers.accounts.length} accounts)`);
        }
      },
    });
    started.push(services);
    const { server, containers, runs, bot } = services;
    const graphClient = services.graph;

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
        reason: `it could not be set up: ${errorMessage(error)}`,
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
