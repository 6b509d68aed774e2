import assert from 'node:assert/strict';
import sinon from 'sinon';
import { newRunRecord, type RunRecord } from '../../core/runs/run-record';
import { RunConflictError, RunService } from '../../core/runs/run-service';
import type { Containers } from '../../core/store/containers';
import { LeaseLostError, LeaseRepository } from '../../core/store/lease-repository';
import { ResultsRepository } from '../../core/store/results-repository';
import { RunRepository } from '../../core/store/run-repository';
import { appContainers, saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { startTestApp, type TestApp } from '../support/test-app';

const TTL = 60_000;
const TRACKED = ['ana@fabrikam.com', 'ruth.mehta@fabrikam.com'];

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('run lease across server instances', () => {
  let app: TestApp;
  let containers: Containers;
  let tenantId: string;
  let leases: LeaseRepository;
  let runs: RunRepository;
  /** A clock both instances share; tests move it forward to expire leases. */
  let offset = 0;
  const now = () => Date.now() + offset;
  const services: RunService[] = [];
  const logs: string[] = [];

  const instance = (instanceId: string, options: { leaseRenewMs?: number } = {}) => {
    const service = new RunService({
      containers,
      graph: app.stack.graphClient,
      now,
      instanceId,
      leaseTtlMs: TTL,
      log: (line) => logs.push(`${instanceId}: ${line}`),
      ...options,
    });
    services.push(service);
    return service;
  };

  before(async () => {
    app = await startTestApp();
    containers = await appContainers(app);
    tenantId = tenantOf(app);
    leases = new LeaseRepository(containers.runs);
    runs = new RunRepository(containers.runs);
    await saveEnrichment(app, { enrichmentId: 'shared', tracked: TRACKED, consentGrantedAt: Date.now() });
  });
  afterEach(async () => {
    app.stack.graph.faults.reset();
    await Promise.all(services.splice(0).map((s) => s.stop()));
  });
  after(async () => app?.close());

  it('acquires, renews, takes over and releases only with the matching ETag', async () => {
    const input = (runId: string, holder: string) => ({
      tenantId,
      enrichmentId: 'lease-only',
      runId,
      holder,
      now: now(),
      ttlMs: TTL,
    });
    // Two instances racing for an absent lease: exactly one creates it.
    const race = await Promise.all([
      leases.acquire(input('run-a', 'A')),
      leases.acquire(input('run-b', 'B')),
    ]);
    const winners = race.filter((r) => 'acquired' in r);
    assert.equal(winners.length, 1);
    const first = winners[0] && 'acquired' in winners[0] ? winners[0].acquired : assert.fail('no winner');
    const loser = race.find((r) => 'heldBy' in r);
    assert.equal(loser && 'heldBy' in loser ? loser.heldBy.runId : undefined, first.runId);

    const renewed = await leases.renew(first, now(), TTL);
    assert.notEqual(renewed.etag, first.etag);
    // The stale ETag no longer matches: the store answers 412.
    await assert.rejects(leases.renew(first, now(), TTL), LeaseLostError);
    await leases.release(first);
    assert.equal((await leases.read(tenantId, 'lease-only'))?.etag, renewed.etag);

    // Expired: two instances take it over with the same ETag; one replace wins.
    offset += TTL + 1;
    const takeovers = await Promise.all([
      leases.acquire(input('run-c', 'C')),
      leases.acquire(input('run-d', 'D')),
    ]);
    const taken = takeovers.flatMap((r) => ('acquired' in r ? [r.acquired] : []));
    assert.equal(taken.length, 1);
    await assert.rejects(leases.renew(renewed, now(), TTL), LeaseLostError);
    await leases.release(taken[0] ?? assert.fail('taken over'));
    assert.equal(await leases.read(tenantId, 'lease-only'), undefined);
  });

  it('runs an enrichment once when two instances start it at the same time', async () => {
    const [a, b] = [instance('instance-a'), instance('instance-b')];
    const trigger = { kind: 'manual', userId: 'u1', name: 'Ana Diaz', email: 'ana@fabrikam.com' } as const;
    const outcomes = await Promise.allSettled([
      a.startRun(tenantId, 'shared', trigger),
      b.startRun(tenantId, 'shared', trigger),
    ]);
    const [started, ...more] = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    assert.ok(started);
    assert.equal(more.length, 0);
    assert.equal(refused.length, 1);
    const conflict = refused[0];
    assert.ok(conflict instanceof RunConflictError);
    assert.equal(conflict.active?.runId, started.runId);
    assert.match(
      conflict.message,
      new RegExp(`Run ${started.runId} .* by Ana Diaz \\(ana@fabrikam\\.com\\)`),
    );

    await Promise.all([a.idle(), b.idle()]);
    const done = (await runs.read(tenantId, started.runId))?.record;
    assert.equal(done?.status, 'succeeded');
    assert.equal(await leases.read(tenantId, 'shared'), undefined, 'the lease is released at the end');
    // Either instance may run it next.
    const next = await b.startRun(tenantId, 'shared', trigger);
    await b.idle();
    assert.equal((await runs.read(tenantId, next.runId))?.record.status, 'succeeded');
  });

  it("takes over a vanished instance's run once its lease expired, with the same run id", async () => {
    // Instance A never renews its lease, as if it had stopped answering.
    const a = instance('instance-a', { leaseRenewMs: 3_600_000 });
    const b = instance('instance-b');
    app.stack.graph.faults.add({
      kind: 'slow',
      delayMs: 1_500,
      path: '/calendarView',
      mailbox: 'ana@fabrikam.com',
    });
    const run = await a.startRun(tenantId, 'shared', {
      kind: 'schedule',
      scheduledFor: new Date(now()).toISOString(),
    });
    await until(
      () => runs.read(tenantId, run.runId),
      (s) => s?.record.progress?.step === 'reading-mailboxes',
      'the run to read mailboxes',
    );

    await b.recover();
    assert.equal((await runs.read(tenantId, run.runId))?.record.attempt, 1, 'a live lease is left alone');

    offset += TTL + 1;
    await b.recover();
    await Promise.all([a.idle(), b.idle()]);
    const record = (await runs.read(tenantId, run.runId))?.record;
    assert.equal(record?.status, 'succeeded', JSON.stringify({ record, logs }));
    assert.equal(record?.attempt, 2);
    assert.equal(record?.instanceId, 'instance-b');
    assert.equal(record?.asOf, run.asOf, 'the resumed run keeps its as-of instant');
    assert.ok(logs.some((line) => line.startsWith(`instance-a: run ${run.runId}: taken over`)));
    const visible = await new ResultsRepository(containers.results, tenantId).visibleRun('Office');
    assert.equal(visible?.runId, run.runId);
    assert.equal(await leases.read(tenantId, 'shared'), undefined);
  });

  it('fails abandoned runs that used up their attempts or whose lease went to a newer run', async () => {
    const b = instance('instance-b', {});
    const abandoned = (runId: string, changes: Partial<RunRecord>): RunRecord => ({
      ...newRunRecord({
        runId,
        tenantId,
        enrichmentId: `old-${runId}`,
        trigger: { kind: 'schedule', scheduledFor: new Date(now()).toISOString() },
        now: now(),
        instanceId: 'gone',
      }),
      startedAt: new Date(now()).toISOString(),
      ...changes,
    });
    await runs.create(abandoned('worn-out', { status: 'interrupted', attempt: 3 }));
    await runs.create(abandoned('superseded', { status: 'running', attempt: 1 }));
    const newer = await leases.acquire({
      tenantId,
      enrichmentId: 'old-superseded',
      runId: 'newer',
      holder: 'elsewhere',
      now: now(),
      ttlMs: TTL,
    });
    assert.ok('acquired' in newer);

    await b.recover();
    const wornOut = (await runs.read(tenantId, 'worn-out'))?.record;
    assert.equal(wornOut?.status, 'failed');
    assert.match(wornOut?.error ?? '', /^interrupted by a restart 3 times/);
    assert.ok(wornOut?.finishedAt);
    const superseded = (await runs.read(tenantId, 'superseded'))?.record;
    assert.equal(superseded?.status, 'failed');
    assert.equal(superseded?.error, 'interrupted by a restart; run newer started since');
    await leases.release(newer.acquired);
  });

  it('takes a run over even when its former instance wrote progress between the read and the takeover', async () => {
    const b = instance('instance-b');
    const record: RunRecord = {
      ...newRunRecord({
        runId: 'racing',
        tenantId,
        enrichmentId: 'shared',
        trigger: { kind: 'schedule', scheduledFor: new Date(now()).toISOString() },
        now: now(),
        instanceId: 'gone',
      }),
      status: 'running',
      startedAt: new Date(now()).toISOString(),
    };
    await runs.create(record);
    // The former instance writes its progress right after the new one took the lease.
    const acquire = LeaseRepository.prototype.acquire;
    const stub = sinon.stub(LeaseRepository.prototype, 'acquire').callsFake(async function (
      this: LeaseRepository,
      ...args: Parameters<LeaseRepository['acquire']>
    ) {
      const taken = await acquire.apply(this, args);
      const stored = await runs.read(tenantId, 'racing');
      if (stored?.record.instanceId === 'gone') {
        await runs.replace(stored, {
          ...stored.record,
          progress: { ...stored.record.progress, step: 'reading-mailboxes' } as RunRecord['progress'],
        });
      }
      return taken;
    });
    try {
      await b.recover();
    } finally {
      stub.restore();
    }
    await b.idle();
    const done = (await runs.read(tenantId, 'racing'))?.record;
    assert.equal(done?.status, 'succeeded');
    assert.equal(done?.attempt, 2);
    assert.equal(done?.instanceId, 'instance-b');
  });
});
