import assert from 'node:assert/strict';
import { RequestLimiter, Semaphore } from '../../core/graph/limiter.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

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
});
