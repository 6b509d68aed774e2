import type { CosmosClient } from '@azure/cosmos';
import type { Router } from 'express';
import { createBotRuntime, type BotRuntime, type BotRuntimeOptions } from '../bot/bot-runtime';
import type { Settings } from '../core/config/settings';
import { createGraphClient, type GraphClientSettings, type GraphConnection } from '../core/graph/client';
import { RunService, type RunServiceOptions } from '../core/runs/run-service';
import { registerSignalAlerts } from '../core/segments/stale-alerts';
import { ensureContainers, type Containers } from '../core/store/containers';
import { startServer, type RunningServer } from './app';
import { cosmosCheck, graphCheck } from './dependency-checks';
import type { IdentityResolver } from './identity';

export interface ServicesOptions {
  settings: Settings;
  /** Connected to the account whose database is `settings.COSMOS_DATABASE`. */
  cosmos: CosmosClient;
  graph: GraphClientSettings;
  /** Who is calling the API: Teams SSO in production, the development identity in local mode. */
  identity: IdentityResolver;
  /** The services' clock, epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** Lease, progress and scheduler timings and the log of the run service. */
  runs?: Omit<RunServiceOptions, 'containers' | 'graph' | 'now'>;
  /** Alert sender tuning, retry interval and log of the bot. */
  bot?: Pick<BotRuntimeOptions, 'sender' | 'retryIntervalMs' | 'log'>;
  /** Local mode only: the local stack's pages, mounted at LOCAL_PATH. */
  local?: Router;
  /** Called once the containers exist and before any run starts. */
  prepare?: (containers: Containers) => Promise<void>;
}

export interface RunningServices {
  server: RunningServer;
  containers: Containers;
  graph: GraphConnection;
  runs: RunService;
  bot: BotRuntime;
  /** No more requests, then the runs (left `interrupted`, leases released, for the next start to resume). */
  close(): Promise<void>;
}

/**
 * The server and everything it serves, wired the same way in production (`server/main.ts`) and in
 * the local stack: the containers, the Graph client, the run service with stale-account alerts, the
 * bot, the health checks and the identity.
 */
export async function startServices(options: ServicesOptions): Promise<RunningServices> {
  const { settings, cosmos } = options;
  const now = options.now ?? (() => Date.now());
  const started: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const part of started.splice(0).reverse()) await part.close();
  };
  try {
    const containers = await ensureContainers(cosmos, settings.COSMOS_DATABASE);
    const graph = createGraphClient(options.graph);
    started.push(graph);
    await options.prepare?.(containers);

    const runs = new RunService({
      containers,
      graph,
      now,
      readingTtlMs: settings.REREAD_KEEP_MINUTES * 60_000,
      readingBytes: settings.REREAD_MEMORY_MB * 1024 * 1024,
      ...options.runs,
    });
    registerSignalAlerts(runs, { containers, now });
    // In local mode, links from cards open the tab on this server, whose port is known once it listens.
    let serverUrl = `http://localhost:${settings.PORT}`;
    const bot = createBotRuntime({
      settings,
      containers,
      now,
      ...(settings.APP_MODE === 'local' ? { tabUrl: () => `${serverUrl}/tab/` } : {}),
      ...options.bot,
    });
    started.push({ close: () => bot.stop() });
    bot.register(runs);
    await runs.start();
    started.push({ close: () => runs.stop() });

    const server = await startServer({
      settings,
      checks: { cosmos: cosmosCheck(cosmos, settings.COSMOS_DATABASE), graph: graphCheck(graph) },
      services: { settings, containers, graph, now, runs },
      identity: options.identity,
      bot,
      ...(options.local ? { local: options.local } : {}),
    });
    started.push(server);
    serverUrl = server.url;
    bot.start();
    return { server, containers, graph, runs, bot, close };
  } catch (error) {
    await close();
    throw error;
  }
}
