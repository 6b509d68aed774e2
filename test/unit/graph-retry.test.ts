import assert from 'node:assert/strict';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  RetryBudget,
  retryDelay,
  retryPolicy,
} from '../../core/graph/retry.ts';

describe('graph retry: Retry-After parsing', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
  });

  it('reads the three HTTP date forms as GMT', () => {
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sunday, 01-Mar-26 12:01:00 GMT', now), 60_000);
    // asctime carries no zone: still GMT, whatever the process's time zone.
    assert.equal(parseRetryAfter('Sun Mar  1 12:00:05 2026', now), 5000);
  });

  it('treats a date in the past as no wait', () => {
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 11:59:00 GMT', now), 0);
  });

  it('ignores absent or unreadable values', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter('1.5', now), undefined);
  });
});

describe('graph retry: which statuses are retried', () => {
  it('retries 429 and transient 5xx only', () => {
    for (const status of [429, 500, 502, 503, 504, 509])
      assert.equal(isRetryableStatus(status), true, `${status}`);
    for (const status of [200, 204, 400, 401, 403, 404, 409, 410, 501, 505]) {
      assert.equal(isRetryableStatus(status), false, `${status}`);
    }
  });
});

describe('graph retry: backoff', () => {
  const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });

  it('doubles per retry with jitter in [step/2, step)', () => {
    assert.equal(
      backoffDelay(1, policy, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(1, policy, () => 0.999999),
      99,
    );
    assert.equal(
      backoffDelay(2, policy, () => 0),
      100,
    );
    assert.equal(
      backoffDelay(3, policy, () => 0),
      200,
    );
    assert.equal(
      backoffDelay(4, policy, () => 0.5),
      600,
    );
  });

  it('caps each wait at maxDelayMs', () => {
    assert.equal(
      backoffDelay(10, policy, () => 0),
      500,
    );
    assert.equal(
      backoffDelay(30, policy, () => 0.999999),
      999,
    );
  });

  it('spreads concurrent clients apart', () => {
    const draws = new Set(Array.from({ length: 50 }, () => backoffDelay(5, policy)));
    assert.ok(draws.size > 10);
    for (const d of draws) assert.ok(d >= 500 && d < 1000, `${d}`);
  });

  it('prefers the server Retry-After, even beyond the per-wait cap', () => {
    assert.equal(
      retryDelay(1, 2500, policy, () => 0),
      2500,
    );
    assert.equal(
      retryDelay(1, 0, policy, () => 0),
      0,
    );
    assert.equal(
      retryDelay(1, undefined, policy, () => 0),
      50,
    );
  });

  it('validates the policy', () => {
    assert.deepEqual(retryPolicy(), DEFAULT_RETRY_POLICY);
    assert.throws(() => retryPolicy({ maxAttempts: 0 }), RangeError);
    assert.throws(() => retryPolicy({ baseDelayMs: -1 }), RangeError);
    assert.throws(() => retryPolicy({ maxTotalWaitMs: Number.NaN }), RangeError);
  });
});

describe('graph retry: budget', () => {
  it('stops after maxAttempts attempts', () => {
    const budget = new RetryBudget(retryPolicy({ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 }), () => 0);
    const waits = [budget.next(undefined), budget.next(undefined), budget.next(undefined)];
    assert.deepEqual(waits, [5, 5, undefined]);
    assert.equal(budget.attemptsMade, 3);
  });

  it('stops when the next wait would exceed the total wait cap', () => {
    const budget = new RetryBudget(retryPolicy({ maxAttempts: 100, maxTotalWaitMs: 5000 }), () => 0);
    assert.equal(budget.next(3000), 3000);
    assert.equal(budget.next(1500), 1500);
    assert.equal(budget.next(1000), undefined, '4,500 ms waited: 1,000 more would pass the 5,000 ms cap');
    assert.equal(budget.next(500), 500, 'a wait that still fits the cap is granted');
    assert.equal(budget.next(1), undefined, 'the cap is reached exactly');
  });
});
