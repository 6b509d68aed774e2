import type { EngagementRow } from '../core/engine';
import { contractRow } from '../core/results/columns';

export function formatJsonl(rows: readonly EngagementRow[]): string {
  return rows.map((row) => JSON.stringify(contractRow(row))).join('\n') + (rows.length ? '\n' : '');
}

const TABLE_COLUMNS: readonly [header: string, cell: (row: EngagementRow) => string][] = [
  ['Account', (r) => r.AccountName],
  ['Level', (r) => r.AggregationLevel],
  ['From', (r) => r.AggregationStartDate.slice(0, 10)],
  ['Score', (r) => String(r.EngagementScore)],
  ['Emails to/from', (r) => `${r.NoOfEmails_ToAccount}/${r.NoOfEmails_FromAccount}`],
  ['Meetings to/from', (r) => `${r.NoOfMeetings_ToAccount}/${r.NoOfMeetings_FromAccount}`],
  ['Sellers', (r) => String(Math.max(r.NoOfContactsInvolved_Emails, r.NoOfContactsInvolved_Meetings))],
  [
    'Contacts',
    (r) => String(Math.max(r.NoOfAccountContactsInvolved_Emails, r.NoOfAccountContactsInvolved_Meetings)),
  ],
  ['Days since email', (r) => (r.DaysSinceLastEmail === null ? '–' : String(r.DaysSinceLastEmail))],
  ['Days since meeting', (r) => (r.DaysSinceLastMeeting === null ? '–' : String(r.DaysSinceLastMeeting))],
  [
    'Avg meeting',
    (r) =>
      r.AverageDuration_Of_Meetings === null ? '–' : `${Math.round(r.AverageDuration_Of_Meetings)} min`,
  ],
  [
    'Avg reply',
    (r) =>
      r.AverageDuration_Of_AccountEmailReplies === null
        ? '–'
        : `${r.AverageDuration_Of_AccountEmailReplies.toFixed(1)} h`,
  ],
];

const NUMERIC = new Set([
  'Score',
  'Emails to/from',
  'Meetings to/from',
  'Sellers',
  'Contacts',
  'Days since email',
  'Days since meeting',
  'Avg meeting',
  'Avg reply',
]);

/** A plain-text table for a person: aligned columns, numbers right-aligned, names truncated. */
export function formatTable(rows: readonly EngagementRow[]): string {
  const cells = rows.map((row) =>
    TABLE_COLUMNS.map(([, cell]) => {
      const text = cell(row);
      return text.length > 32 ? `${text.slice(0, 31)}…` : text;
    }),
  );
  const widths = TABLE_COLUMNS.map(([header], i) =>
    Math.max(header.length, ...cells.map((c) => c[i]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) =>
        NUMERIC.has(TABLE_COLUMNS[i]?.[0] ?? '')
          ? value.padStart(widths[i] ?? 0)
          : value.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const header = line(TABLE_COLUMNS.map(([h]) => h));
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [header, rule, ...cells.map(line), '', `${rows.length} rows`].join('\n') + '\n';
}
