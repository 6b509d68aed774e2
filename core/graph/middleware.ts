import type {
  AuthenticationProvider,
  Context,
  Middleware,
  MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { Clock } from './clock.ts';
import { GraphCredentialsError, GraphNetworkError } from './errors.ts';
import type { RequestLimiter } from './limiter.ts';
import { isRetryableStatus, parseRetryAfter, RetryBudget, type RetryPolicy } from './retry.ts';
import { errorMessage } from '../text/error-text.ts';

/**
 * The Graph client's middleware chain, in order:
 *   LimitMiddleware → RetryMiddleware → AuthMiddleware → UndiciFetchMiddleware
 * A request takes its concurrency slots once and keeps them through its retries (so a throttled
 * mailbox is not hit harder while it waits); every attempt gets a current token; the last link
 * performs the HTTP exchange with undici and reads the whole body, so a connection dropped mid-body
 * is a failed attempt the retry link sees, not an error surfacing later.
 */

/** Per-request option naming the mailbox a request belongs to, for the per-mailbox limit. */
export class MailboxScope implements MiddlewareOptions {
  constructor(readonly mailboxId: string) {}
}

abstract class Link implements Middleware {
  private next: Middleware | undefined;

  setNext(next: Middleware): void {
    this.next = next;
  }

  protected forward(context: Context): Promise<void> {
    if (!this.next) throw new Error(`${this.constructor.name} must not be the last middleware`);
    return this.next.execute(context);
  }

  abstract execute(context: Context): Promise<void>;
}

/** Read through a function: the chain below sets `context.response`, which flow analysis cannot see. */
function responseOf(context: Context): Response | undefined {
  return context.response;
}

function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

/** The limiter key of a request: its mailbox, lower-cased, or none. */
function limiterKey(context: Context): string | undefined {
  const scope = context.middlewareControl?.getMiddlewareOptions(MailboxScope) as MailboxScope | undefined;
  return scope?.mailboxId.toLowerCase();
}

export class LimitMiddleware extends Link {
  constructor(private readonly limiter: RequestLimiter) {
    super();
  }

  execute(context: Context): Promise<void> {
    return this.limiter.run(limiterKey(context), () => this.forward(context));
  }
}

export interface RetryEvent {
  url: string;
  /** The retry about to be made (1 = first retry). */
  retry: number;
  delayMs: number;
  status?: number;
  error?: Error;
}

export class RetryMiddleware extends Link {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly limiter: RequestLimiter,
    private readonly onRetry?: (event: RetryEvent) => void,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const budget = new RetryBudget(this.policy, this.random);
    const key = limiterKey(context);
    for (;;) {
      context.response = undefined;
      let failure: GraphNetworkError | undefined;
      try {
        await this.forward(context);
      } catch (error) {
        if (!(error instanceof GraphNetworkError)) throw error;
        failure = error;
      }
      const response = responseOf(context);
      const status = response?.status;
      if (status !== undefined && status !== 429) this.limiter.onAnswered(key);
      if (!failure && (status === undefined || !isRetryableStatus(status))) return;
      const retryAfter = parseRetryAfter(response?.headers.get('retry-after'), this.clock.now());
      const delayMs = budget.next(retryAfter);
      if (status === 429) this.limiter.onThrottled(key, delayMs ?? 0);
      if (delayMs === undefined) {
        if (failure) throw failure;
        return;
      }
      this.onRetry?.({
        url: requestUrl(context),
        retry: budget.attemptsMade - 1,
        delayMs,
        status,
        error: failure,
      });
      await this.clock.sleep(delayMs);
    }
  }
}

/**
 * Attaches `Authorization: Bearer …` for requests to the configured Graph origin only; a link that
 * points anywhere else is sent without the token.
 */
export class AuthMiddleware extends Link {
  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly origin: string,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const headers = new Headers(context.options?.headers);
    if (new URL(requestUrl(context)).origin === this.origin) {
      let token: string;
      try {
        token = await this.provider.getAccessToken();
      } catch (error) {
        const reason = errorMessage(error);
        throw new GraphCredentialsError(
          `No app-only token for Microsoft Graph could be obtained: ${reason}. Check the tenant id, client id and secret, and that admin consent was granted.`,
          { cause: error },
        );
      }
      headers.set('Authorization', `Bearer ${token}`);
    } else {
      headers.delete('Authorization');
    }
    context.options = { ...context.options, headers };
    await this.forward(context);
  }
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Performs the request with undici's own fetch through the client's dispatcher (pool, CA). */
export class UndiciFetchMiddleware implements Middleware {
  constructor(private readonly dispatcher: Dispatcher) {}

  async execute(context: Context): Promise<void> {
    const url = requestUrl(context);
    const options = context.options ?? {};
    const body = options.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new TypeError('Graph requests carry JSON text bodies only');
    }
    try {
      const response = await undiciFetch(url, {
        method: options.method ?? 'GET',
        headers: [...new Headers(options.headers).entries()],
        body: body ?? undefined,
        dispatcher: this.dispatcher,
      });
      const payload = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      context.response = new Response(payload, {
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers.entries()],
      });
    } catch (error) {
      throw new GraphNetworkError(
        `${options.method ?? 'GET'} ${new URL(url).pathname}: ${describeNetworkError(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
  }
  return error.message;
}
