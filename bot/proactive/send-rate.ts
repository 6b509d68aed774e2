import type { Clock } from '../../core/graph/clock';

export interface Rate {
  /** Sends per second, sustained. */
  perSecond: number;
  /** Sends allowed at once after a quiet spell. */
  burst: number;
}

/**
 * Teams limits a bot's traffic per app and tenant (about 50 requests a second) and per
 * conversation (7 a second, 60 in 30 seconds). The sender stays under both with a token bucket per
 * tenant and per conversation, so 429s are the exception rather than the pacing mechanism.
 */
export const TEAMS_RATES = {
  tenant: { perSecond: 40, burst: 40 },
  conversation: { perSecond: 1, burst: 4 },
} as const satisfies Record<string, Rate>;

/** Buckets kept before idle ones (full again, so the same as new) are dropped. */
const MAX_BUCKETS = 1_000;
const IDLE_MS = 60_000;

class TokenBucket {
  private tokens: number;
  updated: number;

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.updated = now;
  }

  /** Takes a token now (0) or says how long until one is there. */
  take(now: number): number {
    this.tokens = Math.min(
      this.rate.burst,
      this.tokens + ((now - this.updated) / 1000) * this.rate.perSecond,
    );
    this.updated = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000);
  }
}

/** Paces sends per tenant and per conversation; `acquire` resolves when a send may go. */
export class SendRate {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly clock: Clock,
    private readonly rates: { tenant: Rate; conversation: Rate } = TEAMS_RATES,
  ) {}

  async acquire(tenantId: string, conversationId: string, signal?: AbortSignal): Promise<void> {
    await this.take(`t:${tenantId}`, this.rates.tenant, signal);
    await this.take(`c:${tenantId}:${conversationId}`, this.rates.conversation, signal);
  }

  private async take(key: string, rate: Rate, signal: AbortSignal | undefined): Promise<void> {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const now = this.clock.now();
      if (this.buckets.size >= MAX_BUCKETS) {
        for (const [name, idle] of this.buckets) if (now - idle.updated >= IDLE_MS) this.buckets.delete(name);
      }
      bucket = new TokenBucket(rate, now);
      this.buckets.set(key, bucket);
    }
    for (let wait = bucket.take(this.clock.now()); wait > 0; wait = bucket.take(this.clock.now())) {
      await this.clock.sleep(wait, signal);
    }
  }
}
