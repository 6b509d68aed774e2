/**
 * The output entity's columns: the data contract's list, in its order, and how segment rules read
 * each. Every list of columns (exports, the tab's table, rule editors, API schemas) comes from
 * here. Pure (no Node APIs), so the tab's web code imports it too.
 */
import type { EngagementRow } from '../engine/rows';
import type { SignalName } from '../engine/signals';

export type ColumnType = 'numeric' | 'text' | 'date';

/**
 * Every column of a row, in the contract's order, with the type a segment rule compares it as;
 * null for the row's key columns, which rules never name (they select Year rows themselves).
 */
const COLUMN_TYPES = {
  AccountId: 'text',
  AccountName: 'text',
  AggregationLevel: null,
  AggregationStartDate: null,
  EngagementScore: 'numeric',
  NoOfEmails_ToAccount: 'numeric',
  NoOfEmails_FromAccount: 'numeric',
  NoOfMeetings_ToAccount: 'numeric',
  NoOfMeetings_FromAccount: 'numeric',
  NoOfContactsInvolved_Emails: 'numeric',
  NoOfContactsInvolved_Meetings: 'numeric',
  NoOfAccountContactsInvolved_Emails: 'numeric',
  NoOfAccountContactsInvolved_Meetings: 'numeric',
  EngagementStartDate: 'date',
  DaysSinceLastEmail: 'numeric',
  DaysSinceLastMeeting: 'numeric',
  AverageDuration_Of_Meetings: 'numeric',
  AverageDuration_Of_AccountEmailReplies: 'numeric',
} as const satisfies Record<keyof EngagementRow, ColumnType | null>;

type Columns = typeof COLUMN_TYPES;
type ColumnsOf<T extends ColumnType> = {
  [K in keyof Columns]: Columns[K] extends T ? K : never;
}[keyof Columns];

export type RowColumn = keyof EngagementRow;
export type NumericColumn = ColumnsOf<'numeric'>;
export type TextColumn = ColumnsOf<'text'>;
export type DateColumn = ColumnsOf<'date'>;
export type SegmentColumn = NumericColumn | TextColumn | DateColumn;

/** The contract's columns, in its order: the header of every export. */
export const ROW_COLUMNS = Object.keys(COLUMN_TYPES) as readonly RowColumn[];

const columnsOf = <T extends ColumnType>(type: T) =>
  ROW_COLUMNS.filter((column): column is ColumnsOf<T> => COLUMN_TYPES[column] === type);

export const NUMERIC_COLUMNS = columnsOf('numeric');
export const TEXT_COLUMNS = columnsOf('text');
export const DATE_COLUMNS = columnsOf('date');
/** The columns a segment rule may name, as editors list them: numbers first, then text, then dates. */
export const SEGMENT_COLUMNS: readonly SegmentColumn[] = [
  ...NUMERIC_COLUMNS,
  ...TEXT_COLUMNS,
  ...DATE_COLUMNS,
];

/** The column's type, or undefined when it is not a segment column. */
export function columnType(column: string): ColumnType | undefined {
  return (COLUMN_TYPES as Record<string, ColumnType | null>)[column] ?? undefined;
}

/** Only the contract's columns, in the contract's order. */
export function contractRow(row: EngagementRow): EngagementRow {
  return Object.fromEntries(ROW_COLUMNS.map((column) => [column, row[column]])) as EngagementRow;
}

/**
 * A row as the tab's Customers list reads it: the contract's columns and the account's risk signals
 * (the names of the true ones) on Year rows, null on the other levels, which carry none.
 */
export type ListedRow = EngagementRow & { Signals: SignalName[] | null };

/** The contract's columns and the signals; a Year row written before signals existed shows none. */
export function listedRow(row: EngagementRow & { Signals?: SignalName[] | null }): ListedRow {
  return { ...contractRow(row), Signals: row.AggregationLevel === 'Year' ? (row.Signals ?? []) : null };
}

const LEVEL_ORDER: Record<string, number> = { Year: 0, Month: 1, Week: 2 };

/** AccountId, then level (Year, Month, Week), then AggregationStartDate, as the spec orders output. */
export function compareRows(a: EngagementRow, b: EngagementRow): number {
  if (a.AccountId !== b.AccountId) return a.AccountId < b.AccountId ? -1 : 1;
  const level = (LEVEL_ORDER[a.AggregationLevel] ?? 9) - (LEVEL_ORDER[b.AggregationLevel] ?? 9);
  if (level !== 0) return level;
  return a.AggregationStartDate < b.AggregationStartDate
    ? -1
    : a.AggregationStartDate > b.AggregationStartDate
      ? 1
      : 0;
}
