import type { Container } from '@azure/cosmos';
import { isCosmosStatus } from './cosmos-errors';

/**
 * Where one alert's delivery stands, written around every send so that no alert reaches its owner
 * twice, whatever stops in between:
 * - `sending`: a send is in flight; if its holder vanished (the claim expired) the message may or
 *   may not have arrived, so it becomes `unknown` and is never sent again;
 * - `waiting`: claimed, and no send in flight (none yet, or the last one was refused, so the
 *   message did not arrive); another try may follow, by anyone once the claim expired;
 * - `sent`, `unknown`: final;
 * - `failed`: the sender gave up for now; a later pass may claim it again.
 */
export type ClaimState = 'sending' | 'waiting' | 'sent' | 'unknown' | 'failed';

export interface DeliveryClaim {
  alertId: string;
  state: ClaimState;
  /** The sender instance holding the claim. */
  holder: string;
  /** Sends tried under this claim, over all passes. */
  sends: number;
  updatedAt: string;
  /** Epoch milliseconds after which a `sending` or `waiting` claim is abandoned. */
  expiresAt: number;
  activityId?: string;
  error?: string;
}

/** A claim and the version it was read or written at (for the next conditional write). */
export interface HeldClaim {
  claim: DeliveryClaim;
  etag: string;
}

type Document = DeliveryClaim & { id: string; tenantId: string; type: 'delivery-claim' };

const claimId = (alertId: string) => `delivery:${alertId}`;

function toClaim(document: Document): DeliveryClaim {
  const { alertId, state, holder, sends, updatedAt, expiresAt, activityId, error } = document;
  return {
    alertId,
    state,
    holder,
    sends,
    updatedAt,
    expiresAt,
    ...(activityId ? { activityId } : {}),
    ...(error ? { error } : {}),
  };
}

/** The outcome of claiming: the claim is ours, or someone's state stands. */
export type ClaimAttempt = { held: HeldClaim } | { existing: HeldClaim };

/** Claims that make alert delivery at most once, in the `conversations` container. */
export class DeliveryClaims {
  constructor(
    private readonly container: Container,
    readonly tenantId: string,
  ) {}

  async read(alertId: string): Promise<HeldClaim | undefined> {
    const { resource, etag } = await this.container.item(claimId(alertId), this.tenantId).read<Document>();
    return resource ? { claim: toClaim(resource), etag } : undefined;
  }

  /**
   * Takes the alert's claim for `holder` (state `waiting`: nothing in flight yet): a new claim, or one that a sender gave
   * up (`failed`) or abandoned between sends (`waiting`, expired). Any other claim is returned as
   * it stands: sent, unknown, or in another sender's hands.
   */
  async claim(alertId: string, holder: string, now: number, ttlMs: number): Promise<ClaimAttempt> {
    const fresh: DeliveryClaim = {
      alertId,
      state: 'waiting',
      holder,
      sends: 0,
      updatedAt: new Date(now).toISOString(),
      expiresAt: now + ttlMs,
    };
    try {
      const { etag } = await this.container.items.create(this.document(fresh));
      return { held: { claim: fresh, etag: etag ?? '' } };
    } catch (error) {
      if (!isCosmosStatus(error, 409)) throw error;
    }
    const current = await this.read(alertId);
    if (!current) return this.claim(alertId, holder, now, ttlMs);
    const { claim } = current;
    const free = claim.state === 'failed' || (claim.state === 'waiting' && claim.expiresAt <= now);
    if (!free) return { existing: current };
    try {
      return { held: await this.write(current, { ...fresh, sends: claim.sends }) };
    } catch (error) {
      if (!isCosmosStatus(error, 412)) throw error;
      return { existing: (await this.read(alertId)) ?? current };
    }
  }

  /** Replaces a held claim if nobody changed it meanwhile (Cosmos 412 otherwise). */
  async write(held: HeldClaim, claim: DeliveryClaim): Promise<HeldClaim> {
    const { etag } = await this.container
      .item(claimId(held.claim.alertId), this.tenantId)
      .replace(this.document(claim), { accessCondition: { type: 'IfMatch', condition: held.etag } });
    return { claim, etag: etag ?? '' };
  }

  private document(claim: DeliveryClaim): Document {
    return { ...claim, id: claimId(claim.alertId), tenantId: this.tenantId, type: 'delivery-claim' };
  }
}
