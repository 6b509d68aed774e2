import { RunRecordChangedError, type RunRepository, type StoredRun } from '../store/run-repository';
import type { RunRecord } from './run-record';

/**
 * The executing instance's writes to one run record, one at a time, each guarded by the record's
 * ETag: if another instance took the run over, the first write that notices calls `onLost` and
 * every later write is skipped.
 */
export class RunWriter {
  private stored: StoredRun;
  private queue: Promise<void> = Promise.resolve();
  private lost = false;

  constructor(
    private readonly runs: RunRepository,
    stored: StoredRun,
    private readonly onLost: () => void,
  ) {
    this.stored = stored;
  }

  get record(): RunRecord {
    return this.stored.record;
  }

  get isLost(): boolean {
    return this.lost;
  }

  /** Queues a change of the record; resolves when it is written (or skipped, the run being lost). */
  update(change: (record: RunRecord) => RunRecord): Promise<void> {
    const write = this.queue.then(async () => {
      if (this.lost) return;
      try {
        this.stored = await this.runs.replace(this.stored, change(this.stored.record));
      } catch (error) {
        if (!(error instanceof RunRecordChangedError)) throw error;
        this.lost = true;
        this.onLost();
      }
    });
    // A failed write fails its caller, not the writes queued after it.
    this.queue = write.catch(() => undefined);
    return write;
  }
}
