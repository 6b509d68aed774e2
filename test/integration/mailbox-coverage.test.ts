import assert from 'node:assert/strict';
import { compareRows, contractRow } from '../../core/results/columns.ts';
import type { CustomerDataset } from '../../core/datasets/customer-dataset.ts';
import type { EngagementRow } from '../../core/engine/index.ts';
import type { Clock } from '../../core/graph/clock.ts';
import type { StoredEngagementRow } from '../../core/results/stored-rows.ts';
import { runEnrichment, type EnrichmentRequest } from '../../core/runs/enrichment-run.ts';
import { startEnrichmentStack, type EnrichmentStack } from '../../local/enrichment-stack.ts';
import { FILTERED_DELTA_CAP, type GraphSimulator } from '../../local/graph-simulator/index.ts';
import { parseTenantFixture, type TenantFixtureInput } from '../../local/graph-simulator/fixture-schema.ts';

/**
 * A mailbox the size real sellers have: 40,000 newsletters in the Inbox over the year, and customer
 * mail filed where people and rules put it (three folders deep under the Inbox, in a top-level folder
 * tree of the user's own, Archive, Deleted Items and its child folder, a child of Sent Items), beside
 * mail that never counts (Junk Email, Drafts, Outbox, Conversation History, Sync Issues' Conflicts).
 * Every expected number below is worked out by hand from the emails listed in `customerMail`.
 *
 * T = 2026-06-01T00:00:00Z; window [2025-06-01T00:00:00Z, T). Tracked: Ana and Ben.
 * Accounts: A1 Contoso (bob@contoso.com; domain contoso.com), A2 Northwind (nina@northwind.io),
 * A3 Adatum (carl@adatum.com), whose only mail is in folders that do not count.
 */

const AS_OF = Date.parse('2026-06-01T00:00:00Z');
const WINDOW_START = Date.parse('2025-06-01T00:00:00Z');
const NEWSLETTERS = 40_000;

const ids = {
  ana: 'c0000000-0000-4000-8000-000000000001',
  ben: 'c0000000-0000-4000-8000-000000000002',
} as const;

const who = (address: string) => ({ emailAddress: { address, name: address.split('@')[0] } });

interface MailSpec {
  id: string;
  from: string;
  to: string;
  sent: string;
  conversation: string;
  folder: string;
  draft?: boolean;
}

/** Customer mail. `counts` says what the contract makes of each, for the reader. */
const customerMail: (MailSpec & { mailbox: keyof typeof ids; counts: string })[] = [
  // A1 Contoso
  {
    mailbox: 'ana',
    id: 'e1',
    from: 'bob@contoso.com',
    to: 'ana@fabrikam.com',
    sent: '2025-08-05T10:00:00Z',
    conversation: 'c-old',
    folder: 'inbox',
    counts: "From A1; older than the Inbox's newest 5,000",
  },
  {
    mailbox: 'ana',
    id: 'e2',
    from: 'ana@fabrikam.com',
    to: 'bob@contoso.com',
    sent: '2026-05-25T09:00:00Z',
    conversation: 'c-renewal',
    folder: 'sentitems',
    counts: 'To A1',
  },
  {
    mailbox: 'ana',
    id: 'e3',
    from: 'bob@contoso.com',
    to: 'ana@fabrikam.com',
    sent: '2026-05-26T09:00:00Z',
    conversation: 'c-renewal',
    folder: 'inbox/Customers/Key accounts/Contoso',
    counts: 'From A1, three folders deep; a reply to e2: 24 h',
  },
  {
    mailbox: 'ana',
    id: 'e3',
    from: 'bob@contoso.com',
    to: 'ana@fabrikam.com',
    sent: '2026-05-26T09:00:00Z',
    conversation: 'c-renewal',
    folder: 'deleteditems',
    counts: 'the same message again, deleted: counts once',
  },
  {
    mailbox: 'ana',
    id: 'e4',
    from: 'bob@contoso.com',
    to: 'ana@fabrikam.com',
    sent: '2026-05-20T12:00:00Z',
    conversation: 'c-pricing',
    folder: 'inbox/Customers/Key accounts/Contoso',
    counts: 'From A1; nothing earlier in its conversation',
  },
  {
    mailbox: 'ana',
    id: 'e5',
    from: 'ana@fabrikam.com',
    to: 'bob@contoso.com',
    sent: '2026-04-22T08:00:00Z',
    conversation: 'c-pricing-old',
    folder: 'archive',
    counts: 'To A1, archived',
  },
  {
    mailbox: 'ana',
    id: 'e6',
    from: 'alice@contoso.com',
    to: 'ana@fabrikam.com',
    sent: '2026-05-29T10:00:00Z',
    conversation: 'c-junk',
    folder: 'junkemail',
    counts: 'nothing: Junk Email',
  },
  {
    mailbox: 'ana',
    id: 'e7',
    from: 'ana@fabrikam.com',
    to: 'bob@contoso.com',
    sent: '2026-05-30T10:00:00Z',
    conversation: 'c-draft',
    folder: 'drafts',
    draft: true,
    counts: 'nothing: a draft',
  },
  {
    mailbox: 'ben',
    id: 'e8',
    from: 'ben@fabrikam.com',
    to: 'alice@contoso.com',
    sent: '2026-05-10T10:00:00Z',
    conversation: 'c-ben',
    folder: 'sentitems/Contoso',
    counts: 'To A1, in a child of Sent Items',
  },
  // A2 Northwind
  {
    mailbox: 'ana',
    id: 'e9',
    from: 'nina@northwind.io',
    to: 'ana@fabrikam.com',
    sent: '2026-05-12T10:00:00Z',
    conversation: 'c-nw',
    folder: 'deleteditems',
    counts: 'From A2, deleted',
  },
  {
    mailbox: 'ana',
    id: 'e10',
    from: 'ana@fabrikam.com',
    to: 'nina@northwind.io',
    sent: '2025-09-01T10:00:00Z',
    conversation: 'c-nw-old',
    folder: 'deleteditems/Old threads',
    counts: 'To A2, in a child of Deleted Items',
  },
  {
    mailbox: 'ana',
    id: 'e14',
    from: 'nina@northwind.io',
    to: 'ana@fabrikam.com',
    sent: '2026-05-15T10:00:00Z',
    conversation: 'c-nw-q2',
    folder: 'msgfolderroot/Projects/Northwind/Q2',
    counts: 'From A2, three deep in a folder tree of her own',
  },
  // A3 Adatum: nothing of it counts
  {
    mailbox: 'ana',
    id: 'e11',
    from: 'carl@adatum.com',
    to: 'ana@fabrikam.com',
    sent: '2026-05-31T10:00:00Z',
    conversation: 'c-ad',
    folder: 'junkemail',
    counts: 'nothing: Junk Email',
  },
  {
    mailbox: 'ana',
    id: 'e12',
    from: 'ana@fabrikam.com',
    to: 'carl@adatum.com',
    sent: '2026-05-31T11:00:00Z',
    conversation: 'c-ad',
    folder: 'outbox',
    counts: 'nothing: Outbox',
  },
  {
    mailbox: 'ana',
    id: 'e13',
    from: 'carl@adatum.com',
    to: 'ana@fabrikam.com',
    sent: '2026-05-30T11:00:00Z',
    conversation: 'c-ad',
    folder: 'conflicts',
    counts: 'nothing: Sync Issues/Conflicts',
  },
  {
    mailbox: 'ana',
    id: 'e15',
    from: 'carl@adatum.com',
    to: 'ana@fabrikam.com',
    sent: '2026-05-30T12:00:00Z',
    conversation: 'c-ad',
    folder: 'conversationhistory',
    counts: 'nothing: Conversation History',
  },
];

/** Top-level folders of Ana's own, so the top-level listing (10 per page) takes two pages. */
const OWN_FOLDERS = ['Receipts', 'Team', 'Travel', 'Training'];

function message(spec: MailSpec, received = spec.sent) {
  return {
    id: `AAMk-${spec.id}-${spec.folder.replace(/\W+/g, '-')}`,
    internetMessageId: `<${spec.id}@mail.test>`,
    conversationId: spec.conversation,
    isDraft: spec.draft === true,
    sentDateTime: spec.sent,
    receivedDateTime: received,
    from: who(spec.from),
    toRecipients: [who(spec.to)],
    parentFolderId: spec.folder,
    subject: `Subject of ${spec.id}`,
  };
}

/** 40,000 newsletters to Ana, evenly over the window, the newest an hour before T. */
function newsletters() {
  const step = Math.floor((AS_OF - WINDOW_START) / NEWSLETTERS);
  return Array.from({ length: NEWSLETTERS }, (_, i) => {
    const sent = new Date(AS_OF - 3_600_000 - i * step).toISOString().replace('.000Z', 'Z');
    return message({
      id: `news-${i}`,
      from: 'letters@news.example',
      to: 'ana@fabrikam.com',
      sent,
      conversation: `c-news-${i}`,
      folder:
        i % 50 === 0 ? `msgfolderroot/${OWN_FOLDERS[(i / 50) % OWN_FOLDERS.length] ?? 'Team'}` : 'inbox',
    });
  });
}

function tenant(): TenantFixtureInput {
  const mine = (name: keyof typeof ids) =>
    customerMail.filter((m) => m.mailbox === name).map((spec) => message(spec));
  return {
    tenant: {
      id: 'c1000000-0000-4000-8000-000000000000',
      displayName: 'Fabrikam',
      verifiedDomains: ['fabrikam.com'],
    },
    users: [
      {
        id: ids.ana,
        displayName: 'Ana Diaz',
        mail: 'ana@fabrikam.com',
        userPrincipalName: 'ana@fabrikam.com',
      },
      {
        id: ids.ben,
        displayName: 'Ben Okafor',
        mail: 'ben@fabrikam.com',
        userPrincipalName: 'ben@fabrikam.com',
      },
    ],
    mailboxes: {
      [ids.ana]: { messages: [...newsletters(), ...mine('ana')] },
      [ids.ben]: { messages: mine('ben') },
    },
  };
}

const dataset: CustomerDataset = {
  accounts: [
    { AccountId: 'A1', Name: 'Contoso Ltd', Domain: 'contoso.com' },
    { AccountId: 'A2', Name: 'Northwind Traders', Domain: 'northwind.io' },
    { AccountId: 'A3', Name: 'Adatum', Domain: 'adatum.com' },
  ],
  contacts: [
    { ContactId: 'C1', AccountId: 'A1', Email: 'bob@contoso.com' },
    { ContactId: 'C2', AccountId: 'A2', Email: 'nina@northwind.io' },
    { ContactId: 'C3', AccountId: 'A3', Email: 'carl@adatum.com' },
  ],
};

const YEAR_START = '2025-06-01T00:00:00.000Z';
const empty = {
  NoOfMeetings_ToAccount: 0,
  NoOfMeetings_FromAccount: 0,
  NoOfContactsInvolved_Meetings: 0,
  NoOfAccountContactsInvolved_Meetings: 0,
  DaysSinceLastMeeting: null,
  AverageDuration_Of_Meetings: null,
};

/** The Year rows, by hand (see customerMail). */
const EXPECTED_YEAR: EngagementRow[] = [
  {
    AccountId: 'A1',
    AccountName: 'Contoso Ltd',
    AggregationLevel: 'Year',
    AggregationStartDate: YEAR_START,
    // Two accounts are active; Contoso's raw score is the higher: round(100 × 2 / 2).
    EngagementScore: 100,
    // e2, e5, e8.
    NoOfEmails_ToAccount: 3,
    // e1, e3 (once, though it is in two folders), e4.
    NoOfEmails_FromAccount: 3,
    // Ana (e1–e5) and Ben (e8).
    NoOfContactsInvolved_Emails: 2,
    // bob (e1–e5) and alice, by Contoso's domain (e8; her own e6 is junk).
    NoOfAccountContactsInvolved_Emails: 2,
    EngagementStartDate: '2025-08-05T10:00:00.000Z',
    // e3, 2026-05-26T09:00Z: 5 days 15 hours before T.
    DaysSinceLastEmail: 5,
    // e3 answers e2 after 24 hours; e1 and e4 have no earlier email in their conversations.
    AverageDuration_Of_AccountEmailReplies: 24,
    ...empty,
  } as EngagementRow,
  {
    AccountId: 'A2',
    AccountName: 'Northwind Traders',
    AggregationLevel: 'Year',
    AggregationStartDate: YEAR_START,
    EngagementScore: 50,
    // e10.
    NoOfEmails_ToAccount: 1,
    // e9, e14.
    NoOfEmails_FromAccount: 2,
    NoOfContactsInvolved_Emails: 1,
    NoOfAccountContactsInvolved_Emails: 1,
    EngagementStartDate: '2025-09-01T10:00:00.000Z',
    // e14, 2026-05-15T10:00Z: 16 days 14 hours before T.
    DaysSinceLastEmail: 16,
    AverageDuration_Of_AccountEmailReplies: null,
    ...empty,
  } as EngagementRow,
  {
    AccountId: 'A3',
    AccountName: 'Adatum',
    AggregationLevel: 'Year',
    AggregationStartDate: YEAR_START,
    EngagementScore: 0,
    NoOfEmails_ToAccount: 0,
    NoOfEmails_FromAccount: 0,
    NoOfContactsInvolved_Emails: 0,
    NoOfAccountContactsInvolved_Emails: 0,
    EngagementStartDate: null,
    DaysSinceLastEmail: null,
    AverageDuration_Of_AccountEmailReplies: null,
    ...empty,
  } as EngagementRow,
];

/** Waits are recorded and skipped, so a 429 storm costs no real time. */
function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => Date.now(), sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

describe('a real-size mailbox: every counted folder read whole, at any size', function () {
  this.timeout(120_000);
  const clock = recordingClock();
  let stack: EnrichmentStack;
  let simulator: GraphSimulator;
  let runs = 0;

  const enrich = async () => {
    runs += 1;
    const request: EnrichmentRequest = {
      tenantId: stack.tenantId,
      runId: `run-${runs}`,
      asOf: AS_OF,
      tracked: ['ana@fabrikam.com', 'ben@fabrikam.com'],
      dataset,
      mapping: { emailField: 'Email', domainField: 'Domain' },
      entityName: 'Office',
    };
    return runEnrichment(request, stack);
  };
  const yearRows = async (): Promise<EngagementRow[]> =>
    (await stack.results.visibleRows<StoredEngagementRow>('Office', { level: 'Year' }))
      .sort(compareRows)
      .map(contractRow);

  before(async () => {
    stack = await startEnrichmentStack({
      tenant: parseTenantFixture(tenant()),
      client: { clock, retry: { maxAttempts: 60 } },
    });
    assert.ok(stack.simulator);
    simulator = stack.simulator;
  });
  afterEach(() => {
    simulator.faults.reset();
    simulator.resetStats();
  });
  after(() => stack.close());

  it('has what a filtered delta would lose: more than 5,000 messages in the Inbox, the oldest customer mail beyond them', () => {
    const inbox = simulator.tenant
      .mailbox(ids.ana)
      .messages.filter((m) => m.received !== null && m.received >= WINDOW_START)
      .filter(
        (m) =>
          m.parentFolderId ===
          simulator.tenant.mailFolders(ids.ana).find((f) => f.wellKnownName === 'inbox')?.id,
      );
    assert.ok(inbox.length > FILTERED_DELTA_CAP, `${inbox.length} in the Inbox`);
    const newest = [...inbox]
      .sort((a, b) => (b.received ?? 0) - (a.received ?? 0))
      .slice(0, FILTERED_DELTA_CAP);
    assert.ok(
      !newest.some((m) => m.toGraph().internetMessageId === '<e1@mail.test>'),
      'e1 is older than the newest 5,000',
    );
    assert.ok(simulator.tenant.mailbox(ids.ana).messages.length > NEWSLETTERS);
  });

  it('gives exactly the hand-computed Year rows, junk, drafts, outbox and sync issues left out, having walked the whole tree', async () => {
    const outcome = await enrich();
    assert.deepEqual(outcome.mailboxProblems, []);
    assert.deepEqual(await yearRows(), EXPECTED_YEAR);

    const log = simulator.requestLog;
    const anaRequests = log.filter((e) => e.url.startsWith(`/users/${ids.ana}/`));
    const topLevel = anaRequests.filter((e) => e.route === 'GET /users/{id}/mailFolders');
    assert.equal(topLevel.length, 2, 'fourteen top-level folders take two pages of ten');
    assert.ok(anaRequests.some((e) => e.route === 'GET /users/{id}/mailFolders/{id}/childFolders'));
    // The Inbox was read page by page to its end: every newsletter in it.
    const folders = simulator.tenant.mailFolders(ids.ana);
    const inboxId = folders.find((f) => f.wellKnownName === 'inbox')?.id ?? '';
    const inInbox = simulator.tenant
      .mailbox(ids.ana)
      .messages.filter((m) => m.parentFolderId === inboxId && (m.received ?? 0) >= WINDOW_START).length;
    const inboxPages = anaRequests.filter(
      (e) =>
        e.route === 'GET /users/{id}/mailFolders/{id}/messages' &&
        e.url.includes(encodeURIComponent(inboxId)),
    );
    assert.equal(inboxPages.length, Math.ceil(inInbox / 1000));
    assert.ok(
      log.every((e) => e.status === 200),
      JSON.stringify(log.filter((e) => e.status !== 200)),
    );
  });

  it('gives the same rows through 429 storms (inside $batch too), 503s and dropped connections', async () => {
    simulator.faults.set({
      seed: 21,
      rules: [
        { kind: 'throttle', probability: 0.3, retryAfterSeconds: 2 },
        { kind: 'unavailable', probability: 0.1, retryAfterSeconds: 1 },
        { kind: 'drop', probability: 0.1 },
      ],
    });
    const outcome = await enrich();
    assert.deepEqual(outcome.mailboxProblems, []);
    assert.deepEqual(await yearRows(), EXPECTED_YEAR);
    const faults = simulator.stats.faults;
    assert.ok(faults.throttled > 10, `${faults.throttled} throttled`);
    assert.ok(
      simulator.requestLog.some((e) => e.inBatch && e.fault === 'throttle'),
      'a batch item was throttled',
    );
    assert.ok(faults.unavailable > 0 && faults.dropped > 0);
    assert.ok(stack.graph.limiter.throttling().throttled > 0, 'the client adapted to the 429s it met');
  });
});
