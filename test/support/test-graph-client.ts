/**
 * A Microsoft Graph JS client wired to a simulator, for tests: a dummy bearer token, optionally the
 * SDK's RetryHandler, and a last middleware that sends the request with undici's fetch through an
 * Agent that trusts the simulator's certificate (and nothing is changed process-wide).
 */
import {
  AuthenticationHandler,
  Client,
  RetryHandler,
  RetryHandlerOptions,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { Agent, fetch as undiciFetch } from 'undici';

/** The final middleware: undici fetch with the given dispatcher. */
export class UndiciFetchHandler implements Middleware {
  constructor(private readonly dispatcher: Agent) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = context.options ?? {};
    const response = await undiciFetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers as Record<string, string> | undefined,
      body: (options.body as string | undefined) ?? null,
      dispatcher: this.dispatcher,
    });
    context.response = response as unknown as Response;
  }
}

export interface TestGraphClient {
  client: Client;
  agent: Agent;
  close(): Promise<void>;
}

export interface TestGraphClientOptions {
  /** Add the SDK's RetryHandler (429/503/504 with Retry-After); default false. */
  retry?: boolean;
  maxRetries?: number;
  token?: string;
}

/** A client for `simulatorUrl` (e.g. https://127.0.0.1:PORT/v1.0) trusting the PEM `ca`. */
export function testGraphClient(
  simulatorUrl: string,
  ca: string,
  options: TestGraphClientOptions = {},
): TestGraphClient {
  const agent = new Agent({ connect: { ca } });
  const authProvider: AuthenticationProvider = { getAccessToken: async () => options.token ?? 'test-token' };
  const chain: Middleware[] = [new AuthenticationHandler(authProvider)];
  if (options.retry) {
    chain.push(new RetryHandler(new RetryHandlerOptions(0, options.maxRetries ?? 3)));
  }
  chain.push(new UndiciFetchHandler(agent));
  const base = new URL(simulatorUrl);
  const client = Client.initWithMiddleware({
    middleware: chain,
    baseUrl: `${base.protocol}//${base.host}`,
    defaultVersion: base.pathname.replace(/^\/|\/$/g, ''),
    customHosts: new Set([base.hostname]),
  });
  return { client, agent, close: () => agent.close() };
}
