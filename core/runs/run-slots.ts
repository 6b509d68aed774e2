/** At most `size` runs execute at once on this instance; the others wait, queued, in order. */
export class RunSlots {
  private free: number;
  private readonly waiting: { grant: () => void; signal: AbortSignal }[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Resolves with the function that frees the slot; rejects if the signal aborts while waiting. */
  acquire(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const waiter = {
        signal,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.grantNext();
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.free += 1;
      this.grantNext();
    };
  }

  private grantNext(): void {
    while (this.free > 0 && this.waiting.length > 0) {
      this.free -= 1;
      this.waiting.shift()?.grant();
    }
  }
}
