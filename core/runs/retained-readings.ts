import type { RunReading } from './enrichment-run';

/** What a reading was computed from: a re-read is refused once either changed. */
export interface ReadingBasis {
  configVersion: number;
  /** When the customer dataset the run read was imported. */
  datasetImportedAt: string;
}

interface Retained {
  runId: string;
  reading: RunReading;
  basis: ReadingBasis;
  expiresAt: number;
  bytes: number;
}

/** A held reading, as offered to admins: which run, how many mailboxes to read again, until when. */
export interface HeldReading {
  runId: string;
  /** Mailboxes the run could not read completely. */
  mailboxes: number;
  /** Epoch milliseconds after which the reading is dropped. */
  expiresAt: number;
  basis: ReadingBasis;
}

export interface RetainedReadingsOptions {
  now(): number;
  /** How long a reading is held after its run; 0 holds none (default two hours). */
  ttlMs?: number;
  /** The memory the held readings' aggregates may take on this instance, the oldest dropped first (default 1 GiB). */
  maxBytes?: number;
}

export const DEFAULT_READING_TTL_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_READING_BYTES = 1024 * 1024 * 1024;

const failedMailboxes = (reading: RunReading) => reading.mailboxes.filter((m) => m.status !== 'ok').length;

/**
 * The last reading of each enrichment whose run could not read every mailbox, held in this
 * instance's memory for a while so that an admin can have only those mailboxes read again. A
 * reading holds the run's whole aggregate (about 700 MB for ten million emails), hence the short
 * lifetime and the memory budget; it is never stored, so a restart or another instance cannot
 * re-read, and the admin is offered a full run instead.
 */
export class RetainedReadings {
  private readonly held = new Map<string, Retained>();
  readonly ttlMs: number;
  private readonly maxBytes: number;

  constructor(private readonly options: RetainedReadingsOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_READING_TTL_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_READING_BYTES;
  }

  /**
   * Records the outcome of a run's reading: held when some mailboxes still failed, otherwise the
   * enrichment's earlier reading is dropped (a newer run replaced it).
   */
  settle(
    tenantId: string,
    enrichmentId: string,
    runId: string,
    reading: RunReading,
    basis: ReadingBasis,
  ): void {
    const key = keyOf(tenantId, enrichmentId);
    this.held.delete(key);
    if (this.ttlMs === 0 || failedMailboxes(reading) === 0) return;
    const bytes = reading.aggregator.footprint().approxBytes;
    if (bytes > this.maxBytes) return;
    this.held.set(key, { runId, reading, basis, expiresAt: this.options.now() + this.ttlMs, bytes });
    let total = 0;
    for (const retained of this.held.values()) total += retained.bytes;
    for (const [oldest, retained] of this.held) {
      if (total <= this.maxBytes) break;
      this.held.delete(oldest);
      total -= retained.bytes;
    }
  }

  /** The enrichment's held reading, if it is still held. */
  offer(tenantId: string, enrichmentId: string): HeldReading | undefined {
    const retained = this.live(tenantId, enrichmentId);
    if (!retained) return undefined;
    return {
      runId: retained.runId,
      mailboxes: failedMailboxes(retained.reading),
      expiresAt: retained.expiresAt,
      basis: retained.basis,
    };
  }

  /** The reading of that run and its basis, if it is the enrichment's held one. */
  reading(
    tenantId: string,
    enrichmentId: string,
    runId: string,
  ): { reading: RunReading; basis: ReadingBasis } | undefined {
    const retained = this.live(tenantId, enrichmentId);
    return retained?.runId === runId ? { reading: retained.reading, basis: retained.basis } : undefined;
  }

  private live(tenantId: string, enrichmentId: string): Retained | undefined {
    const key = keyOf(tenantId, enrichmentId);
    const retained = this.held.get(key);
    if (retained && retained.expiresAt <= this.options.now()) {
      this.held.delete(key);
      return undefined;
    }
    return retained;
  }
}

const keyOf = (tenantId: string, enrichmentId: string) => `${tenantId}\u0000${enrichmentId}`;
