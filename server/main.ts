import { createBotRuntime } from '../bot/bot-runtime';
import { loadSettings, SettingsError } from '../core/config/settings';
import { createGraphClient, productionGraphSettings } from '../core/graph/client';
import { RunService } from '../core/runs/run-service';
import { registerStaleAlerts } from '../core/segments/stale-alerts';
import { createCosmosClient } from '../core/store/cosmos-client';
import { ensureContainers } from '../core/store/containers';
import { startServer } from './app';
import { cosmosCheck, graphCheck } from './dependency-checks';
import { PortInUseError } from './listen';
import { teamsSsoIdentity, teamsSsoOptions } from './teams-sso';

/** The production entry point (`npm run serve`); local mode starts through `npm start` instead. */
async function main(): Promise<void> {
  const settings = loadSettings();
  if (settings.APP_MODE !== 'production') {
    throw new SettingsError([
      'APP_MODE is "local": run `npm start`, which starts the local stack around the server',
    ]);
  }
  const cosmos = createCosmosClient({
    endpoint: settings.COSMOS_ENDPOINT,
    ...(settings.SECRET_COSMOS_KEY ? { key: settings.SECRET_COSMOS_KEY } : {}),
  });
  const containers = await ensureContainers(cosmos, settings.COSMOS_DATABASE);
  const graph = createGraphClient({
    ...productionGraphSettings({
      tenantId: settings.TEAMS_APP_TENANT_ID,
      clientId: settings.AAD_APP_CLIENT_ID,
      clientSecret: settings.SECRET_AAD_APP_CLIENT_SECRET,
    }),
    baseUrl: settings.GRAPH_BASE_URL,
  });
  const now = () => Date.now();
  const runs = new RunService({ containers, graph, now });
  registerStaleAlerts(runs, { containers, now });
  const bot = createBotRuntime({ settings, containers, now });
  bot.register(runs);
  await runs.start();
  const server = await startServer({
    settings,
    checks: { cosmos: cosmosCheck(cosmos, settings.COSMOS_DATABASE), graph: graphCheck(graph) },
    services: { settings, containers, graph, now, runs },
    identity: teamsSsoIdentity(teamsSsoOptions(settings)),
    bot,
  });
  bot.start();
  console.log(`Account engagement listening on port ${server.port}`);
  const stop = () => {
    // No more requests, then the runs: left `interrupted`, leases released, for the next start to resume.
    void server
      .close()
      .then(() => runs.stop())
      .then(() => bot.stop())
      .then(() => graph.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof SettingsError || error instanceof PortInUseError
      ? `Cannot start: ${error.message}`
      : error,
  );
  process.exit(1);
});
