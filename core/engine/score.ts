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

/** Slots of an item's raw units by kind (itemUnits' parts). */
export const EMAILS_TO = 0;
export const EMAILS_FROM = 1;
export const MEETINGS = 2;

/**
 * The raw units one counted item adds to one account's period, written by kind into parts
 * (EMAILS_TO, EMAILS_FROM, MEETINGS) and returned summed: an email adds emailTo and/or emailFrom for
 * the directions it counts in; a meeting adds the meeting weight once.
 */
export function itemUnits(
  meeting: boolean,
  directions: number,
  ageMs: number,
  settings: EngagementSettings,
  parts: Float64Array,
): number {
  const { weights, halfLifeDays } = settings;
  const f = decay(ageMs, halfLifeDays);
  const to = !meeting && (directions & TO_ACCOUNT) !== 0 ? units(weights.emailTo, f) : 0;
  const from = !meeting && (directions & FROM_ACCOUNT) !== 0 ? units(weights.emailFrom, f) : 0;
  const met = meeting ? units(weights.meeting, f) : 0;
  parts[EMAILS_TO] = to;
  parts[EMAILS_FROM] = from;
  parts[MEETINGS] = met;
  return to + from + met;
}

/** How many of the sorted raws are ≤ raw. */
export function countAtMost(raw: number, sortedRaws: ArrayLike<number>): number {
  let lo = 0;
  let hi = sortedRaws.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sortedRaws[mid] ?? Infinity) <= raw) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Percentile-rank score of one raw value among the sorted positive raws of its period. */
export function rankScore(raw: number, sortedPositiveRaws: ArrayLike<number>): number {
  const n = sortedPositiveRaws.length;
  if (!(raw > 0) || n === 0) return 0;
  return Math.round((100 * countAtMost(raw, sortedPositiveRaws)) / n);
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
