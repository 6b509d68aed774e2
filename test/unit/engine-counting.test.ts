import assert from 'node:assert/strict';
import { engagementRowSchema, nextMeetingSchema } from '../../core/engine/index.ts';
import {
  ACCOUNTS,
  DAY,
  email,
  HOUR,
  makeContext,
  meeting,
  MINUTE,
  rowOf,
  rowsOf,
  run,
  T,
  TRACKED,
  WINDOW_START,
} from './engine-fixtures.test.ts';

const ANA = 'ana@fabrikam.com';
const ANA2 = 'ana.diaz@fabrikam.com';
const BEN = 'ben@fabrikam.com';
const BOB = 'bob@contoso.com';
const CAROL = 'carol@contoso.com';
const PAT = 'pat@advisors.net';
const NINA = 'nina@northwind.io';
const SAM = 'sam.solo@gmail.com';

describe('engine counting: emails', () => {
  it('counts To account (tracked sender, account person among to/cc/bcc) and From account', () => {
    const r = run([
      email({ from: ANA, to: [BOB], at: T - 3 * DAY }),
      email({ from: BOB, to: [ANA], at: T - 2 * DAY }),
      email({ from: BOB, to: ['someone@elsewhere.com'], at: T - 2 * DAY }), // no tracked recipient
      email({ from: ANA, to: [BEN], at: T - 2 * DAY }), // internal
      email({ from: null, to: [ANA, BOB], at: T - 2 * DAY }), // no sender
    ]);
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfEmails_ToAccount, 1);
    assert.equal(a1.NoOfEmails_FromAccount, 1);
    assert.equal(r.totals.emailsCounted, 2);
  });

  it('counts the same message seen in several mailboxes once', () => {
    const sent = email({ from: ANA, to: [BOB, BEN], at: T - DAY });
    const received = { ...sent, recipients: [BOB, BEN] }; // ben's copy (bcc would be missing there)
    const r = run([sent, received, { ...sent }]);
    assert.equal(rowOf(r, 'A1').NoOfEmails_ToAccount, 1);
    assert.equal(r.totals.emailsRead, 3);
    assert.equal(r.totals.emailsCounted, 1);
  });

  it('never counts drafts', () => {
    const r = run([email({ from: ANA, to: [BOB], at: T - DAY, isDraft: true })]);
    assert.equal(rowOf(r, 'A1').NoOfEmails_ToAccount, 0);
    assert.equal(rowsOf(r, 'A1', 'Month').length, 0);
  });

  it('counts an email at most once per account and direction', () => {
    const r = run([email({ from: ANA, to: [BOB, CAROL, 'dave@contoso.com'], at: T - DAY })]);
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfEmails_ToAccount, 1);
    assert.equal(a1.NoOfAccountContactsInvolved_Emails, 3);
  });

  it('counts an email for every account one of its addresses belongs to', () => {
    const r = run([email({ from: ANA, to: [PAT], at: T - DAY })]);
    assert.equal(rowOf(r, 'A1').NoOfEmails_ToAccount, 1);
    assert.equal(rowOf(r, 'A2').NoOfEmails_ToAccount, 1);
    assert.equal(rowOf(r, 'A1').NoOfAccountContactsInvolved_Emails, 1);
    assert.equal(rowOf(r, 'A2').NoOfAccountContactsInvolved_Emails, 1);
  });

  it('uses the explicit contact over the domain match', () => {
    const r = run([email({ from: ANA, to: ['zed@contoso.com'], at: T - DAY })]);
    assert.equal(rowOf(r, 'A1').NoOfEmails_ToAccount, 0);
    assert.equal(rowOf(r, 'A2').NoOfEmails_ToAccount, 1);
  });

  it('counts an explicit contact on a public domain, never a domain match on it', () => {
    const r = run([
      email({ from: ANA, to: [SAM], at: T - DAY }),
      email({ from: ANA, to: ['random.person@gmail.com'], at: T - DAY }),
    ]);
    assert.equal(rowOf(r, 'A3').NoOfEmails_ToAccount, 1);
    assert.equal(r.totals.emailsCounted, 1);
  });

  it("never treats the organization's own addresses as an account's persons by domain", () => {
    // A4 lists fabrikam.com, the org's domain; a colleague who is not tracked is nobody's person.
    const r = run([email({ from: ANA, to: ['colleague@fabrikam.com'], at: T - DAY })]);
    assert.equal(rowOf(r, 'A4').NoOfEmails_ToAccount, 0);
    assert.equal(r.totals.emailsCounted, 0);
  });

  it('counts one email To one account and From another when the sender is both tracked and a contact', () => {
    const context = makeContext({
      accounts: [...ACCOUNTS, { id: 'A5', name: 'Partner', contactEmails: [BEN] }],
    });
    const r = run([email({ from: BEN, to: [BOB, ANA], at: T - DAY })], context);
    assert.equal(rowOf(r, 'A1').NoOfEmails_ToAccount, 1);
    assert.equal(rowOf(r, 'A1').NoOfEmails_FromAccount, 0);
    assert.equal(rowOf(r, 'A5').NoOfEmails_ToAccount, 0);
    assert.equal(rowOf(r, 'A5').NoOfEmails_FromAccount, 1);
    // Both directions for the same account: counted once in each, weighted 1 + 1.5.
    const sameAccount = makeContext({
      accounts: ACCOUNTS.map((a) => (a.id === 'A1' ? { ...a, contactEmails: [...a.contactEmails, BEN] } : a)),
    });
    const both = run([email({ from: BEN, to: [ANA, BOB, CAROL], at: T - DAY })], sameAccount);
    const a1 = rowOf(both, 'A1');
    assert.equal(a1.NoOfEmails_ToAccount, 1);
    assert.equal(a1.NoOfEmails_FromAccount, 1);
    assert.ok(Math.abs((both.rawScores[both.rows.indexOf(a1)] ?? 0) - 2.5 * 0.5 ** (1 / 90)) < 1e-6);
  });

  it('unites the recipients of the copies (a bcc only the sent copy shows still counts)', () => {
    const sent = email({ from: ANA, to: [BOB, BEN], at: T - DAY }); // ben in bcc
    const bensCopy = { ...sent, recipients: [BOB] }; // the received copy does not show the bcc
    for (const order of [
      [bensCopy, sent],
      [sent, bensCopy],
    ]) {
      const r = run(order);
      assert.equal(rowOf(r, 'A1').NoOfEmails_ToAccount, 1);
      assert.equal(rowOf(r, 'A1').NoOfContactsInvolved_Emails, 2);
    }
    assert.equal(rowOf(run([bensCopy]), 'A1').NoOfContactsInvolved_Emails, 1);
  });

  it('counts distinct tracked users (not addresses) and distinct account persons', () => {
    const r = run([
      email({ from: ANA, to: [BOB], at: T - 3 * DAY }),
      email({ from: ANA2, to: [BOB, CAROL], at: T - 2 * DAY }), // ana's alias: the same user
      email({ from: CAROL, to: [BEN, ANA], at: T - DAY }),
    ]);
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfContactsInvolved_Emails, 2);
    assert.equal(a1.NoOfAccountContactsInvolved_Emails, 2);
    assert.equal(a1.NoOfContactsInvolved_Meetings, 0);
  });
});

describe('engine counting: meetings', () => {
  it('counts To (tracked organizer, account attendee) and From (account organizer, tracked attendee)', () => {
    const r = run([
      meeting({ organizer: ANA, attendees: [BOB, BEN], at: T - 5 * DAY }),
      meeting({ organizer: BOB, attendees: [BEN], at: T - 4 * DAY }),
      meeting({ organizer: ANA, attendees: [BEN], at: T - 3 * DAY }), // internal
      meeting({ organizer: BOB, attendees: [CAROL], at: T - 3 * DAY }), // no tracked attendee
    ]);
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfMeetings_ToAccount, 1);
    assert.equal(a1.NoOfMeetings_FromAccount, 1);
    assert.equal(a1.NoOfContactsInvolved_Meetings, 2);
    assert.equal(a1.NoOfAccountContactsInvolved_Meetings, 1);
  });

  it('counts the same occurrence in several calendars once, and each occurrence of a series', () => {
    const series = [0, 7, 14].map((d) =>
      meeting({ id: `series-1-occ-${d}`, organizer: ANA, attendees: [BOB, BEN], at: T - 30 * DAY + d * DAY }),
    );
    const inBensCalendar = series.map((m) => ({ ...m }));
    const r = run([...series, ...inBensCalendar]);
    assert.equal(rowOf(r, 'A1').NoOfMeetings_ToAccount, 3);
    assert.equal(r.totals.meetingsCounted, 3);
  });

  it('never counts cancelled or all-day meetings, even when another copy is not cancelled', () => {
    const m = meeting({ organizer: ANA, attendees: [BOB, BEN], at: T - 5 * DAY });
    const r = run([
      m,
      { ...m, isCancelled: true },
      meeting({ organizer: ANA, attendees: [BOB], at: T - 4 * DAY, isAllDay: true }),
      meeting({ organizer: ANA, attendees: [BOB], at: T - 3 * DAY, isCancelled: true }),
    ]);
    assert.equal(rowOf(r, 'A1').NoOfMeetings_ToAccount, 0);
    assert.equal(r.totals.meetingsCounted, 0);
  });

  it('averages durations in minutes; an end before the start counts as 0 minutes', () => {
    const r = run([
      meeting({ organizer: ANA, attendees: [BOB], at: T - 5 * DAY, minutes: 30 }),
      meeting({ organizer: ANA, attendees: [BOB], at: T - 4 * DAY, minutes: 60 }),
      meeting({ organizer: ANA, attendees: [NINA], at: T - 4 * DAY, minutes: 45 }),
    ]);
    assert.equal(rowOf(r, 'A1').AverageDuration_Of_Meetings, 45);
    assert.equal(rowOf(r, 'A2').AverageDuration_Of_Meetings, 45);
    assert.equal(rowOf(r, 'A3').AverageDuration_Of_Meetings, null);
    const odd = run([meeting({ organizer: ANA, attendees: [BOB], at: T - 5 * DAY, minutes: -10 })]);
    assert.equal(rowOf(odd, 'A1').AverageDuration_Of_Meetings, 0);
  });

  it('counts a meeting once for the score even when it is both To and From the account', () => {
    const context = makeContext({ tracked: [...TRACKED, [BOB, 'U3']] });
    const r = run([meeting({ organizer: BOB, attendees: [CAROL, ANA], at: T - DAY })], context);
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfMeetings_ToAccount, 1);
    assert.equal(a1.NoOfMeetings_FromAccount, 1);
    assert.ok(Math.abs((r.rawScores[r.rows.indexOf(a1)] ?? 0) - 4 * 0.5 ** (1 / 90)) < 1e-6);
  });

  it('shows the next meeting per account: earliest start at or after T, not cancelled', () => {
    const r = run([
      meeting({ organizer: ANA, attendees: [BOB], at: T + 3 * DAY, minutes: 60 }),
      meeting({ organizer: ANA, attendees: [BOB], at: T + 2 * DAY, isCancelled: true }),
      meeting({ organizer: ANA, attendees: [BOB], at: T + DAY, isAllDay: true }),
      meeting({ organizer: ANA, attendees: [BOB], at: T + 9 * DAY }),
      meeting({ organizer: NINA, attendees: [BEN], at: T }),
    ]);
    assert.deepEqual(r.nextMeetings, [
      { AccountId: 'A1', Start: '2025-06-18T12:00:00.000Z', End: '2025-06-18T13:00:00.000Z' },
      { AccountId: 'A2', Start: '2025-06-15T12:00:00.000Z', End: '2025-06-15T12:30:00.000Z' },
    ]);
    for (const n of r.nextMeetings) nextMeetingSchema.parse(n);
    assert.equal(rowOf(r, 'A1').NoOfMeetings_ToAccount, 0, 'a meeting at or after T does not count');
    assert.equal(rowOf(r, 'A2').NoOfMeetings_FromAccount, 0);
  });
});

describe('engine counting: window and periods', () => {
  it('includes the window start and excludes T', () => {
    const r = run([
      email({ from: ANA, to: [BOB], at: WINDOW_START }),
      email({ from: ANA, to: [BOB], at: WINDOW_START - 1 }),
      email({ from: ANA, to: [BOB], at: T - 1 }),
      email({ from: ANA, to: [BOB], at: T }),
      meeting({ organizer: ANA, attendees: [BOB], at: WINDOW_START }),
      meeting({ organizer: ANA, attendees: [BOB], at: WINDOW_START - 1 }),
      meeting({ organizer: ANA, attendees: [BOB], at: T - 1 }),
    ]);
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfEmails_ToAccount, 2);
    assert.equal(a1.NoOfMeetings_ToAccount, 2);
    assert.equal(a1.EngagementStartDate, '2024-06-15T12:00:00.000Z');
    assert.equal(a1.DaysSinceLastEmail, 0);
  });

  it('writes Month and Week rows only for periods with activity, the first clipped to the window', () => {
    const r = run([
      email({ from: ANA, to: [BOB], at: WINDOW_START + HOUR }), // Saturday 2024-06-15 13:00
      email({ from: ANA, to: [BOB], at: Date.UTC(2024, 6, 1, 8) }), // Monday 2024-07-01
      email({ from: BOB, to: [ANA], at: Date.UTC(2024, 6, 3, 8) }),
    ]);
    assert.deepEqual(
      rowsOf(r, 'A1', 'Month').map((x) => [
        x.AggregationStartDate,
        x.NoOfEmails_ToAccount,
        x.NoOfEmails_FromAccount,
      ]),
      [
        ['2024-06-15T12:00:00.000Z', 1, 0],
        ['2024-07-01T00:00:00.000Z', 1, 1],
      ],
    );
    assert.deepEqual(
      rowsOf(r, 'A1', 'Week').map((x) => [
        x.AggregationStartDate,
        x.NoOfEmails_ToAccount,
        x.NoOfEmails_FromAccount,
      ]),
      [
        ['2024-06-15T12:00:00.000Z', 1, 0],
        ['2024-07-01T00:00:00.000Z', 1, 1],
      ],
    );
    assert.equal(rowsOf(r, 'A2', 'Month').length, 0);
  });

  it('floors DaysSince to whole days from the last activity to the period end (Year: to T)', () => {
    const r = run([
      email({ from: ANA, to: [BOB], at: T - 2 * DAY - 23 * HOUR }),
      email({ from: ANA, to: [BOB], at: Date.UTC(2025, 4, 10, 13) }), // May: ends 2025-06-01
      meeting({ organizer: ANA, attendees: [BOB], at: Date.UTC(2025, 4, 31, 23, 59) }),
    ]);
    assert.equal(rowOf(r, 'A1').DaysSinceLastEmail, 2);
    assert.equal(rowOf(r, 'A1').DaysSinceLastMeeting, 14); // 14 days 12 h 1 min
    const may = rowOf(r, 'A1', 'Month', '2025-05-01T00:00:00.000Z');
    assert.equal(may.DaysSinceLastEmail, 21); // 21 days 11 h
    assert.equal(may.DaysSinceLastMeeting, 0); // 1 minute
    assert.equal(may.EngagementStartDate, '2025-05-10T13:00:00.000Z');
    const june = rowOf(r, 'A1', 'Month', '2025-06-01T00:00:00.000Z');
    assert.equal(june.DaysSinceLastMeeting, null);
    assert.equal(june.DaysSinceLastEmail, 2);
  });

  it('writes a Year row for every account, zeros and nulls when there was no activity', () => {
    const r = run([]);
    assert.deepEqual(
      r.rows.map((x) => [x.AccountId, x.AggregationLevel]),
      [
        ['A1', 'Year'],
        ['A2', 'Year'],
        ['A3', 'Year'],
        ['A4', 'Year'],
      ],
    );
    assert.deepEqual(rowOf(r, 'A4'), {
      AccountId: 'A4',
      AccountName: 'Quiet',
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
      AggregationStartDate: '2024-06-15T12:00:00.000Z',
      AggregationLevel: 'Year',
    });
  });

  it('orders rows by AccountId, then Year, Month, Week, then start; every row fits the schema', () => {
    const r = run([
      email({ from: ANA, to: [NINA], at: T - 40 * DAY }),
      email({ from: ANA, to: [BOB], at: T - 3 * DAY }),
      email({ from: ANA, to: [BOB], at: T - 100 * DAY }),
      meeting({ organizer: ANA, attendees: [BOB], at: T - 20 * DAY, minutes: 15 }),
    ]);
    const keys = r.rows.map(
      (x) => `${x.AccountId} ${'YMW'.indexOf(x.AggregationLevel[0] ?? '')} ${x.AggregationStartDate}`,
    );
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(rowsOf(r, 'A1', 'Month').length, 3);
    assert.equal(rowsOf(r, 'A1', 'Week').length, 3);
    for (const row of r.rows) engagementRowSchema.parse(row);
    assert.equal(r.rows.length, r.rawScores.length);
    assert.equal(r.totals.accountsEngaged, 2);
  });

  it('spans months and weeks correctly for a meeting near a boundary', () => {
    // Sunday 2025-03-30 23:30 UTC: March, and the week starting Monday 2025-03-24.
    const r = run([
      meeting({ organizer: ANA, attendees: [BOB], at: Date.UTC(2025, 2, 30, 23, 30), minutes: 60 }),
    ]);
    assert.equal(rowsOf(r, 'A1', 'Month')[0]?.AggregationStartDate, '2025-03-01T00:00:00.000Z');
    assert.equal(rowsOf(r, 'A1', 'Week')[0]?.AggregationStartDate, '2025-03-24T00:00:00.000Z');
    assert.equal(rowOf(r, 'A1').AverageDuration_Of_Meetings, 60);
    assert.equal(MINUTE * 60, HOUR);
  });
});
