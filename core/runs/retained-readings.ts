import { unreadMailboxes, type RunReading } from './enrichment-run';

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

/** Why the enrichment's last reading with unread mailboxes is not held any more. */
export interface DroppedReading {
  runId: string;
  why: 'expired' | 'memory' | 'too-large';
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

/**
 * The last reading of each enrichment whose run could not read every mailbox, held in this
 * instance's memory for a while so that an admin can have only those mailboxes read again. A
 * reading holds the run's whole aggregate (about 700 MB for ten million emails), hence the short
 * lifetime and the memory budget; it is never stored, so a restart or another instance cannot
 * re-read, and the admin is offered a full run instead.
 */
export class RetainedReadings {
  private readonly held = new Map<string, Retained>();
  private readonly dropped = new Map<string, DroppedReading>();
  readonly ttlMs: number;
  readonly maxBytes: number;

  constructor(private readonly options: RetainedReadingsOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_READING_TTL_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_READING_BYTES;
  }

  /**
   * Records the outcome of a run's reading: held when some mailboxes still failed, otherwise the
   * enrichment's earlier reading is dropped (a newer run replaced it). A re-read passes the instant
   * its first run's reading expires, so that re-reading never keeps it longer.
   */
  settle(
    tenantId: string,
    enrichmentId: string,
    runId: string,
    reading: RunReading,
    basis: ReadingBasis,
    expiresAt?: number,
  ): void {
    this.purge();
    const key = keyOf(tenantId, enrichmentId);
    this.held.delete(key);
    this.dropped.delete(key);
    if (this.ttlMs === 0 || unreadMailboxes(reading).length === 0) return;
    const bytes = reading.aggregator.footprint().approxBytes;
    if (bytes > this.maxBytes) {
      this.dropped.set(key, { runId, why: 'too-large' });
      return;
    }
    this.held.set(key, {
      runId,
      reading,
      basis,
      expiresAt: expiresAt ?? this.options.now() + this.ttlMs,
      bytes,
    });
    let total = 0;
    for (const retained of this.held.values()) total += retained.bytes;
    for (const [oldest, retained] of this.held) {
      if (total <= this.maxBytes) break;
      this.drop(oldest, retained, 'memory');
      total -= retained.bytes;
    }
  }

  /** The enrichment's held reading, if it is still held. */
  offer(tenantId: string, enrichmentId: string): HeldReading | undefined {
    this.purge();
    const retained = this.held.get(keyOf(tenantId, enrichmentId));
    if (!retained) return undefined;
    return {
      runId: retained.runId,
      mailboxes: unreadMailboxes(retained.reading).length,
      expiresAt: retained.expiresAt,
      basis: retained.basis,
    };
  }

  /** Why the enrichment's last reading with unread mailboxes was dropped, if it was. */
  droppedReading(tenantId: string, enrichmentId: string): DroppedReading | undefined {
    this.purge();
    return this.dropped.get(keyOf(tenantId, enrichmentId));
  }

  /** The reading of that run, its basis and expiry, if it is the enrichment's held one. */
  reading(
    tenantId: string,
    enrichmentId: string,
    runId: string,
  ): { reading: RunReading; basis: ReadingBasis; expiresAt: number } | undefined {
    this.purge();
    const retained = this.held.get(keyOf(tenantId, enrichmentId));
    return retained?.runId === runId ? retained : undefined;
  }

  /** Drops every expired reading (each access does; the scheduler's pass does so every minute). */
  purge(): void {
    const now = this.options.now();
    for (const [key, retained] of this.held) {
      if (retained.expiresAt <= now) this.drop(key, retained, 'expired');
    }
  }

  /** Drops every reading (the server stops). */
  clear(): void {
    this.held.clear();
    this.dropped.clear();
  }

  private drop(key: string, retained: Retained, why: DroppedReading['why']): void {
    this.held.delete(key);
    this.dropped.set(key, { runId: retained.runId, why });
  }
}

const keyOf = (tenantId: string, enrichmentId: string) => `${tenantId}\u0000${enrichmentId}`;
