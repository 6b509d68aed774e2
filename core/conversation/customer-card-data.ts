import {
  scoreBand,
  scoreTrend,
  type EngagementBand,
  type EngagementRow,
  type EngagementTrend,
} from '../engine';
import type { StoredEngagementRow } from '../runs/enrichment-run';
import type { ShownResults } from './account-catalog';

export type HistoryLevel = 'Month' | 'Week';

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

const byStart = (a: EngagementRow, b: EngagementRow) =>
  a.AggregationStartDate.localeCompare(b.AggregationStartDate);

/** The card data of an account in the shown run, or undefined when the run has no such account. */
export async function loadCustomerCard(
  shown: ShownResults,
  accountId: string,
  level: HistoryLevel,
): Promise<CustomerCardData | undefined> {
  const rows = await shown.queries.accountRows<StoredEngagementRow>(
    shown.config.entityName,
    shown.visible.runId,
    accountId,
  );
  const year = rows.find((row) => row.AggregationLevel === 'Year');
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
    history: { level, rows: rows.filter((row) => row.AggregationLevel === level).sort(byStart) },
  };
}
