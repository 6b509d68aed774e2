/**
 * The Microsoft Graph simulator: an HTTPS server (node:https) that serves a tenant under /v1.0 with
 * Graph's URLs, JSON shapes, paging and errors, so the product's Graph client works against it
 * exactly as against https://graph.microsoft.com/v1.0: only the base URL differs.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { runBatch } from './batch';
import { DeltaTokens } from './delta-tokens';
import { FaultController, type FaultSettings } from './faults';
import {
  ensureTenantFixture,
  type GraphEvent,
  type GraphEventInput,
  type GraphMessage,
  type GraphMessageInput,
  type TenantFixtureInput,
} from './fixture-schema';
import { errorResponse, GraphHttpError, type SimRequest, type SimResponse } from './graph-http';
import { LoginEndpoints, type ConsentRequest } from './login-endpoints';
import { matchRoute, pathSegments } from './router';
import type { SentMail } from './route-context';
import { fixtureTenantSource, userAddresses, type TenantSource } from './tenant-source';
import { TenantState } from './tenant-state';

export interface GraphSimulatorOptions {
  /** What to serve: a TenantSource (e.g. a generated tenant) or a fixture object (validated here). */
  tenant: TenantSource | TenantFixtureInput;
  /** PEM key and certificate of the HTTPS server (clients trust the certificate, nothing else). */
  tls: { key: string; cert: string };
  /** 0 (default) for an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Initial fault settings (see `simulator.faults`). The per-mailbox limits are on without them (4
   * concurrent requests, 10,000 requests per 10 minutes); `null` switches one off.
   */
  faults?: FaultSettings;
  /** Answer requests without `Authorization: Bearer …` with 401 (default true). */
  requireAuth?: boolean;
  /** Delta tokens older than this are answered with 410 (default: they never expire by age). */
  deltaTokenLifetimeMs?: number;
  /** How many recent requests `requestLog` keeps (default 10,000). */
  requestLogSize?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Path below /v1.0 with its query. */
  url: string;
  status: number;
  /** Route name such as "GET /users/{id}/calendarView", or "unknown". */
  route: string;
  inBatch: boolean;
  /** `concurrency` and `rate`: the per-mailbox limits (on by default); the others: injected faults. */
  fault: 'throttle' | 'unavailable' | 'slow' | 'drop' | 'denied' | 'concurrency' | 'rate' | null;
}

export interface SimulatorStats {
  /** HTTP requests received (a $batch counts once; its items count in `batchItems`). */
  requests: number;
  batchItems: number;
  /** Final statuses of HTTP requests and batch items. */
  byStatus: Record<number, number>;
  /** HTTP requests and batch items per route name. */
  byRoute: Record<string, number>;
  faults: {
    throttled: number;
    unavailable: number;
    slowed: number;
    dropped: number;
    denied: number;
    /** 429 ApplicationThrottled: over the per-mailbox concurrency limit. */
    concurrency: number;
    /** 429 TooManyRequests: over the per-mailbox request limit. */
    rate: number;
  };
}

export interface GraphSimulator {
  /** e.g. https://127.0.0.1:53211/v1.0 */
  readonly url: string;
  /** Base of the login endpoints (admin consent, token), e.g. https://127.0.0.1:53211 */
  readonly loginUrl: string;
  readonly port: number;
  readonly host: string;
  readonly tenant: TenantSource;
  readonly faults: FaultController;
  readonly stats: SimulatorStats;
  readonly requestLog: readonly RequestLogEntry[];
  /** Messages posted to /users/{id}/sendMail, oldest first. */
  readonly sentMail: SentMail[];
  /** Admin-consent prompts opened against the simulator. */
  readonly consentRequests: ConsentRequest[];
  /** What admin-consent prompts answer (default granted). */
  setConsentOutcome(outcome: 'granted' | 'denied'): void;
  resetStats(): void;
  /** Makes every delta and skip token issued so far answer 410 SyncStateNotFound. */
  expireDeltaTokens(): void;
  /** Test hooks: change a mailbox; delta queries report the change. `user` is an id or address. */
  addMessage(user: string, message: Omit<GraphMessageInput, 'id'> & { id?: string }): GraphMessage;
  updateMessage(user: string, id: string, patch: Partial<GraphMessageInput>): GraphMessage;
  deleteMessage(user: string, id: string): void;
  addEvent(user: string, event: Omit<GraphEventInput, 'id'> & { id?: string }): GraphEvent;
  updateEvent(user: string, id: string, patch: Partial<GraphEventInput>): GraphEvent;
  deleteEvent(user: string, id: string): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

function isTenantSource(value: TenantSource | TenantFixtureInput): value is TenantSource {
  return typeof (value as TenantSource).mailbox === 'function';
}

function emptyStats(): SimulatorStats {
  return {
    requests: 0,
    batchItems: 0,
    byStatus: {},
    byRoute: {},
    faults: { throttled: 0, unavailable: 0, slowed: 0, dropped: 0, denied: 0, concurrency: 0, rate: 0 },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new GraphHttpError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Outcome {
  response: SimResponse;
  drop: boolean;
}

class Simulator {
  readonly state: TenantState;
  readonly tokens: DeltaTokens;
  readonly faults = new FaultController();
  stats = emptyStats();
  readonly requestLog: RequestLogEntry[] = [];
  readonly sentMail: SentMail[] = [];
  readonly login: LoginEndpoints;
  private readonly inFlight = new Map<string, number>();

  constructor(
    source: TenantSource,
    private readonly options: GraphSimulatorOptions,
  ) {
    this.state = new TenantState(source);
    this.tokens = new DeltaTokens(options.deltaTokenLifetimeMs ?? null);
    this.login = new LoginEndpoints(() => source.tenant.id);
    if (options.faults) this.faults.set(options.faults);
  }

  private log(entry: RequestLogEntry): void {
    const limit = this.options.requestLogSize ?? 10_000;
    this.requestLog.push(entry);
    if (this.requestLog.length > limit) this.requestLog.splice(0, this.requestLog.length - limit);
    this.stats.byStatus[entry.status] = (this.stats.byStatus[entry.status] ?? 0) + 1;
    if (entry.inBatch) this.stats.batchItems++;
  }

  /** Serves one request (an HTTP request or a batch item). */
  async dispatch(request: SimRequest): Promise<Outcome> {
    const target = `${request.path}${request.query.size > 0 ? `?${request.query.toString()}` : ''}`;
    let routeName = 'unknown';
    let fault: RequestLogEntry['fault'] = null;
    let drop = false;
    let response: SimResponse;
    try {
      if (
        this.options.requireAuth !== false &&
        !/^Bearer\s+\S+/i.test(request.headers['authorization'] ?? '')
      ) {
        throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
      }
      const segments = pathSegments(request.path);
      if (segments.length === 1 && segments[0] === '$batch') {
        routeName = 'POST /$batch';
        if (request.method !== 'POST') {
          throw new GraphHttpError(
            405,
            'Request_BadRequest',
            'Specified HTTP method is not allowed for the request target.',
          );
        }
        if (request.inBatch)
          throw new GraphHttpError(400, 'BadRequest', 'A batch cannot contain a $batch request.');
      }
      const match = routeName === 'POST /$batch' ? null : matchRoute(request.method, segments);
      if (match) routeName = match.route.name;
      this.stats.byRoute[routeName] = (this.stats.byRoute[routeName] ?? 0) + 1;

      const owner = match?.route.mailbox === true ? this.state.resolveUser(match.params[0] ?? '') : undefined;
      if (match?.route.mailbox === true && owner === undefined) {
        throw new GraphHttpError(
          404,
          'ErrorInvalidUser',
          `The requested user '${match.params[0] ?? ''}' is invalid.`,
        );
      }
      const mailboxKeys = owner ? new Set([owner.id.toLowerCase(), ...userAddresses(owner)]) : null;
      const decision = this.faults.decide({
        method: request.method,
        path: target,
        mailbox: mailboxKeys,
        inBatch: request.inBatch,
      });

      // Outlook's per-mailbox limits (on by default; see faults.ts), judged for every request and
      // every batch item on its own.
      const now = Date.now();
      const rateRetryAfter = owner ? this.faults.requestLimitRetryAfter(owner.id, now) : null;
      if (rateRetryAfter !== null) {
        fault = 'rate';
        this.stats.faults.rate++;
        const requestLimit = this.faults.mailboxRequestLimit;
        throw new GraphHttpError(
          429,
          'TooManyRequests',
          `Too many requests: the application is over its limit of ${requestLimit?.requests ?? 0} requests per ` +
            `${(requestLimit?.windowMs ?? 0) / 1000} seconds for this mailbox. Retry after the time given in Retry-After.`,
          { 'Retry-After': String(rateRetryAfter) },
        );
      }
      const limit = this.faults.mailboxConcurrencyLimit;
      if (owner && limit !== null && (this.inFlight.get(owner.id) ?? 0) >= limit) {
        fault = 'concurrency';
        this.stats.faults.concurrency++;
        // When a slot frees cannot be known; 1 second is the least Retry-After.
        throw new GraphHttpError(
          429,
          'ApplicationThrottled',
          'Application is over its MailboxConcurrency limit.',
          { 'Retry-After': '1' },
        );
      }
      if (owner) {
        this.faults.recordRequest(owner.id, now);
        this.inFlight.set(owner.id, (this.inFlight.get(owner.id) ?? 0) + 1);
      }
      try {
        if (decision.delayMs > 0) {
          fault = 'slow';
          this.stats.faults.slowed++;
          await sleep(decision.delayMs);
        }
        const outcome = decision.outcome;
        if (outcome.kind === 'throttle') {
          fault = 'throttle';
          this.stats.faults.throttled++;
          throw new GraphHttpError(
            429,
            'TooManyRequests',
            'Too many requests. Retry after the time given in Retry-After.',
            {
              'Retry-After': String(outcome.retryAfterSeconds),
            },
          );
        }
        if (outcome.kind === 'unavailable') {
          fault = 'unavailable';
          this.stats.faults.unavailable++;
          throw new GraphHttpError(
            503,
            'ServiceUnavailable',
            'The service is temporarily unavailable. Try again later.',
            outcome.retryAfterSeconds === null ? {} : { 'Retry-After': String(outcome.retryAfterSeconds) },
          );
        }
        if (outcome.kind === 'drop') {
          fault = 'drop';
          this.stats.faults.dropped++;
          drop = true;
        }
        if (mailboxKeys && this.faults.isDenied(mailboxKeys)) {
          fault = 'denied';
          this.stats.faults.denied++;
          throw new GraphHttpError(
            403,
            'ErrorAccessDenied',
            'Access is denied. Check credentials and try again.',
          );
        }
        if (match) {
          response = await match.route.handler({
            request,
            state: this.state,
            tokens: this.tokens,
            sentMail: this.sentMail,
            params: match.params,
            user: owner ?? null,
          });
        } else {
          response = await runBatch(request, async (item) => (await this.dispatch(item)).response);
        }
      } finally {
        if (owner) {
          const left = (this.inFlight.get(owner.id) ?? 1) - 1;
          if (left > 0) this.inFlight.set(owner.id, left);
          else this.inFlight.delete(owner.id);
        }
      }
    } catch (error) {
      const graphError =
        error instanceof GraphHttpError
          ? error
          : new GraphHttpError(
              500,
              'InternalServerError',
              `The simulator failed: ${(error as Error).message}`,
            );
      response = errorResponse(graphError, request);
    }
    response.headers['request-id'] = request.requestId;
    response.headers['client-request-id'] = request.headers['client-request-id'] ?? request.requestId;
    this.log({
      method: request.method,
      url: target,
      status: response.status,
      route: routeName,
      inBatch: request.inBatch,
      fault,
    });
    return { response, drop };
  }

  async onRequest(req: IncomingMessage, res: ServerResponse, baseHost: string): Promise<void> {
    this.stats.requests++;
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', `https://${baseHost}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
      else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
    }
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      const e =
        error instanceof GraphHttpError
          ? error
          : new GraphHttpError(400, 'BadRequest', 'Unreadable request body.');
      this.write(res, errorResponse(e, { requestId, headers }), false);
      return;
    }

    const login = this.login.handle(method, url, raw);
    if (login) {
      this.write(res, login, false);
      return;
    }
    const versioned = /^\/v1\.0(\/.*)?$/i.exec(url.pathname);
    if (!versioned) {
      const error = new GraphHttpError(
        404,
        'ResourceNotFound',
        `Only /v1.0 is served here, not '${url.pathname}'.`,
      );
      this.write(res, errorResponse(error, { requestId, headers }), false);
      return;
    }
    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        const error = new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload.');
        this.write(res, errorResponse(error, { requestId, headers }), false);
        return;
      }
    }
    const request: SimRequest = {
      method,
      path: versioned[1] ?? '/',
      query: url.searchParams,
      headers,
      body,
      baseUrl: `https://${baseHost}/v1.0`,
      requestId,
      inBatch: false,
    };
    const { response, drop } = await this.dispatch(request);
    this.write(res, response, drop);
  }

  private write(
    res: ServerResponse,
    response: SimResponse | { status: number; headers: Record<string, string>; body?: unknown },
    drop: boolean,
  ): void {
    const payload =
      response.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(response.body));
    const headers: Record<string, string> = { 'Cache-Control': 'no-cache', ...response.headers };
    headers['Content-Length'] = String(payload.length);
    if (drop) {
      res.writeHead(response.status, headers);
      res.write(payload.subarray(0, Math.floor(payload.length / 2)));
      setImmediate(() => res.socket?.destroy());
      return;
    }
    res.writeHead(response.status, headers);
    res.end(payload);
  }
}

/** Starts the simulator. Rejects with an Error naming the port when it is taken. */
export async function startGraphSimulator(options: GraphSimulatorOptions): Promise<GraphSimulator> {
  const source = isTenantSource(options.tenant)
    ? options.tenant
    : fixtureTenantSource(ensureTenantFixture(options.tenant));
  const simulator = new Simulator(source, options);
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  let port = requestedPort;

  const server: Server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const baseHost = req.headers.host ?? `${host}:${port}`;
    simulator.onRequest(req, res, baseHost).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Graph simulator: port ${requestedPort} on ${host} is already in use`)
          : new Error(`Graph simulator: cannot listen on ${host}:${requestedPort}: ${error.message}`),
      );
    };
    server.once('error', onError);
    server.listen(requestedPort, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    url: `${origin}/v1.0`,
    loginUrl: origin,
    port,
    host,
    tenant: source,
    faults: simulator.faults,
    get stats() {
      return simulator.stats;
    },
    requestLog: simulator.requestLog,
    sentMail: simulator.sentMail,
    consentRequests: simulator.login.consentRequests,
    setConsentOutcome: (outcome) => {
      simulator.login.consentOutcome = outcome;
    },
    resetStats: () => {
      simulator.stats = emptyStats();
      simulator.requestLog.length = 0;
    },
    expireDeltaTokens: () => simulator.tokens.expire(),
    addMessage: (user, message) => simulator.state.addMessage(user, message),
    updateMessage: (user, id, patch) => simulator.state.updateMessage(user, id, patch),
    deleteMessage: (user, id) => simulator.state.deleteMessage(user, id),
    addEvent: (user, event) => simulator.state.addEvent(user, event),
    updateEvent: (user, id, patch) => simulator.state.updateEvent(user, id, patch),
    deleteEvent: (user, id) => simulator.state.deleteEvent(user, id),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
