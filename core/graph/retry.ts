/**
 * When and how long to wait before retrying a Graph request.
 *
 * Retried: 429, 5xx (except 501 and 505, which no retry can fix) and transport failures (refused,
 * reset or dropped connections). Never retried: 400, 401, 403, 404 and every other status.
 * The wait is the server's `Retry-After` when it gives one (delta-seconds or an HTTP date), and
 * otherwise an exponential backoff with jitter, capped per wait. Retrying stops after
 * `maxAttempts` attempts or when the next wait would take the total waiting past `maxTotalWaitMs`;
 * the last answer (or failure) is then surfaced unchanged.
 */

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Backoff before the first retry when the server gives no Retry-After. */
  baseDelayMs: number;
  /** Cap of one backoff wait (a longer Retry-After is still honoured, within the total budget). */
  maxDelayMs: number;
  /** Cap of all waiting for one request. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalWaitMs: 180_000,
});

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`retry policy ${name} must be ≥ 0, got ${value}`);
  }
  if (policy.maxAttempts < 1) throw new RangeError('retry policy maxAttempts must be at least 1');
  return policy;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

const DELTA_SECONDS = /^\d+$/;
const MONTH = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i;
const HAS_ZONE = /\b(GMT|UTC)\b|[+-]\d{4}$/i;

/**
 * The wait a `Retry-After` header asks for, in milliseconds, or undefined when the header is absent
 * or unreadable. Accepts delta-seconds ("120") and HTTP dates (IMF-fixdate, RFC 850 and asctime,
 * all GMT); a date in the past means no wait.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (DELTA_SECONDS.test(text)) return Number(text) * 1000;
  // Every HTTP date form names its month; anything else ("-5", "1.5") is unreadable.
  if (!MONTH.test(text)) return undefined;
  // asctime dates carry no zone; HTTP dates are always GMT.
  const instant = Date.parse(HAS_ZONE.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(instant)) return undefined;
  return Math.max(0, instant - nowMs);
}

/**
 * Exponential backoff with "equal jitter" for the given retry (1 = the first retry):
 * the capped exponential step d = min(maxDelay, base × 2^(retry−1)), then a uniform draw in [d/2, d).
 * Half the step is guaranteed, so retries never collapse to zero; the other half spreads clients apart.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(step / 2 + random() * (step / 2));
}

/** The wait before the given retry: the server's Retry-After when present, else backoff. */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  return retryAfterMs ?? backoffDelay(retry, policy, random);
}

/**
 * Tracks one request's retries against the policy. `next(retryAfterMs)` returns the wait before the
 * next attempt, or undefined when the policy says to give up.
 */
export class RetryBudget {
  private attempts = 1;
  private waited = 0;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  get attemptsMade(): number {
    return this.attempts;
  }

  next(retryAfterMs: number | undefined): number | undefined {
    if (this.attempts >= this.policy.maxAttempts) return undefined;
    const wait = retryDelay(this.attempts, retryAfterMs, this.policy, this.random);
    if (this.waited + wait > this.policy.maxTotalWaitMs) return undefined;
    this.attempts += 1;
    this.waited += wait;
    return wait;
  }
}
