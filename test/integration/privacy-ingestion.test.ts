import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DEFAULT_PRIVACY, type PrivacySettings } from '../../core/config/privacy.ts';
import { parseDatasetJson, type CustomerDataset } from '../../core/datasets/customer-dataset.ts';
import type { EngagementRow, UserEntityRow } from '../../core/engine/index.ts';
import { compareRows, contractRow } from '../../core/results/columns.ts';
import type { StoredEngagementRow } from '../../core/results/stored-rows.ts';
import { userEntityNameOf } from '../../core/config/enrichment-config.ts';
import { runEnrichment, type EnrichmentOutcome } from '../../core/runs/enrichment-run.ts';
import { startEnrichmentStack, type EnrichmentStack } from '../../local/enrichment-stack.ts';
import { parseTenantFixture, type GraphSimulator } from '../../local/graph-simulator/index.ts';

/**
 * The privacy rules through the whole product path. The hand-built fixture of
 * test/fixtures/e2e-tenant.md gains, in Ana's mailbox, activity that must never count (automated
 * senders, a private and a confidential meeting) and two emails that count unless the admin
 * excludes their address or domain. With the exclusions on, the stored rows are exactly the
 * fixture's hand-computed rows; each setting changes exactly the counts it should.
 */

const FIXTURES = new URL('../fixtures/', import.meta.url);
const AS_OF = Date.parse('2026-03-04T12:00:00Z');
const TRACKED = ['ana@fabrikam.com', 'ben@fabrikam.com', 'westsales@fabrikam.com'];
const ENTITY = 'Office';
const ANA_ID = 'a0000000-0000-4000-8000-000000000001';
const BEN_ID = 'a0000000-0000-4000-8000-000000000002';
/** Routes that read a mailbox's items or folders (not the directory look-ups of tracked users). */
const MAILBOX_ROUTE = /^GET \/users\/\{id\}\/(messages|mailFolders|calendarView|events)/;

const EXCLUSIONS: PrivacySettings = {
  ...DEFAULT_PRIVACY,
  excludedAddresses: ['buyer@contoso.com'],
  excludedDomains: ['eu.northwind.io'],
};

const party = (address: string) => ({ emailAddress: { address } });
const attendee = (address: string) => ({ type: 'required', emailAddress: { address } });

function mail(id: string, folder: string, sent: string, from: string, to: string[]) {
  return {
    id,
    internetMessageId: `<${id}@privacy.test>`,
    conversationId: `conv-${id}`,
    sentDateTime: sent,
    receivedDateTime: sent,
    from: party(from),
    toRecipients: to.map(party),
    parentFolderId: folder,
  };
}

function event(
  id: string,
  start: string,
  end: string,
  organizer: string,
  attendees: string[],
  sensitivity: string,
) {
  return {
    id,
    iCalUId: `ical-${id}`,
    sensitivity,
    start: { dateTime: start, timeZone: 'UTC' },
    end: { dateTime: end, timeZone: 'UTC' },
    organizer: party(organizer),
    attendees: attendees.map(attendee),
  };
}

/** The fixture tenant with the privacy test's additions in Ana's mailbox. */
async function tenantWithPrivacyCases() {
  const fixture = JSON.parse(await readFile(new URL('e2e-tenant.json', FIXTURES), 'utf8')) as {
    mailboxes: Record<string, { messages: unknown[]; events: unknown[] }>;
  };
  const ana = fixture.mailboxes[ANA_ID];
  assert.ok(ana);
  ana.messages.push(
    // Automated senders on account domains: never persons, so these count for no account.
    mail('auto-1', 'inbox', '2026-02-25T09:00:00Z', 'NoReply@Contoso.com', ['ana@fabrikam.com']),
    mail('auto-2', 'sentitems', '2026-02-25T10:00:00Z', 'ana@fabrikam.com', [
      'notifications@northwind.io',
      'Mailer-Daemon@litware.com',
    ]),
    // Persons by domain unless excluded: To Contoso (buyer@) and From Northwind (ops@eu.).
    mail('excluded-address', 'sentitems', '2026-02-26T09:00:00Z', 'ana@fabrikam.com', ['Buyer@Contoso.com']),
    mail('excluded-domain', 'inbox', '2026-02-26T10:00:00Z', 'ops@eu.northwind.io', ['ana@fabrikam.com']),
  );
  ana.events.push(
    // To Tailspin (A4) and From Wingtip (A5), were they not private and confidential.
    event(
      'private-1',
      '2026-02-24T14:00:00.0000000',
      '2026-02-24T15:00:00.0000000',
      'ana@fabrikam.com',
      ['tia@tailspin.com'],
      'private',
    ),
    event(
      'confidential-1',
      '2026-02-23T09:00:00.0000000',
      '2026-02-23T09:30:00.0000000',
      'wes@wingtip.com',
      ['ana@fabrikam.com'],
      'confidential',
    ),
  );
  return parseTenantFixture(fixture, 'the privacy fixture');
}

async function expectedRows(): Promise<EngagementRow[]> {
  const text = await readFile(new URL('e2e-expected.jsonl', FIXTURES), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EngagementRow);
}

describe('privacy controls through the simulator, the engine and the stored rows', function () {
  this.timeout(60_000);
  let stack: EnrichmentStack;
  let simulator: GraphSimulator;
  let dataset: CustomerDataset;
  let expected: EngagementRow[];
  let runs = 0;

  const enrich = (privacy?: PrivacySettings): Promise<EnrichmentOutcome> =>
    runEnrichment(
      {
        tenantId: stack.tenantId,
        runId: `privacy-${++runs}`,
        asOf: AS_OF,
        tracked: TRACKED,
        dataset,
        mapping: { emailField: 'Email', domainField: 'Domain', ownerField: 'OwnerEmail' },
        entityName: ENTITY,
        privacy,
      },
      stack,
    );
  const storedRows = async () =>
    (await stack.results.visibleRows<StoredEngagementRow>(ENTITY)).sort(compareRows).map(contractRow);
  const yearOf = (rows: EngagementRow[], accountId: string) => {
    const row = rows.find((r) => r.AccountId === accountId && r.AggregationLevel === 'Year');
    assert.ok(row, accountId);
    return row;
  };

  before(async () => {
    dataset = parseDatasetJson(await readFile(new URL('e2e-customers.json', FIXTURES), 'utf8'));
    expected = await expectedRows();
    stack = await startEnrichmentStack({ tenant: await tenantWithPrivacyCases() });
    assert.ok(stack.simulator);
    simulator = stack.simulator;
  });

  after(() => stack.close());

  it('asks every calendar for sensitivity, and stores exactly the hand-computed rows with the exclusions', async () => {
    const before = simulator.requestLog.length;
    await enrich(EXCLUSIONS);
    const calendarRequests = simulator.requestLog
      .slice(before)
      .filter((e) => e.route.includes('calendarView'));
    assert.equal(calendarRequests.length, 3, 'one per tracked mailbox');
    for (const entry of calendarRequests) {
      const select = new URLSearchParams(entry.url.split('?')[1]).get('$select')?.split(',') ?? [];
      assert.ok(select.includes('sensitivity'), entry.url);
    }
    // Automated senders, the private and the confidential meeting and the excluded address and
    // domain add nothing: the rows are the fixture's own.
    assert.deepEqual(await storedRows(), expected);
  });

  it('counts the excluded address and domain once they are off the list', async () => {
    await enrich(DEFAULT_PRIVACY);
    const rows = await storedRows();
    assert.equal(yearOf(rows, 'A1').NoOfEmails_ToAccount, yearOf(expected, 'A1').NoOfEmails_ToAccount + 1);
    assert.equal(
      yearOf(rows, 'A2').NoOfEmails_FromAccount,
      yearOf(expected, 'A2').NoOfEmails_FromAccount + 1,
    );
    // Still nothing from the automated senders or the private meetings.
    assert.equal(yearOf(rows, 'A1').NoOfEmails_FromAccount, yearOf(expected, 'A1').NoOfEmails_FromAccount);
    assert.equal(yearOf(rows, 'A2').NoOfEmails_ToAccount, yearOf(expected, 'A2').NoOfEmails_ToAccount);
    assert.deepEqual(yearOf(rows, 'A4'), yearOf(expected, 'A4'));
    assert.deepEqual(yearOf(rows, 'A5'), yearOf(expected, 'A5'));
    assert.deepEqual(yearOf(rows, 'A6'), yearOf(expected, 'A6'));
  });

  it('counts private and confidential meetings when the admin turns that on', async () => {
    await enrich({ ...EXCLUSIONS, countPrivateMeetings: true });
    const rows = await storedRows();
    const tailspin = yearOf(rows, 'A4');
    const wingtip = yearOf(rows, 'A5');
    assert.equal(tailspin.NoOfMeetings_ToAccount, yearOf(expected, 'A4').NoOfMeetings_ToAccount + 1);
    assert.equal(wingtip.NoOfMeetings_FromAccount, yearOf(expected, 'A5').NoOfMeetings_FromAccount + 1);
    assert.equal(tailspin.DaysSinceLastMeeting, 7, 'the private meeting of 2026-02-24 14:00 is the latest');
    assert.deepEqual(yearOf(rows, 'A1'), yearOf(expected, 'A1'));
    assert.deepEqual(yearOf(rows, 'A2'), yearOf(expected, 'A2'));
  });

  it('never reads an excluded mailbox, and its user is no tracked user', async () => {
    const before = simulator.requestLog.length;
    const outcome = await enrich({ ...EXCLUSIONS, excludedMailboxes: ['Ben@Fabrikam.com'] });
    const mailboxRequests = simulator.requestLog.slice(before).filter((e) => MAILBOX_ROUTE.test(e.route));
    assert.ok(
      mailboxRequests.some((e) => e.url.includes(ANA_ID)),
      'the other mailboxes are read',
    );
    const bens = mailboxRequests.filter((e) => e.url.includes(BEN_ID) || /ben@fabrikam\.com/i.test(e.url));
    assert.deepEqual(bens, []);
    assert.equal(outcome.trackedUsers, 2);
    const users = await stack.results.visibleRows<UserEntityRow>(userEntityNameOf(ENTITY));
    assert.deepEqual(users.map((u) => u.Email).sort(), ['ana@fabrikam.com', 'cara@fabrikam.com']);
    // E6 (eve@eu.contoso.com → Ben) sat in Ben's inbox only, and E12 is Ben's own email to Pat:
    // neither is read or counted now.
    const rows = await storedRows();
    assert.ok(yearOf(rows, 'A1').NoOfEmails_FromAccount < yearOf(expected, 'A1').NoOfEmails_FromAccount);
    assert.ok(
      yearOf(rows, 'A1').NoOfContactsInvolved_Emails < yearOf(expected, 'A1').NoOfContactsInvolved_Emails,
    );
  });
});
