import assert from 'node:assert/strict';
import {
  createGraphClient,
  simulatorGraphSettings,
  type GraphClientSettings,
  type GraphConnection,
} from '../../core/graph/client.ts';
import type { Clock } from '../../core/graph/clock.ts';
import { GraphPermissionError } from '../../core/graph/errors.ts';
import { ingestMailboxes, type IngestionProgress, type IngestionSummary } from '../../core/graph/ingest.ts';
import { EXCLUDED_WELL_KNOWN_FOLDERS } from '../../core/graph/mail-folders.ts';
import { ingestMailbox, type IngestionEvent, type MailboxRef } from '../../core/graph/mailbox.ts';
import type { RetryEvent } from '../../core/graph/middleware.ts';
import { graphGet } from '../../core/graph/request.ts';
import { EVENT_FIELDS, FOLDER_FIELDS, MESSAGE_FIELDS } from '../../core/graph/select.ts';
import { resolveTrackedUsers, TrackedUsersError } from '../../core/graph/tracked-users.ts';
import {
  parseTenantFixture,
  startGraphSimulator,
  wellKnownFolderId,
  type GraphSimulator,
} from '../../local/graph-simulator';
import type { TenantFixtureInput } from '../../local/graph-simulator/fixture-schema';
import { testCertificate, type TestCertificate } from '../support/test-certificate';

/**
 * Ingestion end to end against the Graph simulator over HTTPS: tracked users, every mailbox's
 * messages (every counted folder of the tree, nested ones included) and meetings, and faults (429
 * storms, 503s, dropped connections, a denied mailbox, the per-mailbox concurrency limit).
 */

/**
 * A small tenant for the ingestion tests, with every edge the ingestion must get right: nested
 * groups, a user found only by user principal name, a group without mail listed by id, messages
 * on both sides of the window, in nested folders, Archive, Deleted Items, Junk Email and Drafts,
 * messages without internetMessageId, cancelled,
 * all-day and far-future events, and content (subject, body) that must never be asked for.
 */

const AS_OF = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
const WINDOW_START = AS_OF - 365 * DAY;
const LOOKAHEAD_END = AS_OF + 90 * DAY;

const ids = {
  ana: '0a000000-0000-4000-8000-000000000001',
  ben: '0a000000-0000-4000-8000-000000000002',
  cara: '0a000000-0000-4000-8000-000000000003',
  dev: '0a000000-0000-4000-8000-000000000004',
  eli: '0a000000-0000-4000-8000-000000000005',
  fay: '0a000000-0000-4000-8000-000000000006',
  sales: '0b000000-0000-4000-8000-000000000001',
  west: '0b000000-0000-4000-8000-000000000002',
  support: '0b000000-0000-4000-8000-000000000003',
} as const;

type UserName = 'ana' | 'ben' | 'cara' | 'dev' | 'eli' | 'fay';
const USER_NAMES: readonly UserName[] = ['ana', 'ben', 'cara', 'dev', 'eli', 'fay'];

const mailOf = (name: UserName): string => `${name}@fabrikam.com`;

const CUSTOMERS = ['pat@contoso.com', 'lee@contoso.com', 'kim@northwind.com', 'sam@tailspin.com'];

function isoInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function utcLocal(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}0000`;
}

const who = (address: string) => ({ emailAddress: { address, name: address.split('@')[0] } });

type Message = NonNullable<TenantFixtureInput['mailboxes']>[string]['messages'];
type Events = NonNullable<TenantFixtureInput['mailboxes']>[string]['events'];

/** Where every n-th message is filed (the first rule that fits wins); the rest are in Inbox or Sent Items. */
const FOLDER_CYCLE: readonly (readonly [number, string])[] = [
  [13, 'inbox/Customers/Key accounts/Contoso'],
  [17, 'archive'],
  [19, 'junkemail'],
  [23, 'drafts'],
  [29, 'deleteditems'],
  [31, 'inbox/Customers'],
];
/** The folders whose mail never counts (engagement-metrics.md). */
const UNCOUNTED = new Set(['junkemail', 'drafts']);

/** `count` messages of one mailbox, spread from 20 days before the window to 5 days after T. */
function messagesFor(name: UserName, count: number): NonNullable<Message> {
  const owner = mailOf(name);
  const span = 390 * DAY;
  const first = WINDOW_START - 20 * DAY;
  return Array.from({ length: count }, (_, i) => {
    const customer = CUSTOMERS[i % CUSTOMERS.length] ?? 'pat@contoso.com';
    const outgoing = i % 2 === 0;
    const sent = first + Math.floor((span * i) / count) + (i % 60) * 1000;
    const folder =
      FOLDER_CYCLE.find(([every]) => i % every === every - 1)?.[1] ?? (outgoing ? 'sentitems' : 'inbox');
    return {
      id: `AAMk-${name}-${i}`,
      ...(i % 11 === 10 ? {} : { internetMessageId: `<${name}.${i}@mail.test>` }),
      conversationId: `conv-${name}-${Math.floor(i / 3)}`,
      isDraft: folder === 'drafts',
      sentDateTime: isoInstant(sent),
      receivedDateTime: isoInstant(sent + 45_000),
      from: who(outgoing ? owner : customer),
      toRecipients: [who(outgoing ? customer : owner)],
      ccRecipients: i % 5 === 0 ? [who(' Pat@Contoso.com ')] : [],
      bccRecipients: [],
      parentFolderId: folder,
      subject: `Quarterly plan ${i}`,
      body: { contentType: 'text', content: `Confidential notes ${i}` },
      bodyPreview: `Confidential notes ${i}`,
    };
  });
}

/** One message sent just before the window start but received inside it: the server filter keeps it, ingestion drops it. */
function edgeMessage(name: UserName) {
  return {
    id: `AAMk-${name}-edge`,
    internetMessageId: `<${name}.edge@mail.test>`,
    conversationId: `conv-${name}-edge`,
    isDraft: false,
    sentDateTime: isoInstant(WINDOW_START - 30_000),
    receivedDateTime: isoInstant(WINDOW_START + 30_000),
    from: who('pat@contoso.com'),
    toRecipients: [who(mailOf(name))],
    parentFolderId: 'inbox',
    subject: 'Edge',
  };
}

const SENSITIVITIES = ['normal', 'personal', 'private', 'confidential'] as const;

function eventsFor(name: UserName, count: number): NonNullable<Events> {
  const owner = mailOf(name);
  const first = WINDOW_START - 10 * DAY;
  const span = 500 * DAY;
  return Array.from({ length: count }, (_, i) => {
    const start = first + Math.floor((span * i) / count);
    const allDay = i % 13 === 12;
    return {
      id: `AAMkEv-${name}-${i}`,
      iCalUId: `ical-${name}-${i}`,
      type: i % 4 === 0 ? 'occurrence' : 'singleInstance',
      seriesMasterId: i % 4 === 0 ? `AAMkMaster-${name}` : null,
      isCancelled: i % 9 === 8,
      isAllDay: allDay,
      sensitivity: SENSITIVITIES[i % SENSITIVITIES.length],
      start: { dateTime: utcLocal(start), timeZone: 'UTC' as const },
      end: { dateTime: utcLocal(start + (allDay ? DAY : 30 * 60_000)), timeZone: 'UTC' as const },
      organizer: who(i % 3 === 0 ? (CUSTOMERS[i % CUSTOMERS.length] ?? 'pat@contoso.com') : owner),
      attendees: [who(owner), who(CUSTOMERS[(i + 1) % CUSTOMERS.length] ?? 'lee@contoso.com')],
      subject: `Review ${i}`,
      body: { contentType: 'html', content: '<p>Agenda</p>' },
    };
  });
}

const TENANT = {
  id: 'f0000000-0000-4000-8000-000000000000',
  displayName: 'Fabrikam',
  verifiedDomains: ['fabrikam.com'],
};

const MESSAGE_COUNTS: Record<UserName, number> = { ana: 320, ben: 140, cara: 90, dev: 60, eli: 40, fay: 25 };
const EVENT_COUNTS: Record<UserName, number> = { ana: 60, ben: 30, cara: 20, dev: 12, eli: 8, fay: 5 };

function tenantFixture(): TenantFixtureInput {
  const user = (name: UserName, extra: { mail?: string | null; userPrincipalName?: string } = {}) => ({
    id: ids[name],
    displayName: name[0]?.toUpperCase() + name.slice(1),
    mail: mailOf(name),
    userPrincipalName: mailOf(name),
    ...extra,
  });
  return {
    tenant: TENANT,
    users: [
      user('ana'),
      user('ben'),
      user('cara'),
      user('dev'),
      // Found only by user principal name.
      user('eli', { userPrincipalName: 'eli.w@fabrikam.onmicrosoft.com' }),
      user('fay'),
    ],
    groups: [
      { id: ids.sales, displayName: 'US Sales', mail: 'ussales@fabrikam.com', members: [ids.ben, ids.west] },
      { id: ids.west, displayName: 'West', mail: 'west@fabrikam.com', members: [ids.cara, ids.fay, ids.ana] },
      { id: ids.support, displayName: 'Support', mail: null, members: [ids.dev] },
    ],
    mailboxes: Object.fromEntries(
      USER_NAMES.map((name) => [
        ids[name],
        {
          messages: [...messagesFor(name, MESSAGE_COUNTS[name]), edgeMessage(name)],
          events: eventsFor(name, EVENT_COUNTS[name]),
        },
      ]),
    ),
  };
}

/** What ingestion must yield for a mailbox, as canonical strings (see `activityKey`). */
function expectedActivities(fixture: TenantFixtureInput, name: UserName) {
  const mailbox = fixture.mailboxes?.[ids[name]];
  const emails = (mailbox?.messages ?? [])
    .filter((m) => !UNCOUNTED.has(m.parentFolderId ?? 'inbox'))
    .filter((m) => {
      const sent = Date.parse(m.sentDateTime ?? '');
      return Date.parse(m.receivedDateTime ?? '') >= WINDOW_START && sent >= WINDOW_START && sent < AS_OF;
    })
    .map((m) => m.internetMessageId ?? m.id);
  const meetings = (mailbox?.events ?? [])
    .filter((e) => {
      const start = Date.parse(`${e.start.dateTime}Z`);
      const end = Date.parse(`${e.end.dateTime}Z`);
      return start < LOOKAHEAD_END && end > WINDOW_START;
    })
    .map((e) => e.iCalUId ?? e.id);
  return { emails: emails.sort(), meetings: meetings.sort() };
}

const LIST_ROUTE = 'GET /users/{id}/mailFolders/{id}/messages';
const CALENDAR_ROUTE = 'GET /users/{id}/calendarView';
/** The counted folders every test mailbox has, named as in the fixture. */
const COUNTED_FOLDERS = [
  'inbox',
  'sentitems',
  'archive',
  'deleteditems',
  'inbox/Customers',
  'inbox/Customers/Key accounts',
  'inbox/Customers/Key accounts/Contoso',
] as const;
const ACTIVITY_KEYS = {
  email: ['conversationId', 'from', 'id', 'isDraft', 'kind', 'recipients', 'sent'],
  meeting: ['attendees', 'end', 'id', 'isAllDay', 'isCancelled', 'kind', 'organizer', 'sensitivity', 'start'],
};

/** Records the waits asked for and sleeps at most 10 ms, so storms run fast but their waits can be checked. */
function fastClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => Date.now(),
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10)));
    },
  };
}

function collector(): { events: IngestionEvent[]; sink: (event: IngestionEvent) => void } {
  const events: IngestionEvent[] = [];
  return { events, sink: (event) => void events.push(event) };
}

/** Canonical text of every activity event, sorted: equal arrays mean the same activities. */
function activityKeys(events: readonly IngestionEvent[], mailboxId?: string): string[] {
  return events
    .flatMap((e) =>
      mailboxId === undefined || e.mailboxId === mailboxId
        ? [`${e.mailboxId}|${e.source}|${JSON.stringify(e.activity)}`]
        : [],
    )
    .sort();
}

const mailboxRefs: MailboxRef[] = USER_NAMES.map((name) => ({ id: ids[name], address: mailOf(name) }));

describe('ingestion against the Graph simulator', function () {
  this.timeout(120_000);
  let certificate: TestCertificate;
  let fixture: TenantFixtureInput;
  let sim: GraphSimulator;
  const graphs: GraphConnection[] = [];

  const connect = (overrides: Partial<GraphClientSettings> = {}, simulator = sim): GraphConnection => {
    const graph = createGraphClient({
      ...simulatorGraphSettings({ url: simulator.url, caPem: certificate.cert }),
      retry: { maxAttempts: 40, baseDelayMs: 5, maxDelayMs: 50 },
      ...overrides,
    });
    graphs.push(graph);
    return graph;
  };

  const ingestAll = async (
    graph: GraphConnection,
    options: Partial<Parameters<typeof ingestMailboxes>[3]> = {},
  ): Promise<{ summary: IngestionSummary; events: IngestionEvent[] }> => {
    const { events, sink } = collector();
    const summary = await ingestMailboxes(graph, mailboxRefs, sink, {
      asOf: AS_OF,
      ...options,
    });
    return { summary, events };
  };

  before(async () => {
    certificate = await testCertificate();
    fixture = tenantFixture();
    sim = await startGraphSimulator({ tenant: parseTenantFixture(fixture), tls: certificate });
  });

  afterEach(async () => {
    sim.faults.reset();
    sim.resetStats();
    await Promise.all(graphs.splice(0).map((g) => g.close()));
  });

  after(() => sim.close());

  /** The simulator's log of the users cast on transitiveMembers, with each request's query. */
  const castRequests = (simulator: GraphSimulator) =>
    simulator.requestLog
      .filter((r) => r.route === 'GET /groups/{id}/transitiveMembers/microsoft.graph.user')
      .map((r) => ({ ...r, query: new URL(r.url, 'https://graph.test').searchParams }));

  describe('tracked users', () => {
    it('resolves addresses, a principal name, nested groups and a group id to de-duplicated users with their groups', async () => {
      const graph = connect();
      const resolution = await resolveTrackedUsers(graph, [
        'ana@fabrikam.com',
        ' USSALES@Fabrikam.com',
        'eli.w@fabrikam.onmicrosoft.com',
        ids.support,
        'nobody@fabrikam.com',
        'Ana@Fabrikam.com',
      ]);
      assert.deepEqual(
        resolution.users.map((u) => [u.address, u.direct, u.groups.map((g) => g.displayName).sort()]),
        [
          ['ana@fabrikam.com', true, ['US Sales']],
          ['ben@fabrikam.com', false, ['US Sales']],
          ['cara@fabrikam.com', false, ['US Sales']],
          ['dev@fabrikam.com', false, ['Support']],
          ['eli@fabrikam.com', true, []],
          ['fay@fabrikam.com', false, ['US Sales']],
        ],
      );
      const eli = resolution.users.find((u) => u.id === ids.eli);
      assert.equal(eli?.userPrincipalName, 'eli.w@fabrikam.onmicrosoft.com');
      assert.equal(eli?.displayName, 'Eli');
      assert.deepEqual(resolution.unknown, ['nobody@fabrikam.com']);
      assert.deepEqual(resolution.groups.map((g) => g.id).sort(), [ids.sales, ids.support].sort());
      // Direct addresses went through JSON batching; groups were expanded users-only and transitively.
      assert.ok((sim.stats.byRoute['POST /$batch'] ?? 0) >= 1);
      assert.ok(sim.stats.batchItems >= 6);
      assert.equal(sim.stats.byRoute['GET /groups/{id}/transitiveMembers/microsoft.graph.user'], 2);
      assert.equal(sim.stats.byRoute['GET /groups/{id}/transitiveMembers'], undefined);
      // The cast is an advanced query: the simulator answers it only with $count=true and
      // ConsistencyLevel: eventual, as Graph documents.
      const casts = castRequests(sim);
      assert.equal(casts.length, 2);
      for (const cast of casts) {
        assert.equal(cast.status, 200, cast.url);
        assert.equal(cast.query.get('$count'), 'true', cast.url);
      }
    });

    it('refuses fewer than 2 users, saying how many resolved and which entries were not found', async () => {
      const graph = connect();
      await assert.rejects(
        resolveTrackedUsers(graph, ['ana@fabrikam.com', 'ghost@fabrikam.com']),
        (error: unknown) =>
          error instanceof TrackedUsersError &&
          error.resolved === 1 &&
          error.unknown.join() === 'ghost@fabrikam.com' &&
          /between 2 and 2,500 addresses, but 1 resolved from 2 entries; not found: ghost@fabrikam\.com/.test(
            error.message,
          ),
      );
      await assert.rejects(resolveTrackedUsers(graph, []), /but 0 resolved from 0 entries/);
    });

    it('keeps resolving while batch items are throttled, waiting what Retry-After says', async () => {
      const clock = fastClock();
      const graph = connect({ clock });
      sim.faults.set({
        seed: 7,
        rules: [{ kind: 'throttle', path: '/users', probability: 0.6, retryAfterSeconds: 3 }],
      });
      const resolution = await resolveTrackedUsers(graph, [
        'ana@fabrikam.com',
        'ben@fabrikam.com',
        'cara@fabrikam.com',
      ]);
      assert.deepEqual(
        resolution.users.map((u) => u.address),
        ['ana@fabrikam.com', 'ben@fabrikam.com', 'cara@fabrikam.com'],
      );
      assert.ok(sim.stats.faults.throttled > 0);
      assert.ok(clock.waits.length > 0);
      assert.ok(
        clock.waits.every((ms) => ms === 3000),
        `waits: ${clock.waits.join()}`,
      );
    });

    it('accepts 2,500 users and refuses 2,501, paging through group members', async () => {
      const many = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
          id: `1c000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          displayName: `Seller ${i}`,
          mail: `seller${i}@fabrikam.com`,
          userPrincipalName: `seller${i}@fabrikam.com`,
        }));
      const users = many(2501);
      const big = await startGraphSimulator({
        tls: certificate,
        tenant: parseTenantFixture({
          tenant: { id: TENANT.id, displayName: 'Fabrikam', verifiedDomains: ['fabrikam.com'] },
          users,
          groups: [
            {
              id: ids.sales,
              displayName: 'All',
              mail: 'all@fabrikam.com',
              members: users.slice(0, 2500).map((u) => u.id),
            },
            {
              id: ids.west,
              displayName: 'One more',
              mail: 'more@fabrikam.com',
              members: [users[2500]?.id ?? ''],
            },
          ],
        }),
      });
      try {
        const graph = connect({}, big);
        const ok = await resolveTrackedUsers(graph, ['all@fabrikam.com', 'seller7@fabrikam.com']);
        assert.equal(ok.users.length, 2500);
        assert.equal(new Set(ok.users.map((u) => u.id)).size, 2500);
        assert.equal(big.stats.byRoute['GET /groups/{id}/transitiveMembers/microsoft.graph.user'], 3);
        // Three pages of 999, 999 and 502: the nextLinks were followed with the advanced query
        // header as well (the simulator refuses a page without it).
        const pages = castRequests(big);
        assert.deepEqual(
          pages.map((p) => [p.status, p.query.get('$count'), p.query.has('$skiptoken')]),
          [
            [200, 'true', false],
            [200, 'true', true],
            [200, 'true', true],
          ],
        );
        await assert.rejects(
          resolveTrackedUsers(graph, ['all@fabrikam.com', 'more@fabrikam.com']),
          (error: unknown) =>
            error instanceof TrackedUsersError &&
            error.resolved === 2501 &&
            /between 2 and 2,500 addresses, but 2,501 resolved/.test(error.message),
        );
      } finally {
        await big.close();
      }
    });
  });

  describe('mailboxes', () => {
    let clean: string[];

    it('streams every mailbox: allow-listed fields only, all pages, the window, mapped activities', async () => {
      const graph = connect();
      const progress: IngestionProgress[] = [];
      const { summary, events } = await ingestAll(graph, {
        pageSize: 25,
        onProgress: (p) => progress.push(p),
      });
      clean = activityKeys(events);

      for (const name of USER_NAMES) {
        const expected = expectedActivities(fixture, name);
        const mine = events.filter((e) => e.mailboxId === ids[name]);
        const emails = mine.flatMap((e) => (e.activity.kind === 'email' ? [e.activity.id] : []));
        const meetings = mine.flatMap((e) => (e.activity.kind === 'meeting' ? [e.activity.id] : []));
        assert.deepEqual(emails.sort(), expected.emails, `${name}: emails`);
        assert.deepEqual(meetings.sort(), expected.meetings, `${name}: meetings`);
      }
      for (const event of events) {
        assert.deepEqual(Object.keys(event.activity).sort(), ACTIVITY_KEYS[event.activity.kind]);
      }
      // Mail filed three folders deep, archived and deleted counts; junk and drafts never do.
      const sources = new Set(events.filter((e) => e.mailboxId === ids.ana).map((e) => e.source));
      assert.deepEqual([...sources].sort(), [
        'Archive',
        'Deleted Items',
        'Inbox',
        'Inbox/Customers',
        'Inbox/Customers/Key accounts/Contoso',
        'Sent Items',
        'calendar',
      ]);
      const junk = messagesFor('ana', MESSAGE_COUNTS.ana).filter((m) => m.parentFolderId === 'junkemail');
      assert.ok(junk.length > 10);
      const seen = new Set(events.map((e) => e.activity.id));
      assert.ok(
        junk.every((m) => !seen.has(m.internetMessageId ?? m.id)),
        'nothing from Junk Email',
      );

      // One mapped example of each kind.
      const email = events.find((e) => e.activity.id === '<ana.40@mail.test>');
      assert.deepEqual(email?.activity, {
        kind: 'email',
        id: '<ana.40@mail.test>',
        conversationId: 'conv-ana-13',
        isDraft: false,
        sent: Date.parse(messagesFor('ana', 320)[40]?.sentDateTime ?? ''),
        from: 'ana@fabrikam.com',
        recipients: ['pat@contoso.com'],
      });
      const noInternetId = events.find((e) => e.activity.id === 'AAMk-ana-120');
      assert.ok(noInternetId, 'a message without internetMessageId is identified by its Graph id');
      const meeting = events.find((e) => e.activity.id === 'ical-ana-30');
      const source = eventsFor('ana', 60)[30];
      assert.deepEqual(meeting?.activity, {
        kind: 'meeting',
        id: 'ical-ana-30',
        isCancelled: false,
        isAllDay: false,
        sensitivity: 'private',
        start: Date.parse(`${source?.start.dateTime ?? ''}Z`),
        end: Date.parse(`${source?.end.dateTime ?? ''}Z`),
        organizer: 'kim@northwind.com',
        attendees: ['ana@fabrikam.com', 'sam@tailspin.com'],
      });

      // Every page of every counted folder was read, and no other folder's messages were asked for.
      let pages = 0;
      for (const name of USER_NAMES) {
        for (const folder of COUNTED_FOLDERS) {
          const served = (fixture.mailboxes?.[ids[name]]?.messages ?? []).filter(
            (m) => m.parentFolderId === folder && Date.parse(m.receivedDateTime ?? '') >= WINDOW_START,
          ).length;
          pages += Math.max(1, Math.ceil(served / 25));
        }
      }
      assert.equal(sim.stats.byRoute[LIST_ROUTE], pages);
      assert.ok((sim.stats.byRoute[CALENDAR_ROUTE] ?? 0) > USER_NAMES.length);
      assert.deepEqual(Object.keys(sim.stats.byStatus), ['200']);

      assert.equal(summary.mailboxes.length, USER_NAMES.length);
      assert.ok(summary.mailboxes.every((m) => m.status === 'ok'));
      assert.equal(summary.messages + summary.meetings, events.length);
      assert.equal(summary.permissionProblems.length + summary.failures.length, 0);
      const last = progress.at(-1);
      assert.deepEqual(last, {
        mailboxesDone: USER_NAMES.length,
        mailboxesTotal: USER_NAMES.length,
        messages: summary.messages,
        meetings: summary.meetings,
      });
      assert.deepEqual(progress[0], { mailboxesDone: 0, mailboxesTotal: 6, messages: 0, meetings: 0 });
    });

    it('asks only for allow-listed fields: the simulator refuses content, and no request of a whole run triggered that', async () => {
      const graph = connect({ retry: { maxAttempts: 1 } });
      await ingestMailbox(graph, { id: ids.ana }, () => undefined, {
        window: { asOf: AS_OF, windowStart: WINDOW_START, calendarEnd: AS_OF + 90 * DAY },
      });
      const log = sim.requestLog.filter((entry) => !entry.inBatch);
      assert.ok(log.length > 4);
      // A mailbox may lack an excluded well-known folder (404); everything else succeeded.
      assert.ok(
        log.every((entry) => entry.status === 200),
        JSON.stringify(log.map((e) => e.status)),
      );
      const allowed = (entry: (typeof log)[number]): readonly string[] => {
        if (entry.route === CALENDAR_ROUTE) return EVENT_FIELDS;
        if (entry.route === LIST_ROUTE) return MESSAGE_FIELDS;
        if (entry.route === 'GET /users/{id}/mailFolders/{id}') return ['id'];
        return FOLDER_FIELDS;
      };
      for (const entry of log) {
        const select = new URLSearchParams(entry.url.split('?')[1]).get('$select')?.split(',');
        assert.deepEqual(select, [...allowed(entry)], entry.url);
      }
      // The control: the same simulator refuses a request naming content, and one without $select.
      const path = `/users/${ids.ana}/mailFolders/inbox/messages`;
      await assert.rejects(
        graphGet(graph, `${path}?$select=id,subject,body`, { what: 'control' }),
        GraphPermissionError,
      );
      await assert.rejects(graphGet(graph, path, { what: 'control' }), GraphPermissionError);
    });

    it('rides out a 429 storm, waiting exactly what Retry-After says, with the same result', async () => {
      const clock = fastClock();
      const retries: RetryEvent[] = [];
      const graph = connect({ clock, onRetry: (e) => retries.push(e) });
      sim.faults.set({ seed: 3, rules: [{ kind: 'throttle', probability: 0.4, retryAfterSeconds: 2 }] });
      const { events, summary } = await ingestAll(graph, { pageSize: 25 });
      assert.deepEqual(activityKeys(events), clean);
      assert.ok(summary.mailboxes.every((m) => m.status === 'ok'));
      assert.ok(sim.stats.faults.throttled > 20, `${sim.stats.faults.throttled} throttled`);
      assert.equal(retries.length, sim.stats.faults.throttled);
      assert.ok(retries.every((r) => r.status === 429 && r.delayMs === 2000));
    });

    it('honours Retry-After in real time', async () => {
      const graph = connect();
      sim.faults.set({
        rules: [{ kind: 'throttle', first: 1, retryAfterSeconds: 1, path: '/calendarView' }],
      });
      const started = Date.now();
      const result = await ingestMailbox(graph, { id: ids.fay }, () => undefined, {
        window: { asOf: AS_OF, windowStart: WINDOW_START, calendarEnd: AS_OF + 90 * DAY },
      });
      assert.equal(result.status, 'ok');
      assert.equal(sim.stats.faults.throttled, 1);
      assert.ok(Date.now() - started >= 1000);
    });

    it('rides out 503s and dropped connections with the same activities as a clean run', async () => {
      const retries: RetryEvent[] = [];
      const graph = connect({ onRetry: (e) => retries.push(e) });
      sim.faults.set({
        seed: 11,
        rules: [
          { kind: 'unavailable', probability: 0.15 },
          { kind: 'drop', probability: 0.2 },
        ],
      });
      const { events, summary } = await ingestAll(graph, { pageSize: 10 });
      assert.deepEqual(activityKeys(events), clean);
      assert.ok(summary.mailboxes.every((m) => m.status === 'ok'));
      assert.ok(sim.stats.faults.unavailable > 5, `${sim.stats.faults.unavailable} unavailable`);
      assert.ok(sim.stats.faults.dropped > 5, `${sim.stats.faults.dropped} dropped`);
      assert.ok(retries.some((r) => r.status === 503));
      assert.ok(retries.some((r) => r.error?.name === 'GraphNetworkError'));
    });

    it('records a mailbox it may not read as a permissions problem and reads the others', async () => {
      const graph = connect();
      sim.faults.set({ deniedMailboxes: [mailOf('ben')] });
      const { events, summary } = await ingestAll(graph, { pageSize: 25 });
      assert.equal(summary.permissionProblems.length, 1);
      const ben = summary.permissionProblems[0];
      assert.equal(ben?.mailboxId, ids.ben);
      assert.equal(ben?.address, 'ben@fabrikam.com');
      assert.equal(ben?.status, 'permission-denied');
      assert.ok(ben?.error instanceof GraphPermissionError);
      assert.match(ben?.error?.message ?? '', /ben@fabrikam\.com/);
      assert.equal(summary.failures.length, 0);
      for (const name of USER_NAMES.filter((n) => n !== 'ben')) {
        assert.deepEqual(
          activityKeys(events, ids[name]),
          clean.filter((key) => key.startsWith(`${ids[name]}|`)),
          name,
        );
        assert.equal(summary.mailboxes.find((m) => m.mailboxId === ids[name])?.status, 'ok');
      }
    });

    it('stops the whole run on an abort or a failing sink', async () => {
      const graph = connect();
      const controller = new AbortController();
      const stop = new Error('run cancelled');
      let seen = 0;
      await assert.rejects(
        ingestMailboxes(
          graph,
          mailboxRefs,
          () => {
            if (++seen === 5) controller.abort(stop);
          },
          {
            asOf: AS_OF,
            pageSize: 25,
            signal: controller.signal,
            mailboxConcurrency: 2,
          },
        ),
        (error: unknown) => error === stop,
      );
      const requestsAtStop = sim.stats.requests;
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(sim.stats.requests, requestsAtStop, 'no request after the run stopped');

      const broken = new Error('store unavailable');
      await assert.rejects(
        ingestMailboxes(
          graph,
          mailboxRefs,
          () => {
            throw broken;
          },
          { asOf: AS_OF },
        ),
        (error: unknown) => error === broken,
      );
    });

    it('keeps each mailbox at 4 requests in flight or fewer, which the simulator enforces by default', async () => {
      const slow = { kind: 'slow' as const, delayMs: 15 };
      sim.faults.set({ rules: [slow] });
      const graph = connect({ maxConcurrency: 32 });
      const { summary } = await ingestAll(graph, { pageSize: 10, mailboxConcurrency: 6 });
      assert.ok(summary.mailboxes.every((m) => m.status === 'ok'));
      assert.equal(sim.stats.faults.concurrency, 0);
      const peaks = graph.limiter.peaks();
      assert.ok([...peaks.byKey.values()].every((n) => n <= 4));
      assert.equal(Math.max(...peaks.byKey.values()), 4);

      // The control: allowed 6 per mailbox, one mailbox's first requests trip the simulator's limit,
      // the client narrows that mailbox, and the mailbox is still read whole.
      sim.resetStats();
      sim.faults.set({ rules: [{ kind: 'slow', delayMs: 300, first: 8 }] });
      const loose = connect({ maxConcurrency: 32, maxConcurrencyPerMailbox: 6 });
      const { events, sink } = collector();
      const result = await ingestMailbox(loose, { id: ids.ana }, sink, {
        window: { asOf: AS_OF, windowStart: WINDOW_START, calendarEnd: AS_OF + 90 * DAY },
        pageSize: 50,
      });
      assert.equal(result.status, 'ok');
      assert.ok(sim.stats.faults.concurrency > 0);
      assert.equal(loose.limiter.throttling().throttled, sim.stats.faults.concurrency);
      assert.ok(loose.limiter.throttling().lowestGlobalLimit < 32, 'the client narrowed down');
      assert.deepEqual(
        activityKeys(events),
        clean.filter((key) => key.startsWith(`${ids.ana}|`)),
      );
    });

    it('reads only counted folders: never the messages of Junk Email, Drafts, Outbox, Conversation History or Sync Issues', async () => {
      const graph = connect();
      await ingestAll(graph, { pageSize: 1000 });
      const listed = sim.requestLog.filter((entry) => entry.route === LIST_ROUTE);
      const excluded = USER_NAMES.flatMap((name) =>
        EXCLUDED_WELL_KNOWN_FOLDERS.map((folder) => wellKnownFolderId(ids[name], folder)),
      );
      for (const entry of listed) {
        const folder = decodeURIComponent(entry.url.split('/')[4] ?? '');
        assert.ok(!excluded.includes(folder), `read an excluded folder: ${entry.url}`);
      }
      assert.equal(listed.length, USER_NAMES.length * COUNTED_FOLDERS.length);
    });
  });
});
