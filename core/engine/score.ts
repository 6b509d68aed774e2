/**
 * The EngagementScore formula, in one place.
 *
 *   raw   = Σ w(kind) × 0.5^(age / H)   over the account's counted activity in the period,
 *           age = days from the activity to the period's end, H = half-life in days;
 *           w = emailTo for an email counted to the account, emailFrom for one counted from it
 *           (an email counted in both directions adds both), meeting for a counted meeting
 *           (once per meeting, whatever its direction).
 *   score = round(100 × r / n) among the n accounts with raw > 0 in that period, r = how many of
 *           them have raw ≤ this raw; 0 for an account without counted activity.
 *
 * Raw values are summed as whole micro-units (each term rounded to 1e-6), so the sum is exact and
 * does not depend on the order activities arrive in: equal activity gives exactly equal raw values,
 * which then tie in the rank.
 */
import { DAY_MS } from '../time/durations.ts';
import type { EngagementSettings } from './settings.ts';

/** Raw values are integers in these units (1 unit = 1e-6 of a weight point). */
export const RAW_UNITS = 1_000_000;

/**
 * 0.5^(ageMs / H), computed as e^(−ln 2 × ageMs / H): several times faster than Math.pow (it runs
 * for every counted item at every level) and within an ulp or two of it, far below the 1e-6
 * rounding of each term. It is a pure function of its inputs, so equal activity still ties.
 */
function decay(ageMs: number, halfLifeDays: number): number {
  return Math.exp((-Math.LN2 * ageMs) / (halfLifeDays * DAY_MS));
}

/** w × decay, rounded to whole raw units. */
function units(weight: number, decayed: number): number {
  return Math.round(weight * decayed * RAW_UNITS);
}

/** w × 0.5^(ageMs / H), in whole raw units. */
export function contributionUnits(weight: number, ageMs: number, halfLifeDays: number): number {
  return units(weight, decay(ageMs, halfLifeDays));
}

/** Direction bits of a counted item for one account. */
export const TO_ACCOUNT = 1;
export const FROM_ACCOUNT = 2;

/**
 * The raw units one counted item adds to one account's period: an email adds emailTo and/or
 * emailFrom for the directions it counts in; a meeting adds the meeting weight once.
 */
export function itemUnits(
  meeting: boolean,
  directions: number,
  ageMs: number,
  settings: EngagementSettings,
): number {
  const { weights, halfLifeDays } = settings;
  const f = decay(ageMs, halfLifeDays);
  if (meeting) return units(weights.meeting, f);
  let sum = 0;
  if ((directions & TO_ACCOUNT) !== 0) sum += units(weights.emailTo, f);
  if ((directions & FROM_ACCOUNT) !== 0) sum += units(weights.emailFrom, f);
  return sum;
}

/** Percentile-rank score of one raw value among the sorted positive raws of its period. */
export function rankScore(raw: number, sortedPositiveRaws: ArrayLike<number>): number {
  const n = sortedPositiveRaws.length;
  if (!(raw > 0) || n === 0) return 0;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sortedPositiveRaws[mid] ?? Infinity) <= raw) lo = mid + 1;
    else hi = mid;
  }
  return Math.round((100 * lo) / n);
}

/** Scores of all accounts of one period from their raw values (any order; 0 or less = no activity). */
export function scorePeriod(raws: readonly number[]): number[] {
  const positive = Float64Array.from(raws.filter((r) => r > 0)).sort();
  return raws.map((r) => rankScore(r, positive));
}

export type EngagementBand = 'High' | 'Medium' | 'Low';
export const HIGH_BAND_MIN = 70;
export const MEDIUM_BAND_MIN = 40;

/** High 70–100, Medium 40–69, Low 0–39. */
export function scoreBand(score: number): EngagementBand {
  if (score >= HIGH_BAND_MIN) return 'High';
  if (score >= MEDIUM_BAND_MIN) return 'Medium';
  return 'Low';
}

export type EngagementTrend = 'up' | 'down' | 'flat' | 'new';
/** A change of at most this many points either way is shown as flat. */
export const TREND_TOLERANCE_POINTS = 2;

/**
 * This run's score against the previous run's: `new` when there is no previous score, `flat` when
 * they differ by at most the tolerance (2 points), otherwise `up` or `down`.
 */
export function scoreTrend(
  current: number,
  previous: number | null | undefined,
  tolerance: number = TREND_TOLERANCE_POINTS,
): EngagementTrend {
  if (previous === null || previous === undefined || !Number.isFinite(previous)) return 'new';
  const delta = current - previous;
  if (delta > tolerance) return 'up';
  if (delta < -tolerance) return 'down';
  return 'flat';
}
