import { ROW_COLUMNS } from '../../../../core/results/columns';
import type { EngagementRow } from '../api/types';
import { formatCount, formatDate, formatDecimal } from './format';

export type Column = keyof EngagementRow;

interface ColumnInfo {
  /** The label the tab shows; the entity's own column name is the tooltip and the full view's header. */
  label: string;
  numeric: boolean;
  format(row: EngagementRow): string;
}

const count = (column: Column) => (row: EngagementRow) => {
  const value = row[column];
  return typeof value === 'number' ? formatCount(value) : '—';
};

export const COLUMNS: Record<Column, ColumnInfo> = {
  AccountId: { label: 'Account id', numeric: false, format: (r) => r.AccountId },
  AccountName: { label: 'Customer', numeric: false, format: (r) => r.AccountName },
  EngagementScore: { label: 'Score', numeric: true, format: count('EngagementScore') },
  NoOfEmails_ToAccount: { label: 'Emails sent', numeric: true, format: count('NoOfEmails_ToAccount') },
  NoOfEmails_FromAccount: {
    label: 'Emails received',
    numeric: true,
    format: count('NoOfEmails_FromAccount'),
  },
  NoOfMeetings_ToAccount: { label: 'Meetings by us', numeric: true, format: count('NoOfMeetings_ToAccount') },
  NoOfMeetings_FromAccount: {
    label: 'Meetings by them',
    numeric: true,
    format: count('NoOfMeetings_FromAccount'),
  },
  NoOfContactsInvolved_Emails: {
    label: 'Colleagues in emails',
    numeric: true,
    format: count('NoOfContactsInvolved_Emails'),
  },
  NoOfContactsInvolved_Meetings: {
    label: 'Colleagues in meetings',
    numeric: true,
    format: count('NoOfContactsInvolved_Meetings'),
  },
  NoOfAccountContactsInvolved_Emails: {
    label: 'Customer contacts in emails',
    numeric: true,
    format: count('NoOfAccountContactsInvolved_Emails'),
  },
  NoOfAccountContactsInvolved_Meetings: {
    label: 'Customer contacts in meetings',
    numeric: true,
    format: count('NoOfAccountContactsInvolved_Meetings'),
  },
  EngagementStartDate: {
    label: 'Engaged since',
    numeric: false,
    format: (r) => formatDate(r.EngagementStartDate),
  },
  DaysSinceLastEmail: { label: 'Days since email', numeric: true, format: count('DaysSinceLastEmail') },
  DaysSinceLastMeeting: { label: 'Days since meeting', numeric: true, format: count('DaysSinceLastMeeting') },
  AverageDuration_Of_Meetings: {
    label: 'Avg meeting (min)',
    numeric: true,
    format: (r) => formatDecimal(r.AverageDuration_Of_Meetings),
  },
  AverageDuration_Of_AccountEmailReplies: {
    label: 'Avg reply (h)',
    numeric: true,
    format: (r) => formatDecimal(r.AverageDuration_Of_AccountEmailReplies),
  },
  AggregationStartDate: {
    label: 'Period start',
    numeric: false,
    format: (r) => formatDate(r.AggregationStartDate),
  },
  AggregationLevel: { label: 'Level', numeric: false, format: (r) => r.AggregationLevel },
};

/** Every column of the output entity, in the data contract's order. */
export const ALL_COLUMNS: readonly Column[] = ROW_COLUMNS;

/** The preview's columns: who, the score and the headline figures. */
export const PREVIEW_COLUMNS: readonly Column[] = [
  'AccountName',
  'EngagementScore',
  'NoOfEmails_ToAccount',
  'NoOfEmails_FromAccount',
  'NoOfMeetings_ToAccount',
  'NoOfMeetings_FromAccount',
  'DaysSinceLastEmail',
  'DaysSinceLastMeeting',
];
