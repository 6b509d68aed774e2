/**
 * The risk signals in words, as the customer card (tab and bot), the Customers list's filter, the
 * segment editor and the bot's lists show them: a short name and what it means with the thresholds
 * of the enrichment. Pure (no Node APIs), so the tab's web code imports it too.
 */
import {
  DEFAULT_SIGNAL_THRESHOLDS,
  SIGNALS,
  type SignalName,
  type SignalThresholds,
} from '../engine/signals';

export { SIGNALS, type SignalName };

/** A signal as a badge shows it: "Unanswered" and "3 or more emails to them in 30 days, no reply". */
export interface SignalLabel {
  signal: SignalName;
  name: string;
  meaning: string;
}

export const SIGNAL_NAMES: Record<SignalName, string> = {
  Stale: 'Stale',
  Unanswered: 'Unanswered',
  SingleThreaded: 'Single-threaded',
  Cooling: 'Cooling',
};

/** The thresholds a configuration's runs use: its signal settings, Stale's from its stale threshold. */
export function signalThresholdsOf(config: {
  engagement?: { signals?: Partial<SignalThresholds> };
  staleThresholdDays?: number;
}): SignalThresholds {
  return {
    ...DEFAULT_SIGNAL_THRESHOLDS,
    ...config.engagement?.signals,
    ...(config.staleThresholdDays === undefined ? {} : { staleDays: config.staleThresholdDays }),
  };
}

/**
 * The thresholds that describe a shown run's signals: those the run computed them with, so that a
 * threshold changed since does not reword them before the next run; the configuration's for runs
 * that did not record theirs.
 */
export function runSignalThresholds(
  run: { signalThresholds?: SignalThresholds } | undefined,
  config: Parameters<typeof signalThresholdsOf>[0],
): SignalThresholds {
  return run?.signalThresholds ?? signalThresholdsOf(config);
}

/** "half", "a third", or "40%" of the usual pace. */
function share(ratio: number): string {
  if (ratio === 0.5) return 'half';
  if (Math.abs(ratio - 1 / 3) < 0.005) return 'a third';
  if (ratio === 0.25) return 'a quarter';
  return `${Math.round(ratio * 100)}%`;
}

function meaning(signal: SignalName, t: SignalThresholds): string {
  switch (signal) {
    case 'Stale':
      return `No email or meeting in more than ${t.staleDays} days`;
    case 'Unanswered':
      return `${t.unansweredMinEmails} or more emails to them in ${t.unansweredDays} days, no reply`;
    case 'SingleThreaded':
      return `${t.singleThreadedMinActivities} or more emails and meetings in ${t.singleThreadedDays} days, all with one person of theirs`;
    case 'Cooling':
      return `Emails and meetings in the last ${t.coolingRecentDays} days under ${share(t.coolingRatio)} of their usual pace`;
  }
}

export function signalLabel(signal: SignalName, thresholds: SignalThresholds): SignalLabel {
  return { signal, name: SIGNAL_NAMES[signal], meaning: meaning(signal, thresholds) };
}

/** The labels of an account's true signals, in the signals' order; none for none. */
export function signalLabels(
  signals: readonly SignalName[] | null | undefined,
  thresholds: SignalThresholds,
): SignalLabel[] {
  const set = new Set(signals ?? []);
  return SIGNALS.filter((signal) => set.has(signal)).map((signal) => signalLabel(signal, thresholds));
}
