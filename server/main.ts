import { loadSettings, SettingsError } from '../core/config/settings';
import { productionGraphSettings } from '../core/graph/client';
import { createCosmosClient } from '../core/store/cosmos-client';
import { PortInUseError } from './listen';
import { startServices } from './start-services';
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
  const services = await startServices({
    settings,
    cosmos,
    graph: {
      ...productionGraphSettings({
        tenantId: settings.TEAMS_APP_TENANT_ID,
        clientId: settings.AAD_APP_CLIENT_ID,
        clientSecret: settings.SECRET_AAD_APP_CLIENT_SECRET,
      }),
      baseUrl: settings.GRAPH_BASE_URL,
    },
    identity: teamsSsoIdentity(teamsSsoOptions(settings)),
  });
  console.log(`Account engagement listening on port ${services.server.port}`);
  const stop = () => {
    void services.close().then(() => process.exit(0));
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
