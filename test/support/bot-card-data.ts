import { tabLinks } from '../../bot/cards/tab-links';
import type { AccountList } from '../../core/results/account-lists';
import type { HistoryLevel } from '../../core/conversation/history-series';
import {
  cardData,
  customerCards,
  type CustomerCard,
  type CustomerCardData,
} from '../../core/results/customer-card';
import type { StoredEngagementRow } from '../../core/results/stored-rows';
import { buildReportingWindow, type EngagementRow } from '../../core/engine';
import type { StaleAlert } from '../../core/store/alert-store';
import { yearRow } from './segment-rows';

/** Typed sample data for the bot's cards (a busy account, a stale list, an alert). */
export const AS_OF = '2026-03-04T00:00:00.000Z';
export const links = tabLinks({ tabUrl: () => 'http://localhost:3978/tab/' });

function stored(row: EngagementRow, extra: Partial<StoredEngagementRow> = {}): StoredEngagementRow {
  return {
    ...row,
    PreviousEngagementScore: null,
    NextMeetingStart: null,
    NextMeetingEnd: null,
    TopEngagedUserEmail: null,
    ...extra,
  };
}

function row(
  level: 'Year' | HistoryLevel,
  start: string,
  counts: Partial<EngagementRow> = {},
): EngagementRow {
  return yearRow({
    AccountId: 'AC-00001',
    AccountName: 'Contoso Ltd',
    EngagementScore: 82,
    AggregationStartDate: start,
    AggregationLevel: level,
    ...counts,
  });
}

/** The busy account's rows of one level: one in every period of the window. */
export function busyRows(level: HistoryLevel, name = 'Contoso Ltd'): StoredEngagementRow[] {
  const grid = buildReportingWindow(Date.parse(AS_OF)).grids[level === 'Month' ? 1 : 2];
  return [...grid.starts].map((start, i) =>
    stored(
      row(level, new Date(start).toISOString(), {
        AccountName: name,
        NoOfEmails_ToAccount: 10 + i,
        NoOfEmails_FromAccount: 5 + (i % 7),
        NoOfMeetings_ToAccount: i % 3,
        NoOfMeetings_FromAccount: i % 2,
      }),
    ),
  );
}

/** The busy account's stored card, built from its rows as a run builds it. */
export function busyCard(name = 'Contoso Ltd'): CustomerCard {
  const year = row('Year', '2025-03-04T00:00:00.000Z', {
    AccountName: name,
    NoOfEmails_ToAccount: 1234,
    NoOfEmails_FromAccount: 987,
    NoOfMeetings_ToAccount: 42,
    NoOfMeetings_FromAccount: 7,
    NoOfContactsInvolved_Emails: 6,
    NoOfContactsInvolved_Meetings: 4,
    NoOfAccountContactsInvolved_Emails: 11,
    NoOfAccountContactsInvolved_Meetings: 5,
    EngagementStartDate: '2025-03-10T09:30:00.000Z',
    DaysSinceLastEmail: 3,
    DaysSinceLastMeeting: 1,
    AverageDuration_Of_Meetings: 45,
    AverageDuration_Of_AccountEmailReplies: 5.46,
  });
  const rows = [
    stored(year, {
      PreviousEngagementScore: 76,
      NextMeetingStart: '2026-03-10T14:00:00.000Z',
      NextMeetingEnd: '2026-03-10T15:00:00.000Z',
    }),
    ...busyRows('Month', name),
    ...busyRows('Week', name),
  ];
  const [card] = customerCards(rows, AS_OF);
  if (!card) throw new Error('no card');
  return card;
}

/** Card data with a row in every period of the level (the largest card). */
export function busyAccount(level: HistoryLevel, name = 'Contoso Ltd'): CustomerCardData {
  return cardData(busyCard(name), { enrichmentId: 'sales', runId: 'run-1', asOf: AS_OF }, level);
}

export function sampleList(): AccountList {
  return {
    kind: 'stale',
    asOf: AS_OF,
    accounts: [
      {
        accountId: 'AC-1',
        name: 'Mine Ltd',
        score: 35,
        band: 'Low',
        daysSinceLastEmail: 80,
        daysSinceLastMeeting: null,
        mine: true,
        signals: ['Stale', 'Unanswered'],
      },
      {
        accountId: 'AC-2',
        name: 'Theirs plc',
        score: 71,
        band: 'High',
        daysSinceLastEmail: 61,
        daysSinceLastMeeting: 90,
        mine: false,
        signals: ['Stale'],
      },
    ],
    total: 12,
    mineTotal: 1,
    thresholdDays: 60,
  };
}

export function sampleAlert(): StaleAlert {
  return {
    alertId: 'alert-1',
    enrichmentId: 'sales',
    entityName: 'Office',
    accountId: 'AC-00007',
    accountName: 'Tailspin Toys',
    episodeRunId: 'run-2',
    staleSince: AS_OF,
    runId: 'run-2',
    asOf: AS_OF,
    createdAt: AS_OF,
    thresholdDays: 60,
    daysSinceLastEmail: 64,
    daysSinceLastMeeting: null,
    engagementScore: 22,
    owner: { email: 'ana@fabrikam.com', source: 'owner-field' },
    ownerReason: null,
    status: 'open',
    closedAt: null,
    closedBy: null,
    delivery: { status: 'pending', attempts: 0 },
  };
}
