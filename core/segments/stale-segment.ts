import type { RuleGroup } from './segment-rules';

export const STALE_SEGMENT_ID = 'stale';
export const STALE_SEGMENT_NAME = 'Stale accounts';

/**
 * The built-in "Stale accounts" rules: no counted email and no counted meeting for more than the
 * threshold. A null (no email, or no meeting, in the whole year) counts as stale: the last contact,
 * if any, is older than the window and so older than any threshold.
 */
export function staleRules(thresholdDays: number): RuleGroup {
  const quietFor = (column: 'DaysSinceLastEmail' | 'DaysSinceLastMeeting'): RuleGroup => ({
    combinator: 'or',
    rules: [
      { column, operator: 'gt', value: thresholdDays },
      { column, operator: 'isNull' },
    ],
  });
  return { combinator: 'and', rules: [quietFor('DaysSinceLastEmail'), quietFor('DaysSinceLastMeeting')] };
}

export function staleDescription(thresholdDays: number): string {
  return `No counted email and no counted meeting for more than ${thresholdDays} days (the enrichment's stale threshold), including accounts with none in the year.`;
}
