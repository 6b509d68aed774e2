import type { TokenCredential } from '@azure/identity';
import { ClientSecretCredential } from '@azure/identity';
import { Client, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { Agent } from 'undici';
import { systemClock, type Clock } from './clock.ts';
import { RequestLimiter } from './limiter.ts';
import {
  AuthMiddleware,
  LimitMiddleware,
  RetryMiddleware,
  UndiciFetchMiddleware,
  type RetryEvent,
} from './middleware.ts';
import { retryPolicy, type RetryPolicy } from './retry.ts';

/**
 * The Graph client factory. Production and the local simulator differ only in settings: the base
 * URL, how the app-only token is obtained, and the extra CA certificate the simulator needs.
 */

export const GRAPH_PRODUCTION_URL = 'https://graph.microsoft.com/v1.0';

export type GraphAuth =
  /** The client-credentials flow against Entra ID (production). */
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  /** Any Azure credential (managed identity, certificate, …). */
  | { kind: 'token-credential'; credential: TokenCredential }
  /** A fixed token, for the local Graph simulator. */
  | { kind: 'static-token'; token: string };

export interface GraphClientSettings {
  /** Graph root including the version, e.g. https://graph.microsoft.com/v1.0. Must be https. */
  baseUrl: string;
  auth: GraphAuth;
  /**
   * PEM of a CA to trust for this client only (the simulator's self-signed certificate). When set,
   * it replaces the default roots for this client's connections; nothing process-wide changes.
   */
  caPem?: string;
  /** Requests in flight at once over the whole client (default 16). */
  maxConcurrency?: number;
  /** Requests in flight at once for one mailbox (default 4, Exchange Online's own limit). */
  maxConcurrencyPerMailbox?: number;
  retry?: Partial<RetryPolicy>;
  /** Milliseconds to wait for response headers, and between body chunks (default 120 s). */
  requestTimeoutMs?: number;
  clock?: Clock;
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

/** A configured Graph client plus what the ingestion code needs around it. */
export interface GraphConnection {
  client: Client;
  /** Graph root including the version, without a trailing slash. */
  baseUrl: string;
  retryPolicy: RetryPolicy;
  clock: Clock;
  random: () => number;
  limiter: RequestLimiter;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

export function productionGraphSettings(credentials: {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}): GraphClientSettings {
  return { baseUrl: GRAPH_PRODUCTION_URL, auth: { kind: 'client-secret', ...credentials } };
}

/** Settings for the local Graph simulator: its https URL (with /v1.0) and its CA certificate. */
export function simulatorGraphSettings(simulator: {
  url: string;
  caPem: string;
  token?: string;
}): GraphClientSettings {
  return {
    baseUrl: simulator.url,
    auth: { kind: 'static-token', token: simulator.token ?? 'local-simulator-token' },
    caPem: simulator.caPem,
  };
}

function authProvider(auth: GraphAuth, scope: string): AuthenticationProvider {
  switch (auth.kind) {
    case 'static-token':
      return { getAccessToken: () => Promise.resolve(auth.token) };
    case 'client-secret':
      return new TokenCredentialAuthenticationProvider(
        new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret),
        { scopes: [scope] },
      );
    case 'token-credential':
      return new TokenCredentialAuthenticationProvider(auth.credential, { scopes: [scope] });
  }
}

function splitBaseUrl(baseUrl: string): { root: string; origin: string; version: string } {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:') {
    throw new Error(`The Graph base URL must use https (the Graph client only calls https URLs): ${baseUrl}`);
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const version = segments.pop();
  if (!version) throw new Error(`The Graph base URL must end with the API version, e.g. /v1.0: ${baseUrl}`);
  const prefix = segments.length ? `/${segments.join('/')}` : '';
  return { root: `${url.origin}${prefix}`, origin: url.origin, version };
}

export function createGraphClient(settings: GraphClientSettings): GraphConnection {
  const { root, origin, version } = splitBaseUrl(settings.baseUrl);
  const maxConcurrency = settings.maxConcurrency ?? 16;
  const limiter = new RequestLimiter({
    global: maxConcurrency,
    perKey: settings.maxConcurrencyPerMailbox ?? 4,
  });
  const policy = retryPolicy(settings.retry);
  const clock = settings.clock ?? systemClock;
  const random = settings.random ?? Math.random;
  const timeout = settings.requestTimeoutMs ?? 120_000;
  const agent = new Agent({
    connections: maxConcurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    ...(settings.caPem ? { connect: { ca: settings.caPem } } : {}),
  });
  const client = Client.initWithMiddleware({
    baseUrl: root,
    defaultVersion: version,
    middleware: [
      new LimitMiddleware(limiter),
      new RetryMiddleware(policy, clock, random, limiter, settings.onRetry),
      new AuthMiddleware(authProvider(settings.auth, `${origin}/.default`), origin),
      new UndiciFetchMiddleware(agent),
    ],
  });
  return {
    client,
    baseUrl: `${root}/${version}`,
    retryPolicy: policy,
    clock,
    random,
    limiter,
    close: () => agent.close(),
  };
}
