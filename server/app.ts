import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createBotRuntime, type BotRuntime } from '../bot/bot-runtime';
import { CONSENT_CALLBACK_PATH } from '../core/config/consent';
import type { Settings } from '../core/config/settings';
import { consentCallback } from '../tab/api/consent-callback';
import { ApiError } from '../tab/api/errors';
import { healthRoute, type DependencyCheck } from '../tab/api/health';
import { bodyParserErrors, DEFAULT_BODY_LIMIT_BYTES, jsonBody } from '../tab/api/json-body';
import { mountRoutes, openApiDocument } from '../tab/api/route';
import { apiRoutes } from '../tab/api/routes';
import { lastResortErrorHandler } from './error-handler';
import { adminSightings } from './admin-sightings';
import { identityMiddleware, type IdentityResolver } from './identity';
import { listenOrExplain } from './listen';
import { LOCAL_PATH } from './local-routes';
import { apiRateLimit } from './rate-limit';
import { securityHeaders } from './security-headers';
import type { AppServices } from './services';
import { errorDetail } from '../core/text/error-text';

export interface ServerDependencies {
  settings: Settings;
  /** Named readiness checks reported by `/api/health` (Cosmos DB, Microsoft Graph, ...). */
  checks: Record<string, DependencyCheck>;
  services: AppServices;
  /** Who is calling the API: Teams SSO in production, the development identity in local mode. */
  identity: IdentityResolver;
  /** Folder of the built tab; defaults to `tab/dist`. */
  tabDir?: string;
  /** The bot at /api/messages with proactive delivery (created here, without its retry timer, when absent). */
  bot?: BotRuntime;
  /** Local mode only: the local stack's pages (mailbox, stand-in consent page), mounted at LOCAL_PATH. */
  local?: express.Router;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const rootDir = path.dirname(fileURLToPath(import.meta.url));

export function createApp(deps: ServerDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(deps.settings));

  const bot =
    deps.bot ??
    createBotRuntime({
      settings: deps.settings,
      containers: deps.services.containers,
      now: deps.services.now,
    });
  // No rate limit here: the Bot Framework throttles the bot's traffic. API routes parse their own bodies.
  // The body is read like the API's: 415 for an unsupported encoding, 400 for one that does not decode,
  // for a lone surrogate or for deep nesting (bot/botbuilder/adapter.ts then checks the activity itself).
  app.post('/api/messages', jsonBody(DEFAULT_BODY_LIMIT_BYTES), async (req, res) => {
    try {
      await bot.process(req, res);
    } catch (error) {
      // The adapter answers authentication and turn failures itself; what escapes is a malformed activity.
      console.error(`[bot] ${errorDetail(error)}`);
      if (res.headersSent) return;
      res
        .status(400)
        .json(new ApiError(400, 'BadRequest', 'Not a Bot Framework activity the bot can process.').toJSON());
    }
  });

  app.get('/api/health', healthRoute(deps.checks, deps.settings.APP_MODE));
  // Liveness for the platform's health probe: a dependency outage must not recycle healthy instances.
  app.get('/api/health/live', (_req, res) => {
    res.json({ status: 'alive' });
  });
  // The identity platform redirects the tenant admin's browser here: no bearer token, so outside the API router.
  app.get(CONSENT_CALLBACK_PATH, consentCallback(deps.services));
  const routes = apiRoutes();
  const openApi = openApiDocument(routes, { title: 'Account engagement API', version: '1' });
  app.get('/api/openapi.json', (_req, res) => res.json(openApi));
  const api = express.Router();
  api.use(identityMiddleware(deps.identity));
  api.use(adminSightings(deps.services));
  api.use(apiRateLimit(deps.settings));
  mountRoutes(api, routes, deps.services);
  app.use('/api', api);
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'NotFound', message: 'No such API route.' } });
  });

  // Never in production: every path below LOCAL_PATH answers 404 there.
  if (deps.local && deps.settings.APP_MODE === 'local') app.use(LOCAL_PATH, deps.local);

  const tabDir = deps.tabDir ?? path.join(rootDir, '..', 'tab', 'dist');
  if (existsSync(tabDir)) {
    app.use('/tab', express.static(tabDir, { index: 'index.html' }));
    app.get('/tab/*rest', (_req, res) => res.sendFile(path.join(tabDir, 'index.html')));
  } else {
    app.get('/tab', (_req, res) => {
      res.status(503).type('text/plain').send('The tab is not built yet: run `npm run build:tab`.');
    });
  }
  app.get('/', (_req, res) => res.redirect('/tab/'));
  app.use(bodyParserErrors());
  // Replaces Express's default handler, which shows stacks and file paths unless NODE_ENV=production.
  app.use(lastResortErrorHandler());
  return app;
}

export async function startServer(deps: ServerDependencies): Promise<RunningServer> {
  const app = createApp(deps);
  const server: Server = createServer(app);
  const host = deps.settings.APP_MODE === 'local' ? '127.0.0.1' : '0.0.0.0';
  await listenOrExplain(server, deps.settings.PORT, 'the app server (PORT)', host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : deps.settings.PORT;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
