/** How segment rules read the output entity's columns: operators by type, names for an admin, staleness. */
import { columnType, SEGMENT_COLUMNS, type ColumnType, type SegmentColumn } from '../results/columns';

export const NUMERIC_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'between',
  'isNull',
  'isNotNull',
] as const;
export const TEXT_OPERATORS = ['eq', 'ne', 'contains', 'startsWith'] as const;
export const DATE_OPERATORS = ['before', 'after', 'isNull'] as const;
export const SIGNAL_OPERATORS = ['has', 'hasNot'] as const;

/** The Year row's risk signals (the names of the true ones), which a condition names as a column. */
export const SIGNAL_COLUMN = 'Signals';
export type RuleColumn = SegmentColumn | typeof SIGNAL_COLUMN;
/** A column's type, and `signal` for the risk signals: a condition asks whether a row has one. */
export type RuleColumnType = ColumnType | 'signal';

/** The columns a condition may name, as editors list them: the segment columns, then the signals. */
export const RULE_COLUMNS: readonly RuleColumn[] = [...SEGMENT_COLUMNS, SIGNAL_COLUMN];

/** How a condition reads the column, or undefined when a condition cannot name it. */
export function ruleColumnType(column: string): RuleColumnType | undefined {
  return column === SIGNAL_COLUMN ? 'signal' : columnType(column);
}

export const OPERATORS_BY_TYPE: Record<RuleColumnType, readonly string[]> = {
  numeric: NUMERIC_OPERATORS,
  text: TEXT_OPERATORS,
  date: DATE_OPERATORS,
  signal: SIGNAL_OPERATORS,
};

/**
 * The names an admin reads for the segment columns (the segment builder, rule descriptions,
 * measures): what each counts, in words, instead of the output entity's column names.
 */
export const COLUMN_LABELS: Record<RuleColumn, string> = {
  EngagementScore: 'Engagement score',
  NoOfEmails_ToAccount: 'Emails sent to the customer',
  NoOfEmails_FromAccount: 'Emails received from the customer',
  NoOfMeetings_ToAccount: 'Meetings we organized',
  NoOfMeetings_FromAccount: 'Meetings the customer organized',
  NoOfContactsInvolved_Emails: 'Colleagues in emails',
  NoOfContactsInvolved_Meetings: 'Colleagues in meetings',
  NoOfAccountContactsInvolved_Emails: 'Customer contacts in emails',
  NoOfAccountContactsInvolved_Meetings: 'Customer contacts in meetings',
  DaysSinceLastEmail: 'Days since the last email',
  DaysSinceLastMeeting: 'Days since the last meeting',
  AverageDuration_Of_Meetings: 'Average meeting length (minutes)',
  AverageDuration_Of_AccountEmailReplies: 'Average reply time (hours)',
  AccountName: 'Customer name',
  AccountId: 'Account id',
  EngagementStartDate: 'Engaged since',
  Signals: 'Risk signals',
};

/** A column's name for an admin; the column itself when it is not a segment column. */
export function columnLabel(column: string): string {
  return (COLUMN_LABELS as Record<string, string>)[column] ?? column;
}

/** What staleness reads of a Year row. */
export interface QuietRow {
  DaysSinceLastEmail: number | null;
  DaysSinceLastMeeting: number | null;
}

export interface Staleness {
  /** In the built-in "Stale accounts" segment (and so alerted on): quiet for more than the threshold. */
  stale: boolean;
  /** Days since the last counted email or meeting, whichever came later; null when none in the year. */
  quietDays: number | null;
}

/**
 * The stale rule of the built-in segment and of stale-account alerts (`staleRules` in
 * stale-segment.ts), read on one Year row: no counted email and no counted meeting for more than
 * `thresholdDays` (the enrichment's stale threshold, 60 days by default), none in the year
 * counting as quiet. A score is a rank among the accounts, decayed over the year, so an account can
 * keep a High score while stale: the tab marks it beside the score.
 */
export function staleness(row: QuietRow, thresholdDays: number): Staleness {
  const quietFor = (days: number | null) => days === null || days > thresholdDays;
  const known = [row.DaysSinceLastEmail, row.DaysSinceLastMeeting].filter((d): d is number => d !== null);
  return {
    stale: quietFor(row.DaysSinceLastEmail) && quietFor(row.DaysSinceLastMeeting),
    quietDays: known.length ? Math.min(...known) : null,
  };
}

/** "Stale: no email or meeting for 159 days" (or "… in the last year"), or undefined when not stale. */
export function staleText(row: QuietRow, thresholdDays: number): string | undefined {
  const { stale, quietDays } = staleness(row, thresholdDays);
  if (!stale) return undefined;
  return quietDays === null
    ? 'Stale: no email or meeting in the last year'
    : `Stale: no email or meeting for ${quietDays} days`;
}
