/** Peak memory of this process, sampled while a phase runs. */
export interface MemoryPeak {
  /** Resident set size, bytes (the process's peak, from the OS). */
  rss: number;
  /** V8 heap in use, bytes (highest sample). */
  heapUsed: number;
  /** Memory outside the V8 heap (ArrayBuffers included), bytes (highest sample). */
  external: number;
}

export function sampleMemory(intervalMs = 100): { stop(): MemoryPeak } {
  const peak = { heapUsed: 0, external: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
    peak.external = Math.max(peak.external, usage.external);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      // maxRSS is in kilobytes and covers the whole process life: each phase runs in a fresh process.
      return { rss: process.resourceUsage().maxRSS * 1024, ...peak };
    },
  };
}
