import { DAY_MS, WEEK_MS } from '../time/durations.ts';

/** The window is `[T − 365 days, T)`, 365 days of exactly 24 hours. */
export const WINDOW_DAYS = 365;

export const AGGREGATION_LEVELS = ['Year', 'Month', 'Week'] as const;
export type AggregationLevel = (typeof AGGREGATION_LEVELS)[number];

/** The periods of one level, in time order: period i is `[starts[i], ends[i])`. */
export interface PeriodGrid {
  readonly level: AggregationLevel;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

export interface ReportingWindow {
  /** T, epoch ms. */
  readonly asOf: number;
  /** T − 365 days, epoch ms (inclusive). */
  readonly start: number;
  /** Year, Month and Week grids, in that order. */
  readonly grids: readonly [PeriodGrid, PeriodGrid, PeriodGrid];
  /** A UTC midnight at or before `start`: every period boundary except `start` is a whole number of minutes after it. */
  readonly minuteOrigin: number;
}

function grid(level: AggregationLevel, start: number, asOf: number, boundaries: number[]): PeriodGrid {
  const starts = new Float64Array(boundaries.length + 1);
  const ends = new Float64Array(boundaries.length + 1);
  starts[0] = start;
  for (let i = 0; i < boundaries.length; i++) {
    const b = boundaries[i] ?? asOf;
    ends[i] = b;
    starts[i + 1] = b;
  }
  ends[boundaries.length] = asOf;
  return { level, starts, ends };
}

/** UTC month starts strictly inside (start, asOf). */
function monthBoundaries(start: number, asOf: number): number[] {
  const d = new Date(start);
  const out: number[] = [];
  for (let m = d.getUTCMonth() + 1, y = d.getUTCFullYear(); ; m++) {
    const b = Date.UTC(y, m, 1);
    if (b >= asOf) break;
    if (b > start) out.push(b);
  }
  return out;
}

/** Monday 00:00 UTC on or before t. 1970-01-01 was a Thursday. */
export function mondayOnOrBefore(t: number): number {
  const day = Math.floor(t / DAY_MS);
  const weekday = (((day + 3) % 7) + 7) % 7;
  return (day - weekday) * DAY_MS;
}

/** ISO week starts (Monday 00:00 UTC) strictly inside (start, asOf). */
function weekBoundaries(start: number, asOf: number): number[] {
  const out: number[] = [];
  for (let b = mondayOnOrBefore(start) + WEEK_MS; b < asOf; b += WEEK_MS) out.push(b);
  return out;
}

/** The window and every period boundary for an as-of instant T (epoch ms), computed once per run. */
export function buildReportingWindow(asOf: number): ReportingWindow {
  if (!Number.isSafeInteger(asOf))
    throw new RangeError(`as-of instant must be whole epoch milliseconds, got ${asOf}`);
  const start = asOf - WINDOW_DAYS * DAY_MS;
  return {
    asOf,
    start,
    grids: [
      grid('Year', start, asOf, []),
      grid('Month', start, asOf, monthBoundaries(start, asOf)),
      grid('Week', start, asOf, weekBoundaries(start, asOf)),
    ],
    minuteOrigin: Math.floor(start / DAY_MS) * DAY_MS,
  };
}

/** Index of the period containing t, or -1 when t is outside the window. */
export function periodIndexOf(g: PeriodGrid, t: number): number {
  const { starts, ends } = g;
  const n = starts.length;
  if (!(t >= (starts[0] ?? Infinity) && t < (ends[n - 1] ?? -Infinity))) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] ?? Infinity) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
