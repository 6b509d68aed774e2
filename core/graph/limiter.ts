/**
 * Bounds how many Graph requests are in flight: at most a global number in all, and at most a number
 * per key (a mailbox). Waiters are served first come, first served. A per-key slot is taken before
 * the global one, so a request queued behind its own mailbox never holds a global slot others could
 * use.
 *
 * Both bounds adapt to throttling (additive increase, multiplicative decrease): Outlook allows a few
 * concurrent requests per app and mailbox, and Microsoft's own pages have worded that limit both per
 * mailbox and per app across mailboxes (throttling-limits.md), so a 429 is taken as the truth. Each
 * 429 halves the mailbox's bound and takes a quarter off the global one; every run of successes as
 * long as the current bound raises it by one again, up to the configured maximum. A key's learned
 * bound is kept after its requests finish, so a mailbox that was throttled is not hit at full width
 * again on its next request.
 */

export type Release = () => void;

export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private bound: number) {
    Semaphore.check(bound);
  }

  private static check(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  get limit(): number {
    return this.bound;
  }

  /** Changes the bound: a higher one admits waiters at once; a lower one holds new requests back until enough in flight finish. */
  set limit(value: number) {
    Semaphore.check(value);
    this.bound = value;
    this.admit();
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  private admit(): void {
    while (this.active < this.bound) {
      const next = this.waiters.shift();
      if (!next) return;
      this.active += 1;
      next();
    }
  }

  async acquire(): Promise<Release> {
    if (this.active < this.bound && this.waiters.length === 0) {
      this.active += 1;
    } else {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.admit();
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
  /** The most requests in flight in all (the global bound never grows past it). */
  global: number;
  /** The most requests in flight for one key (a key's bound never grows past it). */
  perKey: number;
}

/** What throttling cost so far, for reports. */
export interface ThrottlingReport {
  /** 429 answers met (single requests and `$batch` items). */
  throttled: number;
  /** Time spent waiting before retrying them, summed over requests. */
  waitedMs: number;
  /** The global bound now, and its lowest value. */
  globalLimit: number;
  lowestGlobalLimit: number;
  /** Keys whose bound is below the maximum now. */
  keysBelowMaximum: number;
}

interface KeyState {
  slots: Semaphore;
  successes: number;
}

export class RequestLimiter {
  private readonly globalSlots: Semaphore;
  private globalSuccesses = 0;
  private readonly keyed = new Map<string, KeyState>();
  private peakGlobal = 0;
  private readonly peakByKey = new Map<string, number>();
  private throttled = 0;
  private waitedMs = 0;
  private lowestGlobal: number;

  constructor(readonly settings: LimiterSettings) {
    this.globalSlots = new Semaphore(settings.global);
    this.lowestGlobal = settings.global;
    if (!Number.isInteger(settings.perKey) || settings.perKey < 1) {
      throw new RangeError(`perKey must be a positive integer, got ${settings.perKey}`);
    }
  }

  private state(key: string): KeyState {
    let state = this.keyed.get(key);
    if (!state) {
      state = { slots: new Semaphore(this.settings.perKey), successes: 0 };
      this.keyed.set(key, state);
    }
    return state;
  }

  /** Waits for a slot (for the key when one is given, and a global one) and returns its release. */
  async acquire(key?: string): Promise<Release> {
    const state = key === undefined ? undefined : this.state(key);
    const releaseKey = state ? await state.slots.acquire() : undefined;
    const releaseGlobal = await this.globalSlots.acquire();
    this.peakGlobal = Math.max(this.peakGlobal, this.globalSlots.inFlight);
    if (key !== undefined && state) {
      this.peakByKey.set(key, Math.max(this.peakByKey.get(key) ?? 0, state.slots.inFlight));
    }
    return () => {
      releaseGlobal();
      if (releaseKey) releaseKey();
      // An idle key at full width has nothing to remember.
      if (
        key !== undefined &&
        state &&
        state.slots.inFlight === 0 &&
        state.slots.queued === 0 &&
        state.slots.limit === this.settings.perKey
      ) {
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

  /** A request for the key (or for none) was answered 429; `waitMs` is what its retry will wait. */
  onThrottled(key: string | undefined, waitMs: number): void {
    this.throttled += 1;
    this.waitedMs += waitMs;
    this.globalSuccesses = 0;
    const global = Math.max(1, Math.floor((this.globalSlots.limit * 3) / 4));
    this.globalSlots.limit = global;
    this.lowestGlobal = Math.min(this.lowestGlobal, global);
    if (key === undefined) return;
    const state = this.state(key);
    state.successes = 0;
    state.slots.limit = Math.max(1, Math.floor(state.slots.limit / 2));
  }

  /** A request for the key (or for none) got an answer that was not a 429. */
  onAnswered(key: string | undefined): void {
    if (this.globalSlots.limit < this.settings.global) {
      this.globalSuccesses += 1;
      if (this.globalSuccesses >= this.globalSlots.limit) {
        this.globalSuccesses = 0;
        this.globalSlots.limit += 1;
      }
    }
    const state = key === undefined ? undefined : this.keyed.get(key);
    if (!state || state.slots.limit >= this.settings.perKey) return;
    state.successes += 1;
    if (state.successes >= state.slots.limit) {
      state.successes = 0;
      state.slots.limit += 1;
    }
  }

  /** The most requests seen in flight at once, overall and for each key. */
  peaks(): { global: number; byKey: ReadonlyMap<string, number> } {
    return { global: this.peakGlobal, byKey: this.peakByKey };
  }

  throttling(): ThrottlingReport {
    let below = 0;
    for (const state of this.keyed.values()) if (state.slots.limit < this.settings.perKey) below += 1;
    return {
      throttled: this.throttled,
      waitedMs: this.waitedMs,
      globalLimit: this.globalSlots.limit,
      lowestGlobalLimit: this.lowestGlobal,
      keysBelowMaximum: below,
    };
  }
}
