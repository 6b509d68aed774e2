import assert from 'node:assert/strict';
import { RequestLimiter, Semaphore } from '../../core/graph/limiter.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** How many requests of the key the limiter lets run at once, observed by starting more than it allows. */
async function widthOf(limiter: RequestLimiter, key: string): Promise<number> {
  const gate = deferred();
  let running = 0;
  let peak = 0;
  const tasks = Array.from({ length: limiter.settings.perKey + 2 }, () =>
    limiter.run(key, async () => {
      running += 1;
      peak = Math.max(peak, running);
      await gate.promise;
      running -= 1;
    }),
  );
  await tick();
  gate.resolve();
  await Promise.all(tasks);
  return peak;
}

describe('graph limiter', () => {
  it('a semaphore never lets more than its limit run, and serves waiters in order', async () => {
    const sem = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 6 }, deferred);
    const tasks = gates.map((gate, i) =>
      sem.run(async () => {
        order.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        running -= 1;
      }),
    );
    await tick();
    assert.deepEqual(order, [0, 1]);
    assert.equal(sem.queued, 4);
    for (const gate of gates) {
      gate.resolve();
      await tick();
    }
    await Promise.all(tasks);
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.equal(sem.inFlight, 0);
  });

  it('releases a slot when the task fails', async () => {
    const sem = new Semaphore(1);
    await assert.rejects(sem.run(() => Promise.reject(new Error('x'))));
    assert.equal(sem.inFlight, 0);
    assert.equal(await sem.run(() => Promise.resolve(7)), 7);
  });

  it('rejects a limit that is not a positive integer', () => {
    assert.throws(() => new Semaphore(0), RangeError);
    assert.throws(() => new RequestLimiter({ global: 4, perKey: 1.5 }), RangeError);
  });

  it('bounds each key and the whole, and a busy key does not hold back the others', async () => {
    const limiter = new RequestLimiter({ global: 6, perKey: 4 });
    const inFlight = new Map<string, number>();
    const peaks = new Map<string, number>();
    let total = 0;
    let peakTotal = 0;
    const gates: (() => void)[] = [];
    const started: string[] = [];
    const task = (key: string) =>
      limiter.run(key, async () => {
        started.push(key);
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        peaks.set(key, Math.max(peaks.get(key) ?? 0, inFlight.get(key) ?? 0));
        total += 1;
        peakTotal = Math.max(peakTotal, total);
        const gate = deferred();
        gates.push(gate.resolve);
        await gate.promise;
        inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
        total -= 1;
      });
    const all = [...Array.from({ length: 10 }, () => task('a')), task('b'), task('b')];
    await tick();
    // Mailbox a is capped at 4, so b's two requests start at once even though a queued first.
    assert.equal(started.filter((k) => k === 'a').length, 4);
    assert.equal(started.filter((k) => k === 'b').length, 2);
    while (gates.length) {
      gates.shift()?.();
      await tick();
    }
    await Promise.all(all);
    assert.equal(peaks.get('a'), 4);
    assert.equal(peaks.get('b'), 2);
    assert.ok(peakTotal <= 6);
    assert.equal(limiter.peaks().byKey.get('a'), 4);
    assert.ok(limiter.peaks().global <= 6);
  });

  it('requests without a key only take a global slot', async () => {
    const limiter = new RequestLimiter({ global: 2, perKey: 1 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        limiter.run(undefined, async () => {
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          running -= 1;
        }),
      ),
    );
    assert.equal(peak, 2);
  });

  it('halves a throttled key and takes a quarter off the whole, then grows back one step per run of successes', async () => {
    const limiter = new RequestLimiter({ global: 16, perKey: 4 });
    limiter.onThrottled('a', 2000);
    assert.equal(await widthOf(limiter, 'a'), 2);
    assert.equal(await widthOf(limiter, 'b'), 4, 'another mailbox keeps its width');
    assert.deepEqual(limiter.throttling(), {
      throttled: 1,
      waitedMs: 2000,
      globalLimit: 12,
      lowestGlobalLimit: 12,
      keysBelowMaximum: 1,
    });
    limiter.onThrottled('a', 1000);
    assert.equal(await widthOf(limiter, 'a'), 1);
    limiter.onThrottled('a', 0);
    assert.equal(await widthOf(limiter, 'a'), 1, 'never below one');
    // One success at width 1 raises it to 2; two more at width 2 raise it to 3; three more to 4.
    limiter.onAnswered('a');
    assert.equal(await widthOf(limiter, 'a'), 2);
    limiter.onAnswered('a');
    limiter.onAnswered('a');
    assert.equal(await widthOf(limiter, 'a'), 3);
    for (let i = 0; i < 3; i++) limiter.onAnswered('a');
    assert.equal(await widthOf(limiter, 'a'), 4);
    for (let i = 0; i < 10; i++) limiter.onAnswered('a');
    assert.equal(await widthOf(limiter, 'a'), 4, 'never above the configured maximum');
    for (let i = 0; i < 200; i++) limiter.onAnswered(undefined);
    assert.equal(limiter.throttling().globalLimit, 16);
    assert.equal(limiter.throttling().lowestGlobalLimit, 6);
  });

  it('holds new requests of a throttled key back until its in-flight ones fit the lower width', async () => {
    const limiter = new RequestLimiter({ global: 16, perKey: 4 });
    const gates: (() => void)[] = [];
    let running = 0;
    const starts: number[] = [];
    const task = () =>
      limiter.run('a', async () => {
        running += 1;
        starts.push(running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running -= 1;
      });
    const first = Array.from({ length: 4 }, task);
    await tick();
    assert.equal(running, 4);
    limiter.onThrottled('a', 0);
    const later = Array.from({ length: 3 }, task);
    await tick();
    assert.equal(running, 4, 'nothing new starts while four are in flight and the width is two');
    gates.shift()?.();
    gates.shift()?.();
    await tick();
    assert.equal(running, 2, 'still nothing new at exactly the width');
    gates.shift()?.();
    await tick();
    assert.equal(running, 2, 'one finished, one started');
    while (gates.length) {
      gates.shift()?.();
      await tick();
    }
    await Promise.all([...first, ...later]);
    assert.ok(
      starts.slice(4).every((n) => n <= 2),
      `later starts ran at most two wide: ${starts.join(',')}`,
    );
  });
});
