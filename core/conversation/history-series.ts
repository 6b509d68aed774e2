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

/** Periods a history shows: the last 12 months (the current one so far included), or the last 13 weeks. */
export const HISTORY_PERIODS: Record<HistoryLevel, number> = { Month: 12, Week: 13 };

/** The starts (ISO, as rows carry them) of the periods a history shows, oldest first. */
export function historyPeriods(asOf: string, level: HistoryLevel): string[] {
  const grid = buildReportingWindow(Date.parse(asOf)).grids[level === 'Month' ? 1 : 2];
  return [...grid.starts.slice(-HISTORY_PERIODS[level])].map((start) => new Date(start).toISOString());
}

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
  const byStart = new Map(rows.map((row) => [Date.parse(row.AggregationStartDate), row]));
  const points: HistoryPoint[] = [];
  for (const start of historyPeriods(asOf, level)) {
    const row = byStart.get(Date.parse(start));
    points.push({
      start,
      emailsTo: row?.NoOfEmails_ToAccount ?? 0,
      emailsFrom: row?.NoOfEmails_FromAccount ?? 0,
      meetings: (row?.NoOfMeetings_ToAccount ?? 0) + (row?.NoOfMeetings_FromAccount ?? 0),
    });
  }
  return points;
}
