import type { EngagementRow } from '../../core/engine';
import { outputRowKey } from '../../core/results/stored-rows';
import { ResultsRepository } from '../../core/store/results-repository';

export const WINDOW_START = '2025-03-01T00:00:00.000Z';
export const AS_OF = '2026-03-01T00:00:00.000Z';

/** A Year row of the output entity: zeros and nulls (no activity) unless given. */
export function yearRow(fields: Partial<EngagementRow> & Pick<EngagementRow, 'AccountId'>): EngagementRow {
  return {
    AccountName: `Account ${fields.AccountId}`,
    EngagementScore: 0,
    NoOfEmails_ToAccount: 0,
    NoOfEmails_FromAccount: 0,
    NoOfMeetings_ToAccount: 0,
    NoOfMeetings_FromAccount: 0,
    NoOfContactsInvolved_Emails: 0,
    NoOfContactsInvolved_Meetings: 0,
    NoOfAccountContactsInvolved_Emails: 0,
    NoOfAccountContactsInvolved_Meetings: 0,
    EngagementStartDate: null,
    DaysSinceLastEmail: null,
    DaysSinceLastMeeting: null,
    AverageDuration_Of_Meetings: null,
    AverageDuration_Of_AccountEmailReplies: null,
    AggregationStartDate: WINDOW_START,
    AggregationLevel: 'Year',
    ...fields,
  };
}

/** Writes a run's rows through the results store and makes them the visible ones. */
export async function publishRows(
  results: ResultsRepository,
  entity: string,
  runId: string,
  rows: readonly EngagementRow[],
  asOf = AS_OF,
): Promise<void> {
  await results.writeRows(entity, runId, rows, outputRowKey);
  await results.publish(entity, {
    runId,
    asOf,
    publishedAt: asOf,
    rowCount: rows.length,
    accountCount: rows.filter((r) => r.AggregationLevel === 'Year').length,
  });
}
