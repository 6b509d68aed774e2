import type { Container } from '@azure/cosmos';
import { isCosmosStatus } from './cosmos-errors';

/** Who holds an enrichment's run lease, for which run, until when. */
export interface LeaseState {
  tenantId: string;
  enrichmentId: string;
  runId: string;
  /** The server instance holding it. */
  holder: string;
  acquiredAt: string;
  /** Epoch milliseconds; past it, any instance may take the lease over. */
  expiresAt: number;
}

/** A held lease: its state and the ETag the next renewal or release must match. */
export interface Lease extends LeaseState {
  etag: string;
}

interface LeaseDocument extends LeaseState {
  id: string;
  type: 'lease';
  _etag?: string;
}

export type AcquireResult = { acquired: Lease } | { heldBy: LeaseState };

/** The lease was taken over (it had expired) or removed: its holder must stop. */
export class LeaseLostError extends Error {
  constructor(readonly enrichmentId: string) {
    super(`The run lease of enrichment ${enrichmentId} was lost to another instance.`);
    this.name = 'LeaseLostError';
  }
}

const MAX_ACQUIRE_ATTEMPTS = 5;

const leaseId = (enrichmentId: string) => `lease:${encodeURIComponent(enrichmentId)}`;

function toLease(document: LeaseDocument): Lease {
  const { tenantId, enrichmentId, runId, holder, acquiredAt, expiresAt } = document;
  return { tenantId, enrichmentId, runId, holder, acquiredAt, expiresAt, etag: document._etag ?? '' };
}

/**
 * One run at a time per enrichment, across server instances: a lease document per enrichment in
 * the `runs` container, changed only with ETag optimistic concurrency. Acquire creates it when
 * absent or replaces it when expired; whichever write the store accepts first wins, and the other
 * instance sees a 409 or 412 and backs off.
 */
export class LeaseRepository {
  constructor(private readonly container: Container) {}

  async read(tenantId: string, enrichmentId: string): Promise<Lease | undefined> {
    const { resource } = await this.container.item(leaseId(enrichmentId), tenantId).read<LeaseDocument>();
    return resource ? toLease(resource) : undefined;
  }

  async acquire(input: {
    tenantId: string;
    enrichmentId: string;
    runId: string;
    holder: string;
    now: number;
    ttlMs: number;
  }): Promise<AcquireResult> {
    const document: LeaseDocument = {
      id: leaseId(input.enrichmentId),
      type: 'lease',
      tenantId: input.tenantId,
      enrichmentId: input.enrichmentId,
      runId: input.runId,
      holder: input.holder,
      acquiredAt: new Date(input.now).toISOString(),
      expiresAt: input.now + input.ttlMs,
    };
    // A lost race is retried: the winner may have released the lease again in between.
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(input.tenantId, input.enrichmentId);
      if (current && current.expiresAt > input.now) return { heldBy: current };
      try {
        const { resource } = current
          ? await this.container.item(document.id, input.tenantId).replace<LeaseDocument>(document, {
              accessCondition: { type: 'IfMatch', condition: current.etag },
            })
          : await this.container.items.create<LeaseDocument>(document);
        return { acquired: toLease(resource as LeaseDocument) };
      } catch (error) {
        const lostRace =
          isCosmosStatus(error, 409) || isCosmosStatus(error, 412) || isCosmosStatus(error, 404);
        if (!lostRace || attempt === MAX_ACQUIRE_ATTEMPTS) throw error;
      }
    }
  }

  /** Extends a held lease; throws LeaseLostError when another instance took it over. */
  async renew(lease: Lease, now: number, ttlMs: number): Promise<Lease> {
    const { etag: _etag, ...state } = lease;
    const document: LeaseDocument = {
      ...state,
      id: leaseId(lease.enrichmentId),
      type: 'lease',
      expiresAt: now + ttlMs,
    };
    try {
      const { resource } = await this.container
        .item(document.id, lease.tenantId)
        .replace<LeaseDocument>(document, { accessCondition: { type: 'IfMatch', condition: lease.etag } });
      return toLease(resource as LeaseDocument);
    } catch (error) {
      if (isCosmosStatus(error, 412) || isCosmosStatus(error, 404))
        throw new LeaseLostError(lease.enrichmentId);
      throw error;
    }
  }

  /** Gives a held lease up; a lease already taken over is left to its new holder. */
  async release(lease: Lease): Promise<void> {
    try {
      await this.container
        .item(leaseId(lease.enrichmentId), lease.tenantId)
        .delete({ accessCondition: { type: 'IfMatch', condition: lease.etag } });
    } catch (error) {
      if (!isCosmosStatus(error, 412) && !isCosmosStatus(error, 404)) throw error;
    }
  }
}
