import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSettings, type ProductionSettings } from '../../core/config/settings';
import { ensureContainers } from '../../core/store/containers';
import type { LocalStack } from '../../local/stack';
import { createApp } from '../../server/app';
import { cosmosCheck, graphCheck } from '../../server/dependency-checks';
import type { IdentityResolver } from '../../server/identity';
import type { AppServices } from '../../server/services';
import { teamsSsoIdentity, teamsSsoOptions } from '../../server/teams-sso';
import { tempDir } from './temp-dir';
import type { TokenClaims } from './token-issuer';

export const HOME_TENANT = '0b1e5c3a-8f2d-4c6e-9a71-3d5f2b8c4e10';
export const OTHER_TENANT = '7c9d2e4f-1a3b-4d5e-8f60-2b4c6d8e0a21';
export const CLIENT_ID = '5f4e3d2c-1b0a-4987-8654-3210fedcba98';
export const TAB_ENDPOINT = 'https://engagement.contoso.test';

/** The claims of a Teams SSO token for this app from `tenantId`, as Entra ID issues them (v2.0). */
export function ssoClaims(tenantId: string, overrides: TokenClaims = {}): TokenClaims {
  return {
    iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
    aud: CLIENT_ID,
    tid: tenantId,
    oid: `user-of-${tenantId.slice(0, 8)}`,
    scp: 'access_as_user',
    preferred_username: 'ana@fabrikam.com',
    name: 'Ana Diaz',
    ver: '2.0',
    ...overrides,
  };
}

export interface ProductionServer {
  url: string;
  settings: ProductionSettings;
  identity: IdentityResolver;
  close(): Promise<void>;
}

/** Production settings for tests: the embedded store's endpoint, test app ids and the given overrides. */
export function testProductionSettings(
  stack: LocalStack,
  overrides: Record<string, string> = {},
): ProductionSettings {
  const dir = tempDir('production-env');
  try {
    const settings = loadSettings({
      env: {
        APP_MODE: 'production',
        PORT: '0',
        COSMOS_ENDPOINT: stack.cosmos.connection.endpoint,
        TEAMS_APP_TENANT_ID: HOME_TENANT,
        AAD_APP_CLIENT_ID: CLIENT_ID,
        SECRET_AAD_APP_CLIENT_SECRET: 'test-client-secret',
        BOT_ID: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
        SECRET_BOT_PASSWORD: 'test-bot-password',
        TAB_ENDPOINT,
        ...overrides,
      },
      envDir: dir.path,
    });
    if (settings.APP_MODE !== 'production') throw new Error('expected production settings');
    return settings;
  } finally {
    dir.cleanup();
  }
}

/**
 * The real app in production mode (Teams SSO identity, Bot Framework authentication) on loopback,
 * sharing the local stack's Cosmos DB, Graph simulator and run service.
 */
export async function startProductionServer(
  stack: LocalStack,
  overrides: Record<string, string> = {},
): Promise<ProductionServer> {
  const settings = testProductionSettings(stack, overrides);
  const containers = await ensureContainers(stack.cosmos.client, settings.COSMOS_DATABASE);
  const services: AppServices = {
    settings,
    containers,
    graph: stack.graphClient,
    now: () => Date.now(),
    runs: stack.runs,
  };
  const identity = teamsSsoIdentity(teamsSsoOptions(settings));
  const checks = {
    cosmos: cosmosCheck(stack.cosmos.client, settings.COSMOS_DATABASE),
    graph: graphCheck(stack.graphClient),
  };
  const app = createApp({ settings, checks, services, identity });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    settings,
    identity,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
