import { LeaseLostError, type Lease, type LeaseRepository } from '../store/lease-repository';
import type { VisibleRun } from '../results/stored-rows';
import type { ResultsRepository } from '../store/results-repository';
import type { RunRepository, StoredRun } from '../store/run-repository';
import {
  discardUnpublished,
  type EnrichmentOutcome,
  type EnrichmentRequest,
  type RunProgress,
} from './enrichment-run';
import type { MailboxReading } from './mailbox-health';
import { ProgressThrottle } from './progress-throttle';
import { advanceSteps, outcomeFields, type RunRecord, type StepTiming } from './run-record';
import { RunWriter } from './run-writer';
import { errorMessage } from '../text/error-text';

/** What every run's enrichment gets from its execution: identity, T, abort, lease check and progress. */
export type RunContext = Pick<
  EnrichmentRequest,
  'tenantId' | 'runId' | 'asOf' | 'signal' | 'discardOnFailure' | 'beforePublish' | 'onProgress'
>;

/** A run ready to execute: a full run of the configuration, or a re-read of a kept reading. */
export interface PreparedRun {
  /** The output entity its rows go to (to remove them when it fails). */
  entityName: string;
  /** The mailboxes it reads (a re-read's); every tracked mailbox when absent. */
  readNow?: ReadonlySet<string>;
  enrich(context: RunContext): Promise<EnrichmentOutcome>;
}

export interface RunTuning {
  /** How long a lease lasts without renewal. */
  leaseTtlMs: number;
  /** How often a held lease is renewed. */
  leaseRenewMs: number;
  /** At most one progress write per interval (step changes are written at once). */
  progressIntervalMs: number;
}

export interface RunExecution {
  stored: StoredRun;
  lease: Lease;
  runs: RunRepository;
  leases: LeaseRepository;
  results: ResultsRepository;
  now(): number;
  tuning: RunTuning;
  /** Aborted when this server instance stops. */
  shutdown: AbortSignal;
  /** Waits for a free run slot on this instance; resolves with the function that frees it. */
  slot(signal: AbortSignal): Promise<() => void>;
  /** Reads what the run needs when it starts (its configuration, or the reading it continues). */
  prepare(record: RunRecord): Promise<PreparedRun>;
  succeeded(record: RunRecord, visible: VisibleRun): Promise<void>;
  /**
   * Records each tracked mailbox's health once the run has published, before it is recorded
   * succeeded (a reader who sees it succeeded sees its mailboxes' health); `readNow`: the mailboxes
   * it read, when not all.
   */
  mailboxesRead(
    record: RunRecord,
    mailboxes: readonly MailboxReading[],
    readNow: ReadonlySet<string> | undefined,
  ): Promise<void>;
  log(line: string): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

class Ownership {
  lost = false;
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;

  constructor(shutdown: AbortSignal) {
    if (shutdown.aborted) this.controller.abort(shutdown.reason);
    else shutdown.addEventListener('abort', () => this.controller.abort(shutdown.reason), { once: true });
  }

  lose(reason: string): void {
    this.lost = true;
    this.controller.abort(new Error(reason));
  }
}

/**
 * One run on this instance, from queued to its end: holds and renews the lease, persists progress
 * (throttled), runs the enrichment and records the outcome. If another instance took the run over
 * (an expired lease, a newer record), it stops without writing anything more. A stop of this
 * instance leaves the run `interrupted`, to be resumed with the same run id.
 */
export async function executeRun(run: RunExecution): Promise<void> {
  const ownership = new Ownership(run.shutdown);
  const writer = new RunWriter(run.runs, run.stored, () => ownership.lose('the run record changed'));
  let lease = run.lease;
  const renew = async () => {
    try {
      lease = await run.leases.renew(lease, run.now(), run.tuning.leaseTtlMs);
    } catch (error) {
      if (error instanceof LeaseLostError) ownership.lose(error.message);
      throw error;
    }
  };
  const renewal = setInterval(() => void renew().catch(() => undefined), run.tuning.leaseRenewMs);
  renewal.unref();

  let steps: StepTiming[] = [];
  let progress: RunProgress | null = null;
  const throttle = new ProgressThrottle(
    (p) => writer.update((r) => ({ ...r, progress: { ...p, updatedAt: iso(run.now()) }, steps })),
    run.tuning.progressIntervalMs,
    run.now,
  );
  let freeSlot: (() => void) | undefined;
  let entityName: string | undefined;
  try {
    freeSlot = await run.slot(ownership.signal);
    const prepared = await run.prepare(writer.record);
    entityName = prepared.entityName;
    const startedAt = run.now();
    await writer.update((r) => ({
      ...r,
      status: 'running',
      startedAt: r.startedAt ?? iso(startedAt),
      progress: null,
      steps: [],
      error: null,
    }));
    ownership.signal.throwIfAborted();
    const outcome = await prepared.enrich({
      tenantId: writer.record.tenantId,
      runId: writer.record.runId,
      asOf: Date.parse(writer.record.asOf),
      signal: ownership.signal,
      discardOnFailure: false,
      beforePublish: renew,
      onProgress: (p) => {
        progress = p;
        steps = advanceSteps(steps, p.step, run.now());
        throttle.report(p);
      },
    });
    await throttle.flush();
    if (!ownership.lost && !writer.isLost) {
      await run
        .mailboxesRead(writer.record, outcome.mailboxes, prepared.readNow)
        .catch((error: unknown) =>
          run.log(`run ${writer.record.runId}: mailbox health not recorded: ${errorMessage(error)}`),
        );
    }
    const finishedAt = run.now();
    steps = advanceSteps(steps, null, finishedAt);
    await writer.update((r) => ({
      ...r,
      status: 'succeeded',
      finishedAt: iso(finishedAt),
      durationMs: finishedAt - Date.parse(r.startedAt ?? r.queuedAt),
      steps,
      ...outcomeFields(outcome, progress),
    }));
    if (writer.isLost) return;
    await run.leases.release(lease);
    await run.succeeded(writer.record, outcome.visible);
  } catch (error) {
    throttle.cancel();
    await throttle.flush();
    if (ownership.lost || writer.isLost) {
      run.log(`run ${writer.record.runId}: taken over by another instance, stopped here`);
      return;
    }
    const interrupted = run.shutdown.aborted;
    const finishedAt = run.now();
    steps = advanceSteps(steps, null, finishedAt);
    if (entityName) await discardUnpublished(entityName, run.results).catch(() => undefined);
    await writer
      .update((r) => ({
        ...r,
        status: interrupted ? 'interrupted' : 'failed',
        finishedAt: interrupted ? null : iso(finishedAt),
        durationMs: interrupted ? null : finishedAt - Date.parse(r.startedAt ?? r.queuedAt),
        steps,
        error: interrupted ? 'interrupted by a shutdown of the server' : errorMessage(error),
      }))
      .catch((writeError: unknown) => run.log(`run ${writer.record.runId}: ${errorMessage(writeError)}`));
    if (!writer.isLost) await run.leases.release(lease).catch(() => undefined);
    if (!interrupted) run.log(`run ${writer.record.runId} failed: ${errorMessage(error)}`);
  } finally {
    clearInterval(renewal);
    freeSlot?.();
  }
}
