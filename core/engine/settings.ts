import { z } from 'zod';
import { DEFAULT_SIGNAL_THRESHOLDS, signalThresholdsSchema, type SignalThresholds } from './signals.ts';

/** Default weights of the score (see score.ts). */
export const DEFAULT_WEIGHTS = Object.freeze({ emailTo: 1, emailFrom: 1.5, meeting: 4 });
export const DEFAULT_HALF_LIFE_DAYS = 90;
/** Each weight may move at most ±50% from its default (bounds inclusive). */
export const MAX_WEIGHT_CHANGE = 0.5;
/** Accepted half-life range, days (inclusive). */
export const MIN_HALF_LIFE_DAYS = 7;
export const MAX_HALF_LIFE_DAYS = 730;

function weight(name: keyof typeof DEFAULT_WEIGHTS) {
  const base = DEFAULT_WEIGHTS[name];
  const lo = base * (1 - MAX_WEIGHT_CHANGE);
  const hi = base * (1 + MAX_WEIGHT_CHANGE);
  return z
    .number({ error: `${name} weight must be a number` })
    .min(lo, `${name} weight must be between ${lo} and ${hi} (default ${base} ± 50%)`)
    .max(hi, `${name} weight must be between ${lo} and ${hi} (default ${base} ± 50%)`)
    .default(base);
}

/** Scoring and signal settings as an admin may send them; missing fields take the defaults. */
export const engagementSettingsSchema = z
  .object({
    weights: z
      .object({ emailTo: weight('emailTo'), emailFrom: weight('emailFrom'), meeting: weight('meeting') })
      .strict()
      .prefault({}),
    halfLifeDays: z
      .number({ error: 'halfLifeDays must be a number' })
      .min(MIN_HALF_LIFE_DAYS, `halfLifeDays must be between ${MIN_HALF_LIFE_DAYS} and ${MAX_HALF_LIFE_DAYS}`)
      .max(MAX_HALF_LIFE_DAYS, `halfLifeDays must be between ${MIN_HALF_LIFE_DAYS} and ${MAX_HALF_LIFE_DAYS}`)
      .default(DEFAULT_HALF_LIFE_DAYS),
    /** The risk signals' thresholds (signals.ts). */
    signals: signalThresholdsSchema,
  })
  .strict()
  .prefault({});

export type EngagementSettingsInput = z.input<typeof engagementSettingsSchema>;
export interface EngagementSettings {
  readonly weights: { readonly emailTo: number; readonly emailFrom: number; readonly meeting: number };
  readonly halfLifeDays: number;
  readonly signals: SignalThresholds;
}

export const DEFAULT_SETTINGS: EngagementSettings = Object.freeze({
  weights: DEFAULT_WEIGHTS,
  halfLifeDays: DEFAULT_HALF_LIFE_DAYS,
  signals: DEFAULT_SIGNAL_THRESHOLDS,
});

export class EngagementSettingsError extends Error {
  override readonly name = 'EngagementSettingsError';
}

/**
 * Validates and completes settings. Throws an EngagementSettingsError whose message is one line per
 * problem, each naming the field (`weights.meeting: meeting weight must be between 2 and 6 ...`).
 */
export function parseEngagementSettings(input: unknown): EngagementSettings {
  const result = engagementSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  throw new EngagementSettingsError(
    result.error.issues
      .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('\n'),
  );
}
