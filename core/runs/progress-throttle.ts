import type { RunProgress } from './enrichment-run';

/**
 * Persists a run's progress without writing on every page: at once when the step changes, else at
 * most once per interval, the latest state winning (a change inside the interval is written when
 * it ends). Writes never overlap.
 */
export class ProgressThrottle {
  private latest: RunProgress | undefined;
  private writtenStep: RunProgress['step'] | undefined;
  private lastWriteAt = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (progress: RunProgress) => Promise<void>,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  report(progress: RunProgress): void {
    this.latest = progress;
    const wait = this.lastWriteAt + this.intervalMs - this.now();
    if (progress.step !== this.writtenStep || wait <= 0) this.writeLatest();
    else this.timer ??= setTimeout(() => this.writeLatest(), wait);
  }

  /** Writes what is pending, then resolves once every write has ended. */
  async flush(): Promise<void> {
    if (this.timer) this.writeLatest();
    await this.writing;
  }

  /** Drops what is pending (the run ended another way). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
  }

  private writeLatest(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const progress = this.latest;
    if (!progress) return;
    this.latest = undefined;
    this.writtenStep = progress.step;
    this.lastWriteAt = this.now();
    this.writing = this.writing.then(() => this.write(progress));
  }
}
