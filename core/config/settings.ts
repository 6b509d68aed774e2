import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a port number, e.g. 3978' })
  .int('must be a whole port number, e.g. 3978')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const url = (example: string) => z.url({ error: `must be a URL, e.g. ${example}` });

const secret = (what: string) =>
  z.string({ error: `must be set to ${what} (keep it in env/.env.<environment>.user or Key Vault)` }).min(1);

const positiveInt = (example: number) =>
  z.coerce
    .number({ error: `must be a whole number, e.g. ${example}` })
    .int(`must be a whole number, e.g. ${example}`)
    .min(1, `must be at least 1, e.g. ${example}`);

/** A comma-separated list of tenant ids; empty entries are ignored. */
const tenantIdList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((id) => id.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.uuid({ error: 'must list Entra tenant ids (GUIDs) separated by commas' }))
      .min(1, 'must list at least one Entra tenant id'),
  );

const mailbox = (what: string) => z.email({ error: `must be an email address: ${what}` });

/** The Microsoft identity platform, where tenant admins grant consent. */
export const MICROSOFT_LOGIN_URL = 'https://login.microsoftonline.com';

/** The application id consent links carry in local mode; no real Entra application has it. */
export const LOCAL_APP_CLIENT_ID = '00000000-0000-4000-8000-00000000ae01';

const common = {
  PORT: port.default(3978),
  COSMOS_DATABASE: z.string().min(1).default('engagement'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Requests one signed-in user may make to the tab's API per window. */
  API_RATE_LIMIT: positiveInt(600).default(600),
  API_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60).default(60),
  /** The mailbox that sends tenant-admin consent requests (local default: a demo tenant colleague). */
  CONSENT_SENDER: mailbox('the mailbox consent requests are sent from').optional(),
  /** Who receives tenant-admin consent requests (local default: the development identity). */
  TENANT_ADMIN_EMAIL: mailbox("the tenant administrator's address").optional(),
  /**
   * How long a run that could not read every mailbox keeps its reading in this instance's memory,
   * so that only those mailboxes can be read again into it; 0 keeps none.
   */
  REREAD_KEEP_MINUTES: z.coerce
    .number({ error: 'must be a whole number of minutes, e.g. 120 (0 keeps none)' })
    .int('must be a whole number of minutes, e.g. 120 (0 keeps none)')
    .min(0, 'must be between 0 and 1440 minutes')
    .max(1440, 'must be between 0 and 1440 minutes')
    .default(120),
  /** The memory kept readings may take on one instance, the oldest dropped first. */
  REREAD_MEMORY_MB: positiveInt(1024).default(1024),
};

const localSettings = z.object({
  APP_MODE: z.literal('local'),
  ...common,
  /** Where the embedded Cosmos DB snapshots its data between starts. */
  LOCAL_DATA_DIR: z.string().min(1).default('.data'),
  COSMOS_PORT: port.default(8081),
  GRAPH_SIMULATOR_PORT: port.default(8443),
  PLAYGROUND_PORT: port.default(56150),
  DEMO_SEED: z.coerce.number().int().default(42),
  /** What `npm start` does on a fresh store: create the demo enrichment and run it, or start empty. */
  LOCAL_DEMO: z
    .enum(['enrichment', 'empty'], { error: 'must be "enrichment" (the ready demo) or "empty"' })
    .default('enrichment'),
  /** The development identity: who the tab acts as when no Teams token is present. */
  LOCAL_USER_EMAIL: z.email().default('admin@fabrikam.com'),
  LOCAL_USER_NAME: z.string().min(1).default('Local Admin'),
  LOCAL_USER_ROLE: z.enum(['admin', 'seller']).default('admin'),
  /** The identity platform serving admin consent (local default: the app server's stand-in page, /local/login). */
  LOGIN_BASE_URL: url(MICROSOFT_LOGIN_URL).optional(),
  AAD_APP_CLIENT_ID: z
    .uuid({ error: 'must be an application (client) id (a GUID)' })
    .default(LOCAL_APP_CLIENT_ID),
});

const productionSettings = z.object({
  APP_MODE: z.literal('production'),
  ...common,
  COSMOS_ENDPOINT: url('https://contoso-engagement.documents.azure.com:443/'),
  /** Absent: the managed identity is used. */
  SECRET_COSMOS_KEY: secret('the Cosmos DB account key').optional(),
  GRAPH_BASE_URL: url('https://graph.microsoft.com/v1.0').default('https://graph.microsoft.com/v1.0'),
  LOGIN_BASE_URL: url(MICROSOFT_LOGIN_URL).default(MICROSOFT_LOGIN_URL),
  TEAMS_APP_TENANT_ID: z.uuid({ error: 'must be the Entra tenant id (a GUID)' }),
  AAD_APP_CLIENT_ID: z.uuid({ error: 'must be the Entra application (client) id (a GUID)' }),
  SECRET_AAD_APP_CLIENT_SECRET: secret("the Entra application's client secret"),
  BOT_ID: z.uuid({ error: 'must be the bot registration app id (a GUID)' }),
  SECRET_BOT_PASSWORD: secret("the bot registration's client secret"),
  TAB_ENDPOINT: url('https://engagement.contoso.com'),
  /** The Teams app id (the manifest's id): the bot's cards link into the tab with it; absent, they link to TAB_ENDPOINT. */
  TEAMS_APP_ID: z.uuid({ error: 'must be the Teams app id (a GUID)' }).optional(),
  /** Tenants whose users may sign in to the tab; absent: only TEAMS_APP_TENANT_ID. */
  TEAMS_SSO_ALLOWED_TENANTS: tenantIdList.optional(),
  /** Signing keys of Teams SSO tokens; absent: the Entra keys of TEAMS_APP_TENANT_ID. */
  TEAMS_SSO_JWKS_URL: url('https://login.microsoftonline.com/<tenant id>/discovery/v2.0/keys').optional(),
});

export const settingsSchema = z.discriminatedUnion('APP_MODE', [localSettings, productionSettings], {
  error: 'APP_MODE must be "local" (the embedded stack and development identity) or "production"',
});

export type Settings = z.infer<typeof settingsSchema>;
export type LocalSettings = z.infer<typeof localSettings>;
export type ProductionSettings = z.infer<typeof productionSettings>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

export interface LoadSettingsOptions {
  /** Variables that win over the env files (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** The Teams Toolkit environment whose `env/.env.<name>` and `.env.<name>.user` files are read. */
  environment?: string;
  /** Folder holding the env files (defaults to `<cwd>/env`). */
  envDir?: string;
}

function readEnvFile(file: string): Record<string, string> {
  return existsSync(file) ? parseDotenv(readFileSync(file)) : {};
}

/** Reads `env/.env.<environment>` (then `.user`), overlays the process environment and validates it all. */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const environment = options.environment ?? env.TEAMSFX_ENV ?? 'local';
  const envDir = options.envDir ?? path.resolve('env');
  // An empty value means "not set", as in Teams Toolkit env files whose values provisioning fills.
  const merged: Record<string, string | undefined> = Object.fromEntries(
    Object.entries({
      ...readEnvFile(path.join(envDir, `.env.${environment}`)),
      ...readEnvFile(path.join(envDir, `.env.${environment}.user`)),
      ...env,
    }).filter(([, value]) => value !== ''),
  );
  const result = settingsSchema.safeParse(merged);
  if (!result.success) {
    throw new SettingsError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || 'APP_MODE';
        const value = merged[name];
        return value === undefined
          ? `${name} is missing: ${issue.message}`
          : `${name}=${JSON.stringify(value)} ${issue.message}`;
      }),
    );
  }
  return result.data;
}
