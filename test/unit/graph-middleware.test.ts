import assert from 'node:assert/strict';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import sinon from 'sinon';
import { systemClock, type Clock } from '../../core/graph/clock.ts';
import { GraphCredentialsError, GraphNetworkError } from '../../core/graph/errors.ts';
import { AuthMiddleware, RetryMiddleware, type RetryEvent } from '../../core/graph/middleware.ts';
import { RequestLimiter } from '../../core/graph/limiter.ts';
import { retryPolicy } from '../../core/graph/retry.ts';

type Outcome = { status: number; headers?: Record<string, string> } | 'drop' | Error;

/** The end of a chain that answers from a script, one outcome per attempt. */
class ScriptedServer implements Middleware {
  attempts = 0;
  seenHeaders: Headers[] = [];
  constructor(private readonly script: Outcome[]) {}
  execute(context: Context): Promise<void> {
    this.attempts += 1;
    this.seenHeaders.push(new Headers(context.options?.headers));
    const outcome = this.script.shift() ?? { status: 200 };
    if (outcome === 'drop') return Promise.reject(new GraphNetworkError('GET /x: other side closed'));
    if (outcome instanceof Error) return Promise.reject(outcome);
    context.response = new Response(outcome.status === 204 ? null : '{}', {
      status: outcome.status,
      headers: outcome.headers ?? {},
    });
    return Promise.resolve();
  }
}

function fakeClock(start = Date.parse('2026-03-01T12:00:00Z')): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

function chain(script: Outcome[], clock: Clock, policy = retryPolicy({ baseDelayMs: 500 })) {
  const server = new ScriptedServer(script);
  const events: RetryEvent[] = [];
  const limiter = new RequestLimiter({ global: 8, perKey: 4 });
  const retry = new RetryMiddleware(
    policy,
    clock,
    () => 0,
    limiter,
    (e) => events.push(e),
  );
  retry.setNext(server);
  const context = (): Context => ({ request: 'https://graph.test/v1.0/users', options: { method: 'GET' } });
  return { server, retry, events, context, limiter };
}

describe('graph middleware: retry', () => {
  it('waits exactly the Retry-After of a 429, then succeeds', async () => {
    const clock = fakeClock();
    const { server, retry, events, context } = chain(
      [{ status: 429, headers: { 'Retry-After': '2' } }],
      clock,
    );
    const ctx = context();
    await retry.execute(ctx);
    assert.equal(ctx.response?.status, 200);
    assert.equal(server.attempts, 2);
    assert.deepEqual(clock.sleeps, [2000]);
    assert.deepEqual(
      events.map((e) => [e.retry, e.delayMs, e.status]),
      [[1, 2000, 429]],
    );
  });

  it('tells the limiter of each 429 with the wait it costs, and of each other answer', async () => {
    const clock = fakeClock();
    const { retry, context, limiter } = chain(
      [
        { status: 429, headers: { 'Retry-After': '3' } },
        { status: 429, headers: { 'Retry-After': '1' } },
      ],
      clock,
    );
    await retry.execute(context());
    const report = limiter.throttling();
    assert.equal(report.throttled, 2);
    assert.equal(report.waitedMs, 4000);
    assert.equal(report.lowestGlobalLimit, 4, '8 → 6 → 4');
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const clock = fakeClock(Date.parse('2026-03-01T12:00:00Z'));
    const { retry, context } = chain(
      [{ status: 503, headers: { 'Retry-After': 'Sun, 01 Mar 2026 12:00:09 GMT' } }],
      clock,
    );
    await retry.execute(context());
    assert.deepEqual(clock.sleeps, [9000]);
  });

  it('backs off exponentially on 5xx without Retry-After', async () => {
    const clock = fakeClock();
    const { server, retry, context } = chain([{ status: 503 }, { status: 500 }, { status: 504 }], clock);
    const ctx = context();
    await retry.execute(ctx);
    assert.equal(ctx.response?.status, 200);
    assert.equal(server.attempts, 4);
    assert.deepEqual(clock.sleeps, [250, 500, 1000]);
  });

  it('retries dropped connections', async () => {
    const clock = fakeClock();
    const { server, retry, context } = chain(['drop', 'drop'], clock);
    const ctx = context();
    await retry.execute(ctx);
    assert.equal(ctx.response?.status, 200);
    assert.equal(server.attempts, 3);
  });

  for (const status of [400, 401, 403, 404, 410]) {
    it(`does not retry ${status}`, async () => {
      const clock = fakeClock();
      const { server, retry, context } = chain([{ status, headers: { 'Retry-After': '1' } }], clock);
      const ctx = context();
      await retry.execute(ctx);
      assert.equal(ctx.response?.status, status);
      assert.equal(server.attempts, 1);
      assert.deepEqual(clock.sleeps, []);
    });
  }

  it('gives the last answer back once attempts run out', async () => {
    const clock = fakeClock();
    const policy = retryPolicy({ maxAttempts: 3, baseDelayMs: 10 });
    const { server, retry, context } = chain(Array(10).fill({ status: 503 }) as Outcome[], clock, policy);
    const ctx = context();
    await retry.execute(ctx);
    assert.equal(ctx.response?.status, 503);
    assert.equal(server.attempts, 3);
  });

  it('gives up when the total wait would pass its cap', async () => {
    const clock = fakeClock();
    const policy = retryPolicy({ maxAttempts: 50, maxTotalWaitMs: 10_000 });
    const throttled = { status: 429, headers: { 'Retry-After': '4' } };
    const { server, retry, context } = chain(Array(10).fill(throttled) as Outcome[], clock, policy);
    const ctx = context();
    await retry.execute(ctx);
    assert.equal(ctx.response?.status, 429);
    assert.deepEqual(clock.sleeps, [4000, 4000]);
    assert.equal(server.attempts, 3);
  });

  it('throws the transport error when every attempt dropped', async () => {
    const clock = fakeClock();
    const policy = retryPolicy({ maxAttempts: 2, baseDelayMs: 10 });
    const { retry, context } = chain(['drop', 'drop', 'drop'], clock, policy);
    await assert.rejects(retry.execute(context()), GraphNetworkError);
  });

  it('does not retry other failures', async () => {
    const clock = fakeClock();
    const { server, retry, context } = chain([new GraphCredentialsError('no token')], clock);
    await assert.rejects(retry.execute(context()), GraphCredentialsError);
    assert.equal(server.attempts, 1);
  });

  it('waits on real timers through the system clock (sinon fake timers)', async () => {
    const timers = sinon.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z') });
    try {
      const server = new ScriptedServer([{ status: 429, headers: { 'Retry-After': '30' } }]);
      const retry = new RetryMiddleware(
        retryPolicy(),
        systemClock,
        () => 0,
        new RequestLimiter({ global: 8, perKey: 4 }),
      );
      retry.setNext(server);
      const ctx: Context = { request: 'https://graph.test/v1.0/users', options: { method: 'GET' } };
      let done = false;
      const pending = retry.execute(ctx).then(() => (done = true));
      await timers.tickAsync(29_999);
      assert.equal(done, false);
      assert.equal(server.attempts, 1);
      await timers.tickAsync(1);
      await pending;
      assert.equal(done, true);
      assert.equal(ctx.response?.status, 200);
    } finally {
      timers.restore();
    }
  });
});

describe('graph middleware: authentication', () => {
  it('sends a current token to the Graph origin on every attempt, never elsewhere', async () => {
    let issued = 0;
    const auth = new AuthMiddleware(
      { getAccessToken: () => Promise.resolve(`token-${++issued}`) },
      'https://graph.test',
    );
    const server = new ScriptedServer([]);
    auth.setNext(server);
    const ctx: Context = {
      request: 'https://graph.test/v1.0/users',
      options: { method: 'GET', headers: { Prefer: 'odata.maxpagesize=10' } },
    };
    await auth.execute(ctx);
    await auth.execute(ctx);
    assert.equal(server.seenHeaders[0]?.get('authorization'), 'Bearer token-1');
    assert.equal(server.seenHeaders[1]?.get('authorization'), 'Bearer token-2');
    assert.equal(server.seenHeaders[1]?.get('prefer'), 'odata.maxpagesize=10');

    const foreign: Context = {
      request: 'https://elsewhere.test/v1.0/users',
      options: { method: 'GET', headers: { Authorization: 'Bearer leaked' } },
    };
    await auth.execute(foreign);
    assert.equal(server.seenHeaders[2]?.get('authorization'), null);
  });

  it('turns a token failure into a credentials error', async () => {
    const auth = new AuthMiddleware(
      { getAccessToken: () => Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.')) },
      'https://graph.test',
    );
    auth.setNext(new ScriptedServer([]));
    await assert.rejects(
      auth.execute({ request: 'https://graph.test/v1.0/users', options: { method: 'GET' } }),
      (error: unknown) => error instanceof GraphCredentialsError && /AADSTS7000215/.test(error.message),
    );
  });
});
