/**
 * The risk signals of an account at T (the contract's "Signals"), from the same counted activity as
 * the rows: each counted (item, account) pair once, with its time, kind, direction bits and the
 * account's persons in it. Nothing is recomputed elsewhere; segments, cards and alerts read these.
 *
 *   Stale           no counted email and no counted meeting for more than `staleDays` days (whole
 *                   days, floor, from the last one to T); true for an account with none in the window
 *   Unanswered      in [T − unansweredDays, T) at least `unansweredMinEmails` emails to the account
 *                   and none from it, while it sent at least one email earlier in the window
 *   SingleThreaded  in [T − singleThreadedDays, T) the counted activity involved exactly one person
 *                   of the account, and there were at least `singleThreadedMinActivities` activities
 *   Cooling         activity in [T − coolingRecentDays, T) is below `coolingRatio` × the mean per
 *                   `coolingRecentDays` of the `coolingBaselineDays` before it, and that mean is at
 *                   least `coolingMinMean`
 */
import { z } from 'zod';
import { DAY_MS } from '../time/durations.ts';
import { FROM_ACCOUNT, TO_ACCOUNT } from './score.ts';

export const SIGNALS = ['Stale', 'Unanswered', 'SingleThreaded', 'Cooling'] as const;
export type SignalName = (typeof SIGNALS)[number];
export type AccountSignals = Record<SignalName, boolean>;

const days = (name: string, min: number, max: number, fallback: number) =>
  z
    .number({ error: `${name} must be a number of days` })
    .int(`${name} must be a whole number of days`)
    .min(min, `${name} must be between ${min} and ${max} days`)
    .max(max, `${name} must be between ${min} and ${max} days`)
    .default(fallback);
const count = (name: string, min: number, max: number, fallback: number) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be between ${min} and ${max}`)
    .max(max, `${name} must be between ${min} and ${max}`)
    .default(fallback);

/**
 * The signals' settings as an admin may send them: the thresholds, and which signals alert; missing
 * fields take the contract's defaults (Stale alerts, the others do not).
 */
export const signalThresholdsSchema = z
  .object({
    staleDays: days('staleDays', 7, 365, 60),
    unansweredDays: days('unansweredDays', 7, 90, 30),
    unansweredMinEmails: count('unansweredMinEmails', 1, 50, 3),
    singleThreadedDays: days('singleThreadedDays', 14, 365, 90),
    singleThreadedMinActivities: count('singleThreadedMinActivities', 2, 100, 5),
    coolingRecentDays: days('coolingRecentDays', 7, 90, 30),
    coolingBaselineDays: days('coolingBaselineDays', 30, 270, 90),
    coolingRatio: z
      .number({ error: 'coolingRatio must be a number' })
      .gt(0, 'coolingRatio must be above 0 and below 1')
      .lt(1, 'coolingRatio must be above 0 and below 1')
      .default(0.5),
    coolingMinMean: count('coolingMinMean', 1, 100, 4),
    /** The signals that raise an alert for the account's owner when an account begins to show them. */
    alerts: z
      .array(z.enum(SIGNALS, { error: `alerts lists signals: ${SIGNALS.join(', ')}` }))
      .max(SIGNALS.length)
      .transform((names) => SIGNALS.filter((name) => names.includes(name)))
      .default(['Stale']),
  })
  .strict()
  .prefault({});

export type SignalThresholds = z.output<typeof signalThresholdsSchema>;
export const DEFAULT_SIGNAL_THRESHOLDS: SignalThresholds = Object.freeze(signalThresholdsSchema.parse({}));
/** The names of the numeric thresholds (every setting but `alerts`). */
export const SIGNAL_THRESHOLD_NAMES = Object.keys(DEFAULT_SIGNAL_THRESHOLDS).filter(
  (key): key is Exclude<keyof SignalThresholds, 'alerts'> => key !== 'alerts',
);

/** One account's tally, fed with its counted pairs (any order), then read; reset between accounts. */
export class SignalTally {
  readonly #asOf: number;
  readonly #t: SignalThresholds;
  readonly #unansweredStart: number;
  readonly #singleStart: number;
  readonly #coolingRecentStart: number;
  readonly #coolingBaselineStart: number;
  #last = Number.NEGATIVE_INFINITY;
  #recentToEmails = 0;
  #recentFromEmails = 0;
  #earlierFromEmails = 0;
  #singleActivities = 0;
  readonly #singlePersons = new Set<number>();
  #coolingRecent = 0;
  #coolingBaseline = 0;

  constructor(asOf: number, thresholds: SignalThresholds = DEFAULT_SIGNAL_THRESHOLDS) {
    this.#asOf = asOf;
    this.#t = thresholds;
    this.#unansweredStart = asOf - thresholds.unansweredDays * DAY_MS;
    this.#singleStart = asOf - thresholds.singleThreadedDays * DAY_MS;
    this.#coolingRecentStart = asOf - thresholds.coolingRecentDays * DAY_MS;
    this.#coolingBaselineStart = this.#coolingRecentStart - thresholds.coolingBaselineDays * DAY_MS;
  }

  reset(): void {
    this.#last = Number.NEGATIVE_INFINITY;
    this.#recentToEmails = 0;
    this.#recentFromEmails = 0;
    this.#earlierFromEmails = 0;
    this.#singleActivities = 0;
    this.#singlePersons.clear();
    this.#coolingRecent = 0;
    this.#coolingBaseline = 0;
  }

  /** One counted pair: its time (before T), kind, direction bits and the account's persons in it. */
  add(time: number, meeting: boolean, dir: number, persons: ArrayLike<number>, nPersons: number): void {
    if (time > this.#last) this.#last = time;
    if (!meeting) {
      if (time >= this.#unansweredStart) {
        if ((dir & TO_ACCOUNT) !== 0) this.#recentToEmails++;
        if ((dir & FROM_ACCOUNT) !== 0) this.#recentFromEmails++;
      } else if ((dir & FROM_ACCOUNT) !== 0) {
        this.#earlierFromEmails++;
      }
    }
    if (time >= this.#singleStart) {
      this.#singleActivities++;
      for (let i = 0; i < nPersons; i++) this.#singlePersons.add(persons[i] ?? 0);
    }
    if (time >= this.#coolingRecentStart) this.#coolingRecent++;
    else if (time >= this.#coolingBaselineStart) this.#coolingBaseline++;
  }

  signals(): AccountSignals {
    const t = this.#t;
    const quietDays = Math.floor((this.#asOf - this.#last) / DAY_MS);
    const mean = (this.#coolingBaseline * t.coolingRecentDays) / t.coolingBaselineDays;
    return {
      Stale: quietDays > t.staleDays,
      Unanswered:
        this.#recentToEmails >= t.unansweredMinEmails &&
        this.#recentFromEmails === 0 &&
        this.#earlierFromEmails > 0,
      SingleThreaded:
        this.#singlePersons.size === 1 && this.#singleActivities >= t.singleThreadedMinActivities,
      Cooling: mean >= t.coolingMinMean && this.#coolingRecent < t.coolingRatio * mean,
    };
  }
}
