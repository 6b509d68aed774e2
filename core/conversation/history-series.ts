import { buildReportingWindow, type EngagementRow } from '../engine';
import type { HistoryLevel } from './customer-card-data';

/** One period of an account's history; periods without activity have zeros. */
export interface HistoryPoint {
  /** The period's start (ISO). */
  start: string;
  emailsTo: number;
  emailsFrom: number;
  meetings: number;
}

/** Periods a history shows: the whole year by month, the last half year by week. */
export const HISTORY_PERIODS: Record<HistoryLevel, number> = { Month: 13, Week: 26 };

/**
 * Every period of the level up to the as-of instant (the most recent `HISTORY_PERIODS`), oldest
 * first, with the account's counts where it has a row. Rows exist only for periods with activity,
 * so a chart from the rows alone would skip the quiet periods a seller most needs to see.
 */
export function historySeries(
  asOf: string,
  level: HistoryLevel,
  rows: readonly EngagementRow[],
): HistoryPoint[] {
  const grid = buildReportingWindow(Date.parse(asOf)).grids[level === 'Month' ? 1 : 2];
  const byStart = new Map(rows.map((row) => [Date.parse(row.AggregationStartDate), row]));
  const points: HistoryPoint[] = [];
  for (const start of grid.starts.slice(-HISTORY_PERIODS[level])) {
    const row = byStart.get(start);
    points.push({
      start: new Date(start).toISOString(),
      emailsTo: row?.NoOfEmails_ToAccount ?? 0,
      emailsFrom: row?.NoOfEmails_FromAccount ?? 0,
      meetings: (row?.NoOfMeetings_ToAccount ?? 0) + (row?.NoOfMeetings_FromAccount ?? 0),
    });
  }
  return points;
}
