/**
 * The output entity's columns a segment rule may name, by type. Rules reach Cosmos DB only through
 * these names: a column in a query is always one of these constants, never text from a request.
 */
export const NUMERIC_COLUMNS = [
  'EngagementScore',
  'NoOfEmails_ToAccount',
  'NoOfEmails_FromAccount',
  'NoOfMeetings_ToAccount',
  'NoOfMeetings_FromAccount',
  'NoOfContactsInvolved_Emails',
  'NoOfContactsInvolved_Meetings',
  'NoOfAccountContactsInvolved_Emails',
  'NoOfAccountContactsInvolved_Meetings',
  'DaysSinceLastEmail',
  'DaysSinceLastMeeting',
  'AverageDuration_Of_Meetings',
  'AverageDuration_Of_AccountEmailReplies',
] as const;

export const TEXT_COLUMNS = ['AccountName', 'AccountId'] as const;

export const DATE_COLUMNS = ['EngagementStartDate'] as const;

export type NumericColumn = (typeof NUMERIC_COLUMNS)[number];
export type TextColumn = (typeof TEXT_COLUMNS)[number];
export type DateColumn = (typeof DATE_COLUMNS)[number];
export type SegmentColumn = NumericColumn | TextColumn | DateColumn;
export type ColumnType = 'numeric' | 'text' | 'date';

export const SEGMENT_COLUMNS = [...NUMERIC_COLUMNS, ...TEXT_COLUMNS, ...DATE_COLUMNS] as const;

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

export const OPERATORS_BY_TYPE: Record<ColumnType, readonly string[]> = {
  numeric: NUMERIC_OPERATORS,
  text: TEXT_OPERATORS,
  date: DATE_OPERATORS,
};

const TYPE_OF = new Map<string, ColumnType>([
  ...NUMERIC_COLUMNS.map((c) => [c, 'numeric'] as const),
  ...TEXT_COLUMNS.map((c) => [c, 'text'] as const),
  ...DATE_COLUMNS.map((c) => [c, 'date'] as const),
]);

/** The column's type, or undefined when it is not a segment column. */
export function columnType(column: string): ColumnType | undefined {
  return TYPE_OF.get(column);
}
