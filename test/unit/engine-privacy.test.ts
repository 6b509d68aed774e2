import assert from 'node:assert/strict';
import {
  Aggregator,
  AUTOMATED_LOCAL_PARTS,
  isAutomatedSender,
  mergeAggregates,
} from '../../core/engine/index.ts';
import {
  ACCOUNTS,
  CONTEXT,
  DAY,
  email,
  HOUR,
  makeContext,
  meeting,
  rowOf,
  run,
  T,
} from './engine-fixtures.test.ts';

const ANA = 'ana@fabrikam.com';
const BEN = 'ben@fabrikam.com';
const BOB = 'bob@contoso.com';
const CAROL = 'carol@contoso.com';
const PAT = 'pat@advisors.net';
const NINA = 'nina@northwind.io';

const persons = (context: typeof CONTEXT, address: string): string[] =>
  context.directory.accountsOf(address).map((i) => context.directory.accounts[i]?.id ?? '?');

describe('engine privacy: automated senders', () => {
  it('lists exactly the contract’s local parts, matched whole and in any case', () => {
    assert.deepEqual([...AUTOMATED_LOCAL_PARTS].sort(), [
      'bounce',
      'do-not-reply',
      'donotreply',
      'mailer-daemon',
      'no-reply',
      'noreply',
      'notifications',
      'postmaster',
    ]);
    for (const part of AUTOMATED_LOCAL_PARTS) assert.ok(isAutomatedSender(`${part}@contoso.com`), part);
    // Addresses reach the engine lower-cased; NoReply@Contoso.com is noreply@contoso.com there.
    assert.deepEqual(persons(CONTEXT, 'noreply@contoso.com'), []);
    assert.deepEqual(persons(CONTEXT, 'noreply@eu.contoso.com'), []);
    // Only the whole local part: these are people (or at least not on the list).
    for (const address of [
      'noreply.team@contoso.com',
      'bounces@contoso.com',
      'my-notifications@contoso.com',
    ]) {
      assert.ok(!isAutomatedSender(address), address);
      assert.deepEqual(persons(CONTEXT, address), ['A1'], address);
    }
    assert.ok(!isAutomatedSender('noreply'), 'no @: not an address');
  });

  it('are never persons, not even when the dataset lists them as contacts', () => {
    const context = makeContext({
      accounts: [
        ...ACCOUNTS.filter((a) => a.id !== 'A1'),
        {
          id: 'A1',
          name: 'Contoso',
          contactEmails: ['bob@contoso.com', 'Postmaster@Contoso.com'],
          domains: [],
        },
      ],
    });
    assert.deepEqual(persons(context, 'bob@contoso.com'), ['A1']);
    assert.deepEqual(persons(context, 'postmaster@contoso.com'), []);
  });

  it('an email whose only account persons are automated does not count; with a person it does', () => {
    const r = run([
      // From noreply@contoso.com to ana: before, a From-account email of Contoso by domain.
      email({ from: 'noreply@contoso.com', to: [ANA], at: T - 2 * DAY }),
      // Ana answering only automated addresses of Contoso.
      email({ from: ANA, to: ['no-reply@contoso.com', 'bounce@contoso.com'], at: T - 2 * DAY }),
      // Ana to a person and an automated address: counts once, one account person involved.
      email({ from: ANA, to: [BOB, 'notifications@contoso.com'], at: T - 3 * DAY }),
    ]);
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfEmails_ToAccount, 1);
    assert.equal(a1.NoOfEmails_FromAccount, 0);
    assert.equal(a1.NoOfAccountContactsInvolved_Emails, 1);
    assert.equal(a1.DaysSinceLastEmail, 3);
    assert.equal(r.totals.emailsCounted, 1);
  });

  it('a meeting organized by an automated address with a tracked attendee does not count From account', () => {
    const r = run([meeting({ organizer: 'donotreply@contoso.com', attendees: [ANA, BEN], at: T - 5 * DAY })]);
    assert.equal(rowOf(r, 'A1').NoOfMeetings_FromAccount, 0);
    assert.equal(r.totals.meetingsCounted, 0);
  });
});

describe('engine privacy: the admin’s exclusion list', () => {
  it('an excluded address is no person, even as an explicit contact of several accounts', () => {
    const context = makeContext({ excludedAddresses: [' PAT@Advisors.net ', BOB] });
    assert.deepEqual(persons(context, PAT), []);
    assert.deepEqual(persons(context, BOB), []);
    assert.deepEqual(persons(context, CAROL), ['A1']);
    assert.deepEqual(persons(context, 'bob@eu.contoso.com'), ['A1'], 'an address excludes itself only');

    const r = run(
      [
        email({ from: ANA, to: [PAT], at: T - DAY }), // only an excluded person: counts nowhere
        email({ from: BOB, to: [ANA], at: T - DAY }), // likewise
        email({ from: ANA, to: [BOB, CAROL], at: T - 2 * DAY }), // Carol still counts
      ],
      context,
    );
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfEmails_ToAccount, 1);
    assert.equal(a1.NoOfEmails_FromAccount, 0);
    assert.equal(a1.NoOfAccountContactsInvolved_Emails, 1);
    assert.equal(rowOf(r, 'A2').NoOfEmails_ToAccount, 0);
  });

  it('an excluded domain excludes its subdomains and explicit contacts on it, not look-alike domains', () => {
    const context = makeContext({
      excludedDomains: ['https://www.Contoso.com/'],
      accounts: [
        ...ACCOUNTS,
        { id: 'A5', name: 'Lookalike', contactEmails: [], domains: ['notcontoso.com'] },
      ],
    });
    assert.deepEqual(persons(context, 'dave@contoso.com'), []);
    assert.deepEqual(persons(context, 'eve@eu.sales.contoso.com'), []);
    assert.deepEqual(persons(context, CAROL), [], 'an explicit contact on an excluded domain');
    assert.deepEqual(persons(context, 'zed@contoso.com'), [], "Northwind's contact on contoso.com");
    assert.deepEqual(persons(context, PAT), ['A1', 'A2'], 'other domains are untouched');
    assert.deepEqual(persons(context, 'x@notcontoso.com'), ['A5']);
    assert.deepEqual(persons(context, 'x@contoso.com.evil.net'), []);

    const r = run(
      [
        email({ from: ANA, to: [CAROL], at: T - DAY }),
        email({ from: ANA, to: [PAT, CAROL], at: T - 2 * DAY }), // Pat's accounts, not Carol
        meeting({ organizer: 'x@eu.contoso.com', attendees: [ANA], at: T - 3 * DAY }),
        meeting({ organizer: ANA, attendees: [NINA, 'zed@contoso.com'], at: T - 4 * DAY }),
      ],
      context,
    );
    const a1 = rowOf(r, 'A1');
    assert.equal(a1.NoOfEmails_ToAccount, 1);
    assert.equal(a1.NoOfAccountContactsInvolved_Emails, 1, 'Pat only');
    assert.equal(a1.NoOfMeetings_FromAccount, 0);
    const a2 = rowOf(r, 'A2');
    assert.equal(a2.NoOfEmails_ToAccount, 1);
    assert.equal(a2.NoOfMeetings_ToAccount, 1);
    assert.equal(a2.NoOfAccountContactsInvolved_Meetings, 1, 'Nina only, not Zed');
  });

  it('changes the context key, so partials of different lists never merge', () => {
    const plain = new Aggregator(CONTEXT);
    const excluding = new Aggregator(makeContext({ excludedDomains: ['contoso.com'] }));
    assert.notEqual(plain.context.key, excluding.context.key);
    assert.throws(() => mergeAggregates(plain, excluding), /different runs/);
    assert.equal(
      makeContext({ excludedAddresses: ['Bob@contoso.com', BOB] }).key,
      makeContext({ excludedAddresses: [BOB] }).key,
      'normalised and deduplicated before the key',
    );
  });
});

describe('engine privacy: private and confidential meetings', () => {
  const at = T - 10 * DAY;
  const sensitive = [
    meeting({ organizer: ANA, attendees: [BOB], at, sensitivity: 'private' }),
    meeting({ organizer: ANA, attendees: [CAROL], at: at - DAY, sensitivity: 'confidential' }),
    meeting({ organizer: ANA, attendees: [BOB], at: at - 2 * DAY, sensitivity: 'personal', minutes: 60 }),
    meeting({ organizer: BOB, attendees: [BEN], at: at - 3 * DAY, sensitivity: 'normal', minutes: 90 }),
    meeting({ organizer: BOB, attendees: [ANA], at: at - 4 * DAY, minutes: 120 }), // Graph did not say
  ];

  it('never count by default; personal, normal and unsaid ones do', () => {
    const a1 = rowOf(run(sensitive), 'A1');
    assert.equal(a1.NoOfMeetings_ToAccount, 1);
    assert.equal(a1.NoOfMeetings_FromAccount, 2);
    assert.equal(a1.AverageDuration_Of_Meetings, 90); // (60 + 90 + 120) / 3
    assert.equal(a1.DaysSinceLastMeeting, 12);
    assert.equal(a1.NoOfAccountContactsInvolved_Meetings, 1, 'Bob; Carol was only in the confidential one');
  });

  it('count when the admin turns "count private meetings" on', () => {
    const a1 = rowOf(run(sensitive, makeContext({ countPrivateMeetings: true })), 'A1');
    assert.equal(a1.NoOfMeetings_ToAccount, 3);
    assert.equal(a1.NoOfMeetings_FromAccount, 2);
    assert.equal(a1.AverageDuration_Of_Meetings, 66); // (30 + 30 + 60 + 90 + 120) / 5
    assert.equal(a1.DaysSinceLastMeeting, 10);
    assert.equal(a1.NoOfAccountContactsInvolved_Meetings, 2);
  });

  it('a meeting private in one calendar is withheld in every calendar, whatever the order', () => {
    const shared = meeting({ organizer: ANA, attendees: [BOB, BEN], at });
    const bensPrivateCopy = { ...shared, sensitivity: 'private' as const };
    for (const copies of [
      [shared, bensPrivateCopy],
      [bensPrivateCopy, shared],
    ]) {
      const r = run(copies);
      assert.equal(rowOf(r, 'A1').NoOfMeetings_ToAccount, 0);
      assert.equal(r.totals.meetingsRead, 2);
      assert.equal(r.totals.meetingsCounted, 0);
    }
    assert.equal(
      rowOf(run([shared, bensPrivateCopy], makeContext({ countPrivateMeetings: true })), 'A1')
        .NoOfMeetings_ToAccount,
      1,
    );
  });

  it('a private meeting in the future is no next meeting unless private meetings count', () => {
    const next = meeting({ organizer: ANA, attendees: [BOB], at: T + 2 * HOUR, sensitivity: 'confidential' });
    assert.deepEqual(run([next]).nextMeetings, []);
    assert.deepEqual(
      run([next], makeContext({ countPrivateMeetings: true })).nextMeetings.map((m) => m.AccountId),
      ['A1'],
    );
  });

  it('the setting is part of the context key', () => {
    assert.notEqual(makeContext({ countPrivateMeetings: true }).key, CONTEXT.key);
    assert.equal(makeContext({ countPrivateMeetings: false }).key, CONTEXT.key);
  });
});
