import {
  scoreBand,
  scoreTrend,
  type EngagementBand,
  type EngagementRow,
  type EngagementTrend,
} from '../engine';
import type { StoredEngagementRow } from '../runs/enrichment-run';
import type { ShownResults } from './account-catalog';
import { historyPeriods, type HistoryLevel } from './history-series';

export type { HistoryLevel } from './history-series';

/** Everything a customer card shows of one account, from one published run. */
export interface CustomerCardData {
  enrichmentId: string;
  runId: string;
  /** The run's as-of instant (ISO): the data's date. */
  asOf: string;
  /** The account's Year row. */
  year: EngagementRow;
  band: EngagementBand;
  trend: EngagementTrend;
  previousScore: number | null;
  nextMeeting: { start: string; end: string } | null;
  /** The history shown: the account's rows of one level, oldest first. */
  history: { level: HistoryLevel; rows: EngagementRow[] };
}

/**
 * The card data of an account in the shown run, or undefined when the run has no such account.
 * Rows are read by their keys (the Year row, and the level's periods that the history shows), so
 * the cost is the same whatever the number of accounts.
 */
export async function loadCustomerCard(
  shown: ShownResults,
  accountId: string,
  level: HistoryLevel,
): Promise<CustomerCardData | undefined> {
  const keys = [
    [accountId, 'Year'],
    ...historyPeriods(shown.visible.asOf, level).map((start) => [accountId, level, start]),
  ];
  const [year, ...history] = await shown.results.readRows<StoredEngagementRow>(
    shown.config.entityName,
    shown.visible.runId,
    keys,
  );
  // No Year row: no such account, or a newer run replaced this one meanwhile (the caller asks again).
  if (!year) return undefined;
  const previousScore = year.PreviousEngagementScore ?? null;
  return {
    enrichmentId: shown.config.enrichmentId,
    runId: shown.visible.runId,
    asOf: shown.visible.asOf,
    year,
    band: scoreBand(year.EngagementScore),
    trend: scoreTrend(year.EngagementScore, previousScore),
    previousScore,
    nextMeeting:
      year.NextMeetingStart && year.NextMeetingEnd
        ? { start: year.NextMeetingStart, end: year.NextMeetingEnd }
        : null,
    history: {
      level,
      rows: history.filter((row): row is NonNullable<typeof row> => row !== undefined),
    },
  };
}
