import { randomUUID } from 'node:crypto';
import {
  EnrichmentNotFoundError,
  listAllEnrichments,
  loadEnrichment,
  type EnrichmentConfig,
} from '../config/enrichment-config';
import type { GraphConnection } from '../graph/client';
import type { Containers } from '../store/containers';
import { LeaseRepository, type Lease, type LeaseState } from '../store/lease-repository';
import { MailboxHealthRepository } from '../store/mailbox-health-repository';
import type { VisibleRun } from '../results/stored-rows';
import { ResultsRepository } from '../store/results-repository';
import { RunRecordChangedError, RunRepository, type StoredRun } from '../store/run-repository';
import { datasetSummary } from '../datasets/dataset-library';
import { rereadFailedMailboxes, runEnrichment, unreadMailboxes } from './enrichment-run';
import { runInputs } from './enrichment-inputs';
import { executeRun, type PreparedRun, type RunTuning } from './run-execution';
import { RetainedReadings, type ReadingBasis } from './retained-readings';
import { describeTrigger, newRunRecord, type RunRecord, type RunStatus, type RunTrigger } from './run-record';
import { RunSlots } from './run-slots';
import { nextAutomaticRun, ScheduleLoop, type NextRun } from './schedule';
import { errorMessage } from '../text/error-text';

/** Statuses of a run that may be resumed. */
const UNFINISHED: ReadonlySet<RunStatus> = new Set(['queued', 'running', 'interrupted']);

export interface RunSucceededEvent {
  tenantId: string;
  enrichmentId: string;
  config: EnrichmentConfig;
  run: RunRecord;
  /** The output entity's now visible run. */
  visible: VisibleRun;
  results: ResultsRepository;
}

/** Called after a run succeeded and its rows are visible (segments, stale-account alerts, …). */
export type RunSucceededHook = (event: RunSucceededEvent) => Promise<void>;

export interface RunServiceOptions extends Partial<RunTuning> {
  containers: Containers;
  graph: GraphConnection;
  /** Epoch milliseconds. */
  now(): number;
  /** This server instance, as lease holder and in run records (default: a random id). */
  instanceId?: string;
  /** How often the scheduler looks for due enrichments and abandoned runs (default one minute). */
  scheduleIntervalMs?: number;
  /** Runs executing at once on this instance; more wait queued (default 2). */
  maxConcurrentRuns?: number;
  /** Executions of one run (the first plus resumptions after restarts) before it is failed (default 3). */
  maxAttempts?: number;
  /** How long a run's reading is kept for a re-read of its failed mailboxes; 0 keeps none (default two hours). */
  readingTtlMs?: number;
  /** The memory kept readings may take on this instance, the oldest dropped first (default 1 GiB). */
  readingBytes?: number;
  log?: (line: string) => void;
}

/** Who asks for a re-read (an admin, from the tab). */
export interface Requester {
  userId: string;
  name: string;
  email: string;
}

/** Whether the failed mailboxes of the enrichment's last run can be read again now, and if not why. */
export type RereadOffer =
  { available: true; runId: string; mailboxes: number; until: string } | { available: false; reason: string };

/** The failed mailboxes of a run cannot be read again; the message says why and what to do instead. */
export class RereadUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RereadUnavailableError';
  }
}

/** Another run of the enrichment is active: it is named, with when and by whom it started. */
export class RunConflictError extends Error {
  constructor(
    readonly lease: LeaseState,
    readonly active: RunRecord | undefined,
  ) {
    super(conflictMessage(lease, active));
    this.name = 'RunConflictError';
  }
}

function conflictMessage(lease: LeaseState, active: RunRecord | undefined): string {
  if (!active) return `Run ${lease.runId} of this enrichment is starting; wait for it to finish.`;
  const started = active.startedAt ? `, running since ${active.startedAt}` : '';
  return `Run ${active.runId} of this enrichment is ${active.status}: queued at ${active.queuedAt}${started}, ${describeTrigger(active.trigger)}. Wait for it to finish.`;
}

const DEFAULT_TUNING: RunTuning = { leaseTtlMs: 60_000, leaseRenewMs: 20_000, progressIntervalMs: 500 };

/**
 * Durable, observable runs. Every run is recorded before it starts and executes under the
 * enrichment's lease, so one enrichment runs once at a time across all server instances. The
 * scheduler starts due enrichments of every tenant and resumes abandoned runs: a run whose
 * instance stopped (`interrupted`) or vanished (its lease expired) is executed again with the same
 * run id and as-of instant, which rewrites the same rows; after `maxAttempts` it is failed with
 * "interrupted by a restart".
 */
export class RunService {
  /** Hooks run in order after each successful run; a failing hook is logged and does not fail the run. */
  readonly onRunSucceeded: RunSucceededHook[] = [];
  readonly runs: RunRepository;
  readonly leases: LeaseRepository;
  /** Each tracked mailbox's health after the last successful run. */
  readonly mailboxHealth: MailboxHealthRepository;
  /** Readings of runs that could not read every mailbox, kept on this instance for a re-read. */
  readonly readings: RetainedReadings;
  readonly instanceId: string;
  private readonly tuning: RunTuning;
  private readonly slots: RunSlots;
  private readonly maxAttempts: number;
  private readonly loop: ScheduleLoop;
  private readonly executions = new Map<string, Promise<void>>();
  private readonly shutdown = new AbortController();
  private readonly log: (line: string) => void;

  constructor(private readonly options: RunServiceOptions) {
    this.runs = new RunRepository(options.containers.runs);
    this.leases = new LeaseRepository(options.containers.runs);
    this.mailboxHealth = new MailboxHealthRepository(options.containers.runs);
    this.readings = new RetainedReadings({
      now: options.now,
      ...(options.readingTtlMs !== undefined ? { ttlMs: options.readingTtlMs } : {}),
      ...(options.readingBytes !== undefined ? { maxBytes: options.readingBytes } : {}),
    });
    this.instanceId = options.instanceId ?? randomUUID();
    this.tuning = {
      leaseTtlMs: options.leaseTtlMs ?? DEFAULT_TUNING.leaseTtlMs,
      leaseRenewMs: options.leaseRenewMs ?? DEFAULT_TUNING.leaseRenewMs,
      progressIntervalMs: options.progressIntervalMs ?? DEFAULT_TUNING.progressIntervalMs,
    };
    this.slots = new RunSlots(options.maxConcurrentRuns ?? 2);
    this.maxAttempts = options.maxAttempts ?? 3;
    this.log = options.log ?? ((line) => console.log(`[runs] ${line}`));
    this.loop = new ScheduleLoop(
      () => this.tick(),
      options.scheduleIntervalMs ?? 60_000,
      (error) => this.log(`scheduler: ${errorMessage(error)}`),
    );
  }

  /** Resumes (or fails) runs left unfinished, then starts the scheduler. */
  async start(): Promise<void> {
    await this.recover();
    this.loop.start();
  }

  /** Stops the scheduler and this instance's runs (left `interrupted`, leases released). */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.shutdown.abort(new Error('the server is stopping'));
    await this.idle();
    this.readings.clear();
  }

  /** Resolves when no run executes on this instance. */
  async idle(): Promise<void> {
    while (this.executions.size) await Promise.all(this.executions.values());
  }

  /** One scheduler pass: abandoned runs first, then due enrichments of every tenant. */
  async tick(): Promise<void> {
    this.readings.purge();
    await this.recover();
    await this.startDueRuns();
  }

  /** Queues a run now; throws RunConflictError while another run of the enrichment is active. */
  async startRun(tenantId: string, enrichmentId: string, trigger: RunTrigger): Promise<RunRecord> {
    await this.config(tenantId, enrichmentId);
    return this.queue(tenantId, enrichmentId, trigger);
  }

  /**
   * Queues a run that reads again only the mailboxes the enrichment's last run could not read, into
   * that run's kept reading, at its T. Throws RereadUnavailableError when the reading is gone or no
   * longer matches what is shown and configured, and RunConflictError while another run is active.
   */
  async startReread(
    tenantId: string,
    enrichmentId: string,
    ofRunId: string,
    by: Requester,
  ): Promise<RunRecord> {
    const offer = await this.rereadOffer(await this.config(tenantId, enrichmentId));
    if (!offer.available) throw new RereadUnavailableError(offer.reason);
    if (offer.runId !== ofRunId) {
      throw new RereadUnavailableError(
        `Run ${ofRunId} is not the last run whose mailboxes can be read again; run ${offer.runId} is.`,
      );
    }
    const held = this.readings.reading(tenantId, enrichmentId, ofRunId);
    if (!held) throw new RereadUnavailableError(this.readingGone(tenantId, enrichmentId, ofRunId));
    return this.queue(tenantId, enrichmentId, { kind: 'reread', ofRunId, ...by }, held.reading.asOf);
  }

  /**
   * Whether the failed mailboxes of the enrichment's last run can be read again on this instance:
   * its reading is kept, its results are the ones shown, consent holds, and neither the
   * configuration nor the customer dataset changed since.
   */
  async rereadOffer(config: EnrichmentConfig): Promise<RereadOffer> {
    const held = this.readings.offer(config.tenantId, config.enrichmentId);
    if (!held) {
      return {
        available: false,
        reason: `No run is kept for a re-read: ${this.notKept(config.tenantId, config.enrichmentId)}`,
      };
    }
    const problem = await this.rereadProblem(config, held.runId, held.basis);
    if (problem) return { available: false, reason: problem };
    return {
      available: true,
      runId: held.runId,
      mailboxes: held.mailboxes,
      until: new Date(held.expiresAt).toISOString(),
    };
  }

  /**
   * Why run `runId`'s reading may not be continued now, if it may not: checked when a re-read is
   * offered, asked for, and again when it starts (it may wait for a free slot meanwhile).
   */
  private async rereadProblem(
    config: EnrichmentConfig,
    runId: string,
    basis: ReadingBasis,
  ): Promise<string | undefined> {
    if (config.consent.status !== 'granted') {
      return 'Runs need the tenant-admin consent, which is not granted now.';
    }
    const results = new ResultsRepository(this.options.containers.results, config.tenantId);
    const shown = await results.visibleRun(config.entityName);
    if (shown?.runId !== runId) {
      return `The results shown are no longer run ${runId}'s (a later run's are): start a full run to read every mailbox again.`;
    }
    if (config.version !== basis.configVersion) {
      return `The configuration changed (version ${basis.configVersion} → ${config.version}) since run ${runId}: start a full run so that it counts.`;
    }
    const now = await this.basisOf(config);
    if (now.datasetImportedAt !== basis.datasetImportedAt) {
      return `The customer dataset was imported again since run ${runId}: start a full run so that it counts.`;
    }
    return undefined;
  }

  private async basisOf(config: EnrichmentConfig): Promise<ReadingBasis> {
    const dataset = await datasetSummary(
      { containers: this.options.containers, tenantId: config.tenantId, now: this.options.now },
      config.datasetId,
    );
    return { configVersion: config.version, datasetImportedAt: dataset?.importedAt ?? '' };
  }

  private async queue(
    tenantId: string,
    enrichmentId: string,
    trigger: RunTrigger,
    asOf?: number,
  ): Promise<RunRecord> {
    const record = newRunRecord({
      runId: randomUUID(),
      tenantId,
      enrichmentId,
      trigger,
      now: this.options.now(),
      instanceId: this.instanceId,
      ...(asOf !== undefined ? { asOf } : {}),
    });
    const lease = await this.acquire(record);
    if ('heldBy' in lease) {
      throw new RunConflictError(lease.heldBy, (await this.runs.read(tenantId, lease.heldBy.runId))?.record);
    }
    return (await this.launch(record, lease.acquired)).record;
  }

  async getRun(tenantId: string, enrichmentId: string, runId: string): Promise<RunRecord | undefined> {
    const stored = await this.runs.read(tenantId, runId);
    return stored?.record.enrichmentId === enrichmentId ? stored.record : undefined;
  }

  /** The run holding the enrichment's lease, if its lease is live. */
  async activeRun(tenantId: string, enrichmentId: string): Promise<RunRecord | undefined> {
    const lease = await this.leases.read(tenantId, enrichmentId);
    if (!lease || lease.expiresAt <= this.options.now()) return undefined;
    return (await this.runs.read(tenantId, lease.runId))?.record;
  }

  /** When the enrichment will next run by itself, or null. */
  async nextRun(config: EnrichmentConfig, tenantId: string): Promise<NextRun | null> {
    const last = await this.runs.latest(tenantId, config.enrichmentId);
    return nextAutomaticRun({
      schedule: config.schedule,
      consent: config.consent,
      lastQueuedAt: last ? Date.parse(last.queuedAt) : undefined,
    });
  }

  /**
   * Resumes runs that no instance executes any more: `interrupted` ones, and queued or running ones
   * whose lease expired. A run whose lease went to a newer run, or that used up its attempts, fails.
   */
  async recover(): Promise<void> {
    for (const stored of await this.runs.unfinished()) {
      const { record } = stored;
      if (this.executions.has(record.runId)) continue;
      const lease = await this.leases.read(record.tenantId, record.enrichmentId);
      const live = lease && lease.expiresAt > this.options.now();
      if (live && lease.runId === record.runId) continue;
      try {
        if (live) {
          await this.fail(stored, `interrupted by a restart; run ${lease.runId} started since`);
        } else if (record.attempt >= this.maxAttempts) {
          await this.fail(stored, `interrupted by a restart ${record.attempt} times; not resumed again`);
        } else {
          await this.resume(stored);
        }
      } catch (error) {
        // Another instance handled this run first.
        if (!(error instanceof RunRecordChangedError)) throw error;
      }
    }
  }

  private async resume(stored: StoredRun): Promise<void> {
    const lease = await this.acquire(stored.record);
    if ('heldBy' in lease) return;
    let resumed: StoredRun | undefined;
    try {
      // The lease is ours now, so the instance that let it expire can no longer publish; but it may
      // still have written progress since the record was read. Take the run over from the record
      // as it is now, unless it finished meanwhile.
      let current: StoredRun | undefined = stored;
      for (let tries = 0; current && !resumed; tries++) {
        if (!UNFINISHED.has(current.record.status)) break;
        try {
          resumed = await this.runs.replace(current, {
            ...current.record,
            status: 'queued',
            attempt: current.record.attempt + 1,
            instanceId: this.instanceId,
            error: null,
          });
        } catch (error) {
          if (!(error instanceof RunRecordChangedError) || tries >= 4) throw error;
          current = await this.runs.read(current.record.tenantId, current.record.runId);
        }
      }
    } catch (error) {
      await this.leases.release(lease.acquired);
      throw error;
    }
    if (!resumed) {
      await this.leases.release(lease.acquired);
      return;
    }
    this.log(`run ${resumed.record.runId}: resumed (attempt ${resumed.record.attempt})`);
    this.execute(resumed, lease.acquired);
  }

  private async fail(stored: StoredRun, reason: string): Promise<void> {
    const now = this.options.now();
    await this.runs.replace(stored, {
      ...stored.record,
      status: 'failed',
      finishedAt: new Date(now).toISOString(),
      durationMs: now - Date.parse(stored.record.startedAt ?? stored.record.queuedAt),
      error: reason,
    });
    this.log(`run ${stored.record.runId} failed: ${reason}`);
  }

  private async startDueRuns(): Promise<void> {
    const now = this.options.now();
    for (const config of await listAllEnrichments(this.options.containers)) {
      // One enrichment's trouble (e.g. a store error) does not hold the others back.
      await this.startIfDue(config, now).catch((error: unknown) =>
        this.log(`${config.tenantId}/${config.enrichmentId}: ${errorMessage(error)}`),
      );
    }
  }

  private async startIfDue(config: EnrichmentConfig, now: number): Promise<void> {
    const due = await this.nextRun(config, config.tenantId);
    if (!due || due.at > now) return;
    const record = newRunRecord({
      runId: randomUUID(),
      tenantId: config.tenantId,
      enrichmentId: config.enrichmentId,
      trigger: { kind: due.trigger, scheduledFor: new Date(due.at).toISOString() },
      now,
      instanceId: this.instanceId,
    });
    const lease = await this.acquire(record);
    if ('heldBy' in lease) return;
    // Another instance may have run it between our look and our lease.
    const again = await this.nextRun(config, config.tenantId);
    if (again?.at !== due.at) {
      await this.leases.release(lease.acquired);
      return;
    }
    await this.launch(record, lease.acquired);
  }

  private acquire(record: RunRecord) {
    return this.leases.acquire({
      tenantId: record.tenantId,
      enrichmentId: record.enrichmentId,
      runId: record.runId,
      holder: this.instanceId,
      now: this.options.now(),
      ttlMs: this.tuning.leaseTtlMs,
    });
  }

  private async launch(record: RunRecord, lease: Lease): Promise<StoredRun> {
    let stored: StoredRun;
    try {
      stored = await this.runs.create(record);
    } catch (error) {
      await this.leases.release(lease);
      throw error;
    }
    this.execute(stored, lease);
    return stored;
  }

  private execute(stored: StoredRun, lease: Lease): void {
    const { tenantId, enrichmentId, runId } = stored.record;
    const results = new ResultsRepository(this.options.containers.results, tenantId);
    const execution = executeRun({
      stored,
      lease,
      runs: this.runs,
      leases: this.leases,
      results,
      now: this.options.now,
      tuning: this.tuning,
      shutdown: this.shutdown.signal,
      slot: (signal) => this.slots.acquire(signal),
      prepare: (record) => this.prepare(record, results),
      succeeded: async (run, visible) => {
        const config = await this.config(tenantId, enrichmentId);
        for (const hook of this.onRunSucceeded) {
          await hook({ tenantId, enrichmentId, config, run, visible, results }).catch((error: unknown) =>
            this.log(`run ${runId}: a follow-up failed: ${errorMessage(error)}`),
          );
        }
      },
      mailboxesRead: async (run, mailboxes, readNow) => {
        await this.mailboxHealth.record(
          tenantId,
          enrichmentId,
          { runId, asOf: run.asOf },
          mailboxes,
          readNow,
        );
      },
      log: this.log,
    })
      .catch((error: unknown) => this.log(`run ${runId}: ${errorMessage(error)}`))
      .finally(() => this.executions.delete(runId));
    this.executions.set(runId, execution);
  }

  /** A full run of the configuration as it is now, or a re-read into the reading its trigger names. */
  private async prepare(record: RunRecord, results: ResultsRepository): Promise<PreparedRun> {
    const { tenantId, enrichmentId, runId, trigger } = record;
    const services = { graph: this.options.graph, results };
    if (trigger.kind === 'reread') {
      const held = this.readings.reading(tenantId, enrichmentId, trigger.ofRunId);
      if (!held) {
        throw new RereadUnavailableError(this.readingGone(tenantId, enrichmentId, trigger.ofRunId));
      }
      const problem = await this.rereadProblem(
        await this.config(tenantId, enrichmentId),
        trigger.ofRunId,
        held.basis,
      );
      if (problem) throw new RereadUnavailableError(problem);
      const { reading, basis, expiresAt } = held;
      return {
        entityName: reading.entityName,
        readNow: new Set(unreadMailboxes(reading).map((m) => m.mailboxId)),
        enrich: async (context) => {
          const outcome = await rereadFailedMailboxes(reading, context, services);
          this.readings.settle(tenantId, enrichmentId, runId, reading, basis, expiresAt);
          return outcome;
        },
      };
    }
    const config = await this.config(tenantId, enrichmentId);
    // Read before the inputs: a dataset imported in between makes the basis older, never newer.
    const basis = await this.basisOf(config);
    const inputs = await runInputs(this.options.containers, tenantId, config);
    return {
      entityName: inputs.entityName,
      enrich: async (context) => {
        const { reading, ...outcome } = await runEnrichment({ ...inputs, ...context }, services);
        this.readings.settle(tenantId, enrichmentId, runId, reading, basis);
        return outcome;
      },
    };
  }

  private readingGone(tenantId: string, enrichmentId: string, runId: string): string {
    return `The reading of run ${runId} is no longer kept: ${this.notKept(tenantId, enrichmentId)}`;
  }

  /** Why no reading is kept for the enrichment on this instance, and the way on without one. */
  private notKept(tenantId: string, enrichmentId: string): string {
    const minutes = Math.round(this.readings.ttlMs / 60_000);
    const dropped = this.readings.droppedReading(tenantId, enrichmentId);
    const why =
      minutes === 0
        ? 'this server keeps no readings (REREAD_KEEP_MINUTES is 0).'
        : dropped?.why === 'expired'
          ? `run ${dropped.runId}'s reading was kept for ${durationWords(minutes)}, which have passed.`
          : dropped?.why === 'memory'
            ? `run ${dropped.runId}'s reading was dropped to keep the kept readings within REREAD_MEMORY_MB.`
            : dropped?.why === 'too-large'
              ? `run ${dropped.runId}'s reading was larger than REREAD_MEMORY_MB allows to keep.`
              : `a run that could not read every mailbox is kept for ${durationWords(minutes)}, in the memory of the server that ran it, until it restarts.`;
    return `${why} Start a full run to read every mailbox again.`;
  }

  private async config(tenantId: string, enrichmentId: string): Promise<EnrichmentConfig> {
    const config = await loadEnrichment(this.options.containers, tenantId, enrichmentId);
    if (!config) throw new EnrichmentNotFoundError(enrichmentId);
    return config;
  }
}

/** "2 hours", "1 hour", "90 minutes". */
function durationWords(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} minutes`;
  const hours = minutes / 60;
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}
