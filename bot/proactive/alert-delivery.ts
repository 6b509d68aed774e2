import { listAllEnrichments } from '../../core/config/enrichment-config';
import type { RunSucceededEvent } from '../../core/runs/run-service';
import { ScheduleLoop } from '../../core/runs/schedule';
import type { Containers } from '../../core/store/containers';
import type { AlertSender, DeliveryReport } from './alert-sender';

export interface AlertDeliveryOptions {
  sender: AlertSender;
  containers: Containers;
  /** How often alerts whose delivery failed are tried again (default 5 minutes). */
  retryIntervalMs?: number;
  log?: (line: string) => void;
}

/**
 * When alerts go out: right after each successful run (its new alerts), and on a timer for the
 * ones whose delivery failed before. Passes of one tenant never overlap; stopping aborts waits
 * between retries (an alert interrupted there was not delivered and is sent by a later pass).
 */
export class AlertDelivery {
  private readonly passes = new Map<string, Promise<DeliveryReport | undefined>>();
  private readonly shutdown = new AbortController();
  private readonly loop: ScheduleLoop;
  private readonly log: (line: string) => void;

  constructor(private readonly options: AlertDeliveryOptions) {
    this.log = options.log ?? ((line) => console.log(`[alerts] ${line}`));
    this.loop = new ScheduleLoop(
      () => this.retryAll(),
      options.retryIntervalMs ?? 5 * 60_000,
      (error) => this.log(`retry pass: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** A RunService hook: starts delivering the run's alerts and returns without waiting for them. */
  readonly onRunSucceeded = (event: RunSucceededEvent): Promise<void> => {
    void this.deliver(event.tenantId);
    return Promise.resolve();
  };

  /** Delivers the tenant's pending alerts after any pass of the tenant already under way. */
  deliver(tenantId: string): Promise<DeliveryReport | undefined> {
    const previous = this.passes.get(tenantId) ?? Promise.resolve(undefined);
    const pass = previous
      .catch(() => undefined)
      .then(() => this.options.sender.deliverPending(tenantId, this.shutdown.signal))
      .catch((error: unknown) => {
        if (!this.shutdown.signal.aborted) {
          this.log(`tenant ${tenantId}: ${error instanceof Error ? error.message : String(error)}`);
        }
        return undefined;
      });
    this.passes.set(tenantId, pass);
    void pass.finally(() => {
      if (this.passes.get(tenantId) === pass) this.passes.delete(tenantId);
    });
    return pass;
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
}
