/**
 * Bounds how many Graph requests are in flight: at most `global` in all, and at most `perKey` for one
 * key (a mailbox). Waiters are served first come, first served. A per-key slot is taken before the
 * global one, so a request queued behind its own mailbox never holds a global slot others could use.
 */

export type Release = () => void;

export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  async acquire(): Promise<Release> {
    if (this.active < this.limit) {
      this.active += 1;
    } else {
      // The releasing holder hands its slot straight to the first waiter, so `active` is unchanged.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active -= 1;
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}

export interface LimiterSettings {
  global: number;
  perKey: number;
}

export class RequestLimiter {
  private readonly globalSlots: Semaphore;
  private readonly keyed = new Map<string, Semaphore>();
  private peakGlobal = 0;
  private readonly peakByKey = new Map<string, number>();

  constructor(readonly settings: LimiterSettings) {
    this.globalSlots = new Semaphore(settings.global);
    if (!Number.isInteger(settings.perKey) || settings.perKey < 1) {
      throw new RangeError(`perKey must be a positive integer, got ${settings.perKey}`);
    }
  }

  /** Waits for a slot (for the key when one is given, and a global one) and returns its release. */
  async acquire(key?: string): Promise<Release> {
    let keySlots: Semaphore | undefined;
    let releaseKey: Release | undefined;
    if (key !== undefined) {
      keySlots = this.keyed.get(key);
      if (!keySlots) {
        keySlots = new Semaphore(this.settings.perKey);
        this.keyed.set(key, keySlots);
      }
      releaseKey = await keySlots.acquire();
    }
    const releaseGlobal = await this.globalSlots.acquire();
    this.peakGlobal = Math.max(this.peakGlobal, this.globalSlots.inFlight);
    if (key !== undefined && keySlots) {
      this.peakByKey.set(key, Math.max(this.peakByKey.get(key) ?? 0, keySlots.inFlight));
    }
    return () => {
      releaseGlobal();
      if (releaseKey) releaseKey();
      if (key !== undefined && keySlots && keySlots.inFlight === 0 && keySlots.queued === 0) {
        this.keyed.delete(key);
      }
    };
  }

  async run<T>(key: string | undefined, task: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await task();
    } finally {
      release();
    }
  }

  /** The most requests seen in flight at once, overall and for each key. */
  peaks(): { global: number; byKey: ReadonlyMap<string, number> } {
    return { global: this.peakGlobal, byKey: this.peakByKey };
  }
}
