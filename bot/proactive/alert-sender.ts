import { setMaxListeners } from 'node:events';
import { systemClock, type Clock } from '../../core/graph/clock';
import { retryPolicy, RetryBudget, type RetryPolicy } from '../../core/graph/retry';
import type { StaleAlert } from '../../core/store/alert-store';
import { pendingAlerts, recordDelivery, type DeliveryOutcome } from '../../core/segments/stale-alerts';
import type { Containers } from '../../core/store/containers';
import { ConversationRepository, type PersonalConversation } from '../../core/store/conversation-repository';
import { isCosmosStatus } from '../../core/store/cosmos-errors';
import { DeliveryClaims, type DeliveryClaim, type HeldClaim } from '../../core/store/delivery-claims';
import type { AdaptiveCard } from '../cards/adaptive';
import type { ProactiveChannel } from '../channel';
import { classifySendFailure } from './send-failure';
import { SendRate, TEAMS_RATES, type Rate } from './send-rate';

export type AlertOutcome = 'sent' | 'failed' | 'skipped-not-installed' | 'unknown' | 'busy';

export type DeliveryReport = Record<AlertOutcome, number>;

export interface AlertSenderOptions {
  containers: Containers;
  channel: ProactiveChannel;
  /** The card that carries an alert to its owner. */
  cardFor(alert: StaleAlert): AdaptiveCard;
  /** This sender, as holder of delivery claims. */
  instanceId: string;
  clock?: Clock;
  random?: () => number;
  /** Retries of one alert within a delivery pass (default: 5 sends, waits of 1 s doubling up to 30 s, 2 min in all). */
  retry?: Partial<RetryPolicy>;
  rates?: { tenant: Rate; conversation: Rate };
  /** How long a send may be in flight before its claim counts as abandoned (default 2 min). */
  claimTtlMs?: number;
  /** Alerts sent at once (default 16: enough to reach the pacing with sends of up to 400 ms). */
  concurrency?: number;
  log?: (line: string) => void;
}

const DEFAULT_RETRY: Partial<RetryPolicy> = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxTotalWaitMs: 120_000,
};

const INTERRUPTED =
  'The send was interrupted before its outcome was known; the alert may have arrived, so it is not sent again.';

class ClaimLostError extends Error {}

/**
 * Delivers stale-account alerts to their owners' personal chats with the bot, in the manner of
 * Company Communicator: paced per tenant and conversation, each alert retried on 429, 412 and 5xx
 * with jittered backoff that honours Retry-After, up to a cap, and never sent twice. A claim is
 * written before each send and settled after it (see DeliveryClaims), so a crash at any point
 * either leaves the alert unsent (and sendable) or records its delivery as `unknown` (possibly
 * sent, never resent). Owners who never installed the app are recorded as skipped; their open
 * alerts are offered again once they install it (AlertDelivery.ownerInstalled).
 */
export class AlertSender {
  private readonly clock: Clock;
  private readonly policy: RetryPolicy;
  private readonly rate: SendRate;
  private readonly claimTtlMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: AlertSenderOptions) {
    this.clock = options.clock ?? systemClock;
    this.policy = retryPolicy({ ...DEFAULT_RETRY, ...options.retry });
    this.rate = new SendRate(this.clock, options.rates ?? TEAMS_RATES);
    this.claimTtlMs = options.claimTtlMs ?? 120_000;
    this.log = options.log ?? ((line) => console.log(`[alerts] ${line}`));
  }

  /** Delivers the tenant's pending alerts, oldest first; an abort stops it between sends. */
  async deliverPending(tenantId: string, signal?: AbortSignal): Promise<DeliveryReport> {
    const alerts = await pendingAlerts(this.options.containers, tenantId);
    const report: DeliveryReport = { sent: 0, failed: 0, 'skipped-not-installed': 0, unknown: 0, busy: 0 };
    // An owner often has several alerts: their conversation is looked up once per pass.
    const conversations = new Map<string, Promise<PersonalConversation | undefined>>();
    const repository = new ConversationRepository(this.options.containers.conversations, tenantId);
    const conversationOf = (email: string) => {
      let found = conversations.get(email);
      if (!found) conversations.set(email, (found = repository.personalByEmail(email)));
      return found;
    };
    const concurrency = Math.max(1, this.options.concurrency ?? 16);
    // Each worker's waits listen on the pass's own signal (one wait at a time per worker), and the
    // caller's signal gets a single listener per pass, however many workers wait.
    const pass = new AbortController();
    setMaxListeners(concurrency, pass.signal);
    const stop = () => pass.abort(signal?.reason);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    let next = 0;
    const worker = async () => {
      for (let alert = alerts[next++]; alert; alert = alerts[next++]) {
        pass.signal.throwIfAborted();
        report[await this.deliver(tenantId, alert, pass.signal, conversationOf)] += 1;
      }
    };
    try {
      await Promise.all(Array.from({ length: concurrency }, worker));
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    if (alerts.length) {
      this.log(
        `tenant ${tenantId}: ${Object.entries(report)
          .filter(([, n]) => n)
          .map(([outcome, n]) => `${n} ${outcome}`)
          .join(', ')}`,
      );
    }
    return report;
  }

  /** Delivers one alert (at most once, whoever else tries at the same time). */
  async deliver(
    tenantId: string,
    alert: StaleAlert,
    signal?: AbortSignal,
    conversationOf: (email: string) => Promise<PersonalConversation | undefined> = (email) =>
      new ConversationRepository(this.options.containers.conversations, tenantId).personalByEmail(email),
  ): Promise<AlertOutcome> {
    const owner = alert.owner?.email;
    if (!owner) return 'failed';
    const conversation = await conversationOf(owner);
    if (!conversation) {
      await this.record(tenantId, alert, { status: 'skipped-not-installed', at: this.clock.now() });
      return 'skipped-not-installed';
    }
    const claims = new DeliveryClaims(this.options.containers.conversations, tenantId);
    const attempt = await claims.claim(
      alert.alertId,
      this.options.instanceId,
      this.clock.now(),
      this.claimTtlMs,
    );
    try {
      if ('existing' in attempt) return await this.settle(tenantId, alert, claims, attempt.existing);
      return await this.send(tenantId, alert, conversation, claims, attempt.held, signal);
    } catch (error) {
      if (error instanceof ClaimLostError) return 'busy';
      throw error;
    }
  }

  /** An alert claimed before: repairs its record (sent, or outcome unknown) after a crash, or leaves it to its holder. */
  private async settle(
    tenantId: string,
    alert: StaleAlert,
    claims: DeliveryClaims,
    existing: HeldClaim,
  ): Promise<AlertOutcome> {
    const { claim } = existing;
    if (claim.state === 'sent') {
      if (alert.delivery.status !== 'sent') {
        await this.record(tenantId, alert, { status: 'sent', at: Date.parse(claim.updatedAt) });
      }
      return 'sent';
    }
    if (claim.state === 'unknown') {
      if (alert.delivery.status !== 'unknown') {
        await this.record(tenantId, alert, {
          status: 'unknown',
          error: claim.error ?? INTERRUPTED,
          at: Date.parse(claim.updatedAt),
        });
      }
      return 'unknown';
    }
    if (claim.state === 'sending' && claim.expiresAt <= this.clock.now()) {
      await this.update(claims, existing, { state: 'unknown', error: INTERRUPTED });
      await this.record(tenantId, alert, { status: 'unknown', error: INTERRUPTED, at: this.clock.now() });
      return 'unknown';
    }
    return 'busy';
  }

  private async send(
    tenantId: string,
    alert: StaleAlert,
    conversation: PersonalConversation,
    claims: DeliveryClaims,
    initial: HeldClaim,
    signal: AbortSignal | undefined,
  ): Promise<AlertOutcome> {
    const { reference } = conversation;
    const budget = new RetryBudget(this.policy, this.options.random);
    let held = initial;
    for (;;) {
      await this.rate.acquire(
        tenantId,
        this.options.channel.conversationId(reference) ?? conversation.userId,
        signal,
      );
      held = await this.update(claims, held, {
        state: 'sending',
        sends: held.claim.sends + 1,
        expiresAt: this.clock.now() + this.claimTtlMs,
      });
      let activityId: string | undefined;
      try {
        activityId = await this.options.channel.send(reference, this.options.cardFor(alert));
      } catch (error) {
        const failure = classifySendFailure(error, this.clock.now());
        if (failure.kind === 'unknown') {
          const message = `${failure.message}. ${INTERRUPTED}`;
          await this.update(claims, held, { state: 'unknown', error: message });
          await this.record(tenantId, alert, { status: 'unknown', error: message, at: this.clock.now() });
          return 'unknown';
        }
        const wait = failure.kind === 'retry' ? budget.next(failure.retryAfterMs) : undefined;
        if (wait === undefined) {
          const message =
            failure.kind === 'retry'
              ? `${failure.message} (gave up after ${budget.attemptsMade} tries)`
              : failure.message;
          await this.update(claims, held, { state: 'failed', error: message });
          await this.record(tenantId, alert, {
            status: 'failed',
            error: message,
            refused: failure.kind === 'final',
            at: this.clock.now(),
          });
          return 'failed';
        }
        held = await this.update(claims, held, {
          state: 'waiting',
          error: failure.message,
          expiresAt: this.clock.now() + wait + this.claimTtlMs,
        });
        // An abort here leaves the claim `waiting`: the alert did not arrive and is sent after the claim expires.
        await this.clock.sleep(wait, signal);
        continue;
      }
      await this.update(claims, held, { state: 'sent', ...(activityId ? { activityId } : {}) });
      await this.record(tenantId, alert, { status: 'sent', at: this.clock.now() });
      return 'sent';
    }
  }

  private async update(
    claims: DeliveryClaims,
    held: HeldClaim,
    change: Partial<DeliveryClaim>,
  ): Promise<HeldClaim> {
    const { error: _error, ...rest } = held.claim;
    try {
      return await claims.write(held, {
        ...rest,
        ...change,
        holder: this.options.instanceId,
        updatedAt: new Date(this.clock.now()).toISOString(),
      });
    } catch (error) {
      if (isCosmosStatus(error, 412))
        throw new ClaimLostError(`alert ${held.claim.alertId}: claimed by another sender`);
      throw error;
    }
  }

  private async record(tenantId: string, alert: StaleAlert, outcome: DeliveryOutcome): Promise<void> {
    await recordDelivery(this.options.containers, tenantId, alert.alertId, outcome);
  }
}
