import { buildReportingWindow } from '../../../../../core/engine/periods';
import type { EngagementRow } from '../../api/types';

export interface PeriodPoint {
  /** The period's start, ISO. */
  start: string;
  emailsTo: number;
  emailsFrom: number;
  meetingsTo: number;
  meetingsFrom: number;
}

/**
 * Every Month or Week period of the window ending at `asOf`, with the account's counts; periods
 * without a row (no activity) are zeros. The periods are the engine's own, so the rows line up.
 */
export function historySeries(
  rows: readonly EngagementRow[],
  asOf: string,
  level: 'Month' | 'Week',
): PeriodPoint[] {
  const window = buildReportingWindow(new Date(asOf).getTime());
  const grid = level === 'Month' ? window.grids[1] : window.grids[2];
  const byStart = new Map(rows.map((row) => [new Date(row.AggregationStartDate).getTime(), row]));
  return Array.from(grid.starts, (start) => {
    const row = byStart.get(start);
    return {
      start: new Date(start).toISOString(),
      emailsTo: row?.NoOfEmails_ToAccount ?? 0,
      emailsFrom: row?.NoOfEmails_FromAccount ?? 0,
      meetingsTo: row?.NoOfMeetings_ToAccount ?? 0,
      meetingsFrom: row?.NoOfMeetings_FromAccount ?? 0,
    };
  });
}
