import { setMaxListeners } from 'node:events';
import { listAllEnrichments } from '../../core/config/enrichment-config';
import type { RunSucceededEvent } from '../../core/runs/run-service';
import { ScheduleLoop } from '../../core/runs/schedule';
import { requeueNotInstalled } from '../../core/segments/stale-alerts';
import type { Containers } from '../../core/store/containers';
import type { AlertSender, DeliveryReport } from './alert-sender';
import { errorMessage } from '../../core/text/error-text';

export interface AlertDeliveryOptions {
  sender: AlertSender;
  containers: Containers;
  /** How often alerts whose delivery failed are tried again (default 5 minutes). */
  retryIntervalMs?: number;
  log?: (line: string) => void;
}

/**
 * When alerts go out: right after each successful run (its new alerts), on a timer for the ones
 * whose delivery failed before, and when an owner installs the app (their alerts skipped as not
 * installed). Passes of one tenant never overlap; stopping aborts waits
 * between retries (an alert interrupted there was not delivered and is sent by a later pass).
 */
export class AlertDelivery {
  private readonly passes = new Map<string, Promise<DeliveryReport | undefined>>();
  private readonly shutdown = new AbortController();
  private readonly loop: ScheduleLoop;
  private readonly log: (line: string) => void;

  constructor(private readonly options: AlertDeliveryOptions) {
    // Each tenant's pass in flight listens on it once, and a retry pass runs every tenant at once.
    setMaxListeners(0, this.shutdown.signal);
    this.log = options.log ?? ((line) => console.log(`[alerts] ${line}`));
    this.loop = new ScheduleLoop(
      () => this.retryAll(),
      options.retryIntervalMs ?? 5 * 60_000,
      (error) => this.log(`retry pass: ${errorMessage(error)}`),
    );
  }

  /** A RunService hook: starts delivering the run's alerts and returns without waiting for them. */
  readonly onRunSucceeded = (event: RunSucceededEvent): Promise<void> => {
    void this.deliver(event.tenantId);
    return Promise.resolve();
  };

  /** Delivers the tenant's pending alerts after any pass of the tenant already under way. */
  deliver(tenantId: string): Promise<DeliveryReport | undefined> {
    return this.enqueue(tenantId, () => this.options.sender.deliverPending(tenantId, this.shutdown.signal));
  }

  /**
   * The user now has a personal chat with the bot: their open alerts skipped as not installed are
   * queued again and delivered. This runs after any pass of the tenant under way here, so the
   * alerts that pass skips are among them.
   */
  ownerInstalled(tenantId: string, email: string): Promise<DeliveryReport | undefined> {
    return this.enqueue(tenantId, async () =>
      (await requeueNotInstalled(this.options.containers, { tenantId, email }))
        ? this.options.sender.deliverPending(tenantId, this.shutdown.signal)
        : undefined,
    );
  }

  /** Resolves when no delivery pass is under way. */
  async idle(): Promise<void> {
    while (this.passes.size) await Promise.all(this.passes.values());
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.shutdown.abort(new Error('the server is stopping'));
    await this.loop.stop();
    await this.idle();
  }

  private async retryAll(): Promise<void> {
    const tenants = new Set((await listAllEnrichments(this.options.containers)).map((c) => c.tenantId));
    await Promise.all([...tenants].map((tenantId) => this.deliver(tenantId)));
  }

  private enqueue(
    tenantId: string,
    work: () => Promise<DeliveryReport | undefined>,
  ): Promise<DeliveryReport | undefined> {
    const previous = this.passes.get(tenantId) ?? Promise.resolve(undefined);
    const pass = previous
      .catch(() => undefined)
      .then(work)
      .catch((error: unknown) => {
        if (!this.shutdown.signal.aborted) {
          this.log(`tenant ${tenantId}: ${errorMessage(error)}`);
        }
        return undefined;
      });
    this.passes.set(tenantId, pass);
    void pass.finally(() => {
      if (this.passes.get(tenantId) === pass) this.passes.delete(tenantId);
    });
    return pass;
  }
}
