/** Peak memory of this process, sampled while a phase runs. */
export interface MemoryPeak {
  /** Resident set size, bytes. */
  rss: number;
  /** V8 heap in use, bytes. */
  heapUsed: number;
  /** Memory outside the V8 heap (ArrayBuffers included), bytes. */
  external: number;
}

const none = (): MemoryPeak => ({ rss: 0, heapUsed: 0, external: 0 });

function raise(peak: MemoryPeak, usage: NodeJS.MemoryUsage): void {
  peak.rss = Math.max(peak.rss, usage.rss);
  peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
  peak.external = Math.max(peak.external, usage.external);
}

/** Samples memory every `intervalMs`: peaks per step (`lap`) and for the whole phase (`stop`). */
export class MemorySampler {
  readonly #phase = none();
  #step = none();
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 100) {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  #sample(): void {
    const usage = process.memoryUsage();
    raise(this.#phase, usage);
    raise(this.#step, usage);
  }

  /** The peaks since the previous lap (or the start). */
  lap(): MemoryPeak {
    this.#sample();
    const step = this.#step;
    this.#step = none();
    return step;
  }

  stop(): MemoryPeak {
    clearInterval(this.#timer);
    this.#sample();
    // maxRSS (kilobytes) covers the whole process life: each phase runs in a fresh process.
    return { ...this.#phase, rss: Math.max(this.#phase.rss, process.resourceUsage().maxRSS * 1024) };
  }
}
