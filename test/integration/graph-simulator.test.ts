import assert from 'node:assert/strict';
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { Agent, fetch } from 'undici';
import type { GraphMessageInput, TenantFixtureInput } from '../graph-simulator/fixture-schema';
import { demoTenant, generateTenant, type GeneratedTenant } from '../graph-simulator/generator';
import { startGraphSimulator, type GraphSimulator } from '../graph-simulator/simulator';
import { testCertificate, type TestCertificate } from '../graph-simulator/test-certificate';
import { testGraphClient, type TestGraphClient } from '../graph-simulator/test-graph-client';

const AS_OF = '2026-11-01T00:00:00Z';
const ANA = '11111111-1111-4111-8111-111111111111';
const BEN = '22222222-2222-4222-8222-222222222222';
const CARLA = '33333333-3333-4333-8333-333333333333';
const G_ONE = 'aaaaaaaa-0000-4000-8000-000000000001';
const G_TWO = 'aaaaaaaa-0000-4000-8000-000000000002';
const MESSAGE_SELECT = 'id,from,sentDateTime,toRecipients';

interface GraphPage {
  value: Record<string, unknown>[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
  '@odata.context'?: string;
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function address(name: string, mail: string) {
  return { emailAddress: { name, address: mail } };
}

/** A small hand-written tenant: 3 users, groups with a membership cycle, 25 messages, 5 events. */
function smallFixture(): TenantFixtureInput {
  const start = Date.parse('2026-03-02T09:00:00Z');
  const messages: GraphMessageInput[] = [];
  for (let i = 0; i < 25; i++) {
    const fromAna = i % 2 === 1;
    messages.push({
      id: `msg-${i}`,
      internetMessageId: `<m${i}@example.test>`,
      conversationId: `conv-${i % 5}`,
      sentDateTime: iso(start + i * 3_600_000),
      receivedDateTime: iso(start + i * 3_600_000 + 5_000),
      from: fromAna ? address('Ana Diaz', 'ana@fabrikam.com') : address('Kim Lee', 'kim@contoso.com'),
      toRecipients: [
        fromAna ? address('Kim Lee', 'kim@contoso.com') : address('Ana Diaz', 'ana@fabrikam.com'),
      ],
      ccRecipients: i % 3 === 0 ? [address('Ben Novak', 'ben@fabrikam.com')] : [],
      parentFolderId: fromAna ? 'sentitems' : 'inbox',
      subject: 'Confidential subject',
      body: { contentType: 'text', content: 'Confidential body' },
      bodyPreview: 'Confidential preview',
    });
  }
  messages.push({
    id: 'draft-1',
    isDraft: true,
    sentDateTime: iso(start),
    receivedDateTime: iso(start),
    from: address('Ana Diaz', 'ana@fabrikam.com'),
    toRecipients: [address('Kim Lee', 'kim@contoso.com')],
  });
  const event = (id: string, startAt: string, endAt: string, extra: Record<string, unknown> = {}) => ({
    id,
    iCalUId: `ical-${id}`,
    start: { dateTime: `${startAt}.0000000`, timeZone: 'UTC' as const },
    end: { dateTime: `${endAt}.0000000`, timeZone: 'UTC' as const },
    organizer: address('Ana Diaz', 'ana@fabrikam.com'),
    attendees: [{ type: 'required' as const, emailAddress: { name: 'Kim Lee', address: 'kim@contoso.com' } }],
    subject: 'Confidential meeting',
    body: { contentType: 'html' as const, content: '<p>Confidential</p>' },
    ...extra,
  });
  return {
    tenant: {
      id: 'f0f0f0f0-0000-4000-8000-000000000000',
      displayName: 'Fabrikam',
      verifiedDomains: ['fabrikam.com'],
    },
    users: [
      { id: ANA, displayName: 'Ana Diaz', mail: 'ana@fabrikam.com', userPrincipalName: 'ana@fabrikam.com' },
      { id: BEN, displayName: 'Ben Novak', mail: 'ben@fabrikam.com', userPrincipalName: 'ben@fabrikam.com' },
      {
        id: CARLA,
        displayName: 'Carla Rossi',
        mail: 'carla@fabrikam.com',
        userPrincipalName: 'carla@fabrikam.com',
      },
    ],
    groups: [
      { id: G_ONE, displayName: 'Sales', mail: 'sales@fabrikam.com', members: [ANA, G_TWO] },
      { id: G_TWO, displayName: 'Sales Team Two', mail: 'sales2@fabrikam.com', members: [BEN, G_ONE, CARLA] },
    ],
    mailboxes: {
      [ANA]: {
        messages,
        events: [
          event('ev-jan', '2026-01-15T10:00:00', '2026-01-15T11:00:00'),
          event('ev-span', '2026-01-31T23:30:00', '2026-02-01T00:30:00'),
          event('ev-allday', '2026-02-10T00:00:00', '2026-02-11T00:00:00', { isAllDay: true }),
          event('ev-cancelled', '2026-02-20T09:00:00', '2026-02-20T09:30:00', { isCancelled: true }),
          event('ev-series-1', '2026-03-03T09:00:00', '2026-03-03T09:30:00', {
            type: 'occurrence',
            seriesMasterId: 'series-1',
          }),
        ],
      },
    },
  };
}

async function allPages(client: Client, first: string, prefer?: string) {
  const items: Record<string, unknown>[] = [];
  let url: string | undefined = first;
  let pages = 0;
  let last: GraphPage | undefined;
  while (url !== undefined) {
    const request = client.api(url);
    if (prefer !== undefined) request.header('Prefer', prefer);
    const page = (await request.get()) as GraphPage;
    pages++;
    items.push(...page.value);
    last = page;
    url = page['@odata.nextLink'];
  }
  return { items, pages, last };
}

async function graphError(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  assert.fail('expected a Graph error');
}

describe('Graph simulator', function () {
  this.timeout(30_000);
  let certificate: TestCertificate;
  let demo: GeneratedTenant;
  let demoSim: GraphSimulator;
  let smallSim: GraphSimulator;
  let demoClient: TestGraphClient;
  let smallClient: TestGraphClient;
  let retryClient: TestGraphClient;
  let agent: Agent;

  /** undici fetch against the small simulator, trusting its certificate only. */
  const raw = (
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) =>
    fetch(`${smallSim.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: 'Bearer test', ...init.headers },
      body: init.body ?? null,
      dispatcher: agent,
    });

  before(async () => {
    certificate = await testCertificate();
    demo = demoTenant({ asOf: AS_OF });
    demoSim = await startGraphSimulator({ tenant: demo.source, tls: certificate });
    smallSim = await startGraphSimulator({ tenant: smallFixture(), tls: certificate });
    demoClient = testGraphClient(demoSim.url, certificate.cert);
    smallClient = testGraphClient(smallSim.url, certificate.cert);
    retryClient = testGraphClient(smallSim.url, certificate.cert, { retry: true });
    agent = new Agent({ connect: { ca: certificate.cert } });
  });

  after(async () => {
    await Promise.all([demoClient.close(), smallClient.close(), retryClient.close(), agent.close()]);
    await Promise.all([demoSim.close(), smallSim.close()]);
  });

  afterEach(() => {
    demoSim.faults.reset();
    smallSim.faults.reset();
  });

  describe('server', () => {
    it('serves https on 127.0.0.1 under /v1.0 with an ephemeral port', () => {
      assert.match(demoSim.url, /^https:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
      assert.ok(demoSim.port > 0);
    });

    it('refuses a port that is taken, naming it', async () => {
      await assert.rejects(
        startGraphSimulator({ tenant: demo.source, tls: certificate, port: demoSim.port }),
        new RegExp(`port ${demoSim.port}`),
      );
    });

    it('answers unknown routes with 404 in Graph error shape and a request-id header', async () => {
      const response = await raw('/nothingHere');
      assert.equal(response.status, 404);
      const requestId = response.headers.get('request-id');
      assert.ok(requestId);
      const body = (await response.json()) as {
        error: { code: string; message: string; innerError: Record<string, string> };
      };
      assert.equal(typeof body.error.code, 'string');
      assert.equal(typeof body.error.message, 'string');
      assert.equal(body.error.innerError['request-id'], requestId);
      assert.ok(body.error.innerError['date']);
    });

    it('requires a bearer token', async () => {
      const response = await fetch(`${smallSim.url}/users`, { dispatcher: agent });
      assert.equal(response.status, 401);
      assert.equal(
        ((await response.json()) as { error: { code: string } }).error.code,
        'InvalidAuthenticationToken',
      );
    });
  });

  describe('users and groups', () => {
    it('pages the user list with absolute https nextLinks', async () => {
      const { items, pages, last } = await allPages(demoClient.client, '/users?$select=id,mail&$top=10');
      assert.equal(items.length, demo.users.length);
      assert.equal(pages, Math.ceil(demo.users.length / 10));
      assert.equal(new Set(items.map((u) => u['id'])).size, demo.users.length);
      assert.deepEqual(Object.keys(items[0] ?? {}).sort(), ['id', 'mail']);
      assert.equal(last?.['@odata.nextLink'], undefined);
      const first = (await demoClient.client.api('/users').top(10).get()) as GraphPage;
      assert.match(first['@odata.nextLink'] ?? '', /^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?/);
    });

    it('returns at most 100 users by default and refuses $top above 999', async () => {
      const page = (await demoClient.client.api('/users').get()) as GraphPage;
      assert.equal(page.value.length, Math.min(100, demo.users.length));
      const error = await graphError(demoClient.client.api('/users').top(1000).get());
      assert.equal(error.statusCode, 400);
    });

    it('filters users by mail and userPrincipalName, case-insensitively', async () => {
      const byMail = (await demoClient.client
        .api('/users')
        .filter("mail eq 'ANA@Fabrikam.com'")
        .select('id,displayName')
        .get()) as GraphPage;
      assert.equal(byMail.value.length, 1);
      assert.equal(byMail.value[0]?.['displayName'], 'Ana Diaz');
      const byUpn = (await demoClient.client
        .api('/users')
        .filter("userPrincipalName eq 'ana@fabrikam.com'")
        .get()) as GraphPage;
      assert.equal(byUpn.value[0]?.['id'], byMail.value[0]?.['id']);
      const none = (await demoClient.client
        .api('/users')
        .filter("mail eq 'nobody@fabrikam.com'")
        .get()) as GraphPage;
      assert.equal(none.value.length, 0);
    });

    it('gets a user by id or userPrincipalName, 404 Request_ResourceNotFound otherwise', async () => {
      const byUpn = (await smallClient.client.api('/users/ana@fabrikam.com').select('id').get()) as {
        id: string;
      };
      assert.equal(byUpn.id, ANA);
      const byId = (await smallClient.client.api(`/users/${BEN}`).get()) as { mail: string };
      assert.equal(byId.mail, 'ben@fabrikam.com');
      const error = await graphError(smallClient.client.api('/users/nobody@fabrikam.com').get());
      assert.equal(error.statusCode, 404);
      assert.equal(error.code, 'Request_ResourceNotFound');
    });

    it('expands a nested group through transitiveMembers, users only with the cast', async () => {
      const groups = (await demoClient.client
        .api('/groups')
        .filter("mail eq 'ussales@fabrikam.com'")
        .get()) as GraphPage;
      const usSales = groups.value[0];
      assert.ok(usSales);
      const west = demo.groups.find((g) => g.displayName === 'US Sales West');
      assert.ok(west);
      const all = await allPages(demoClient.client, `/groups/${String(usSales['id'])}/transitiveMembers`);
      assert.ok(all.items.some((m) => m['@odata.type'] === '#microsoft.graph.group' && m['id'] === west.id));
      const users = await allPages(
        demoClient.client,
        `/groups/${String(usSales['id'])}/transitiveMembers/microsoft.graph.user?$select=id,mail&$top=5`,
      );
      assert.ok(users.items.every((m) => m['@odata.type'] === '#microsoft.graph.user'));
      const ids = new Set(users.items.map((m) => m['id']));
      for (const member of west.members) assert.ok(ids.has(member), 'nested group members are included');
      assert.equal(ids.size, users.items.length, 'each user once');
    });

    it('survives membership cycles', async () => {
      const members = (await smallClient.client.api(`/groups/${G_ONE}/transitiveMembers`).get()) as GraphPage;
      const ids = members.value.map((m) => m['id']).sort();
      assert.deepEqual(ids, [ANA, BEN, CARLA, G_TWO].sort());
    });
  });

  describe('messages', () => {
    it('reads a folder with $select across pages, returning only selected properties, id and etag', async () => {
      const ana = demo.sellers[0];
      assert.ok(ana);
      const inboxId = demo.mailFolders(ana.id).find((f) => f.wellKnownName === 'inbox')?.id;
      const expected = demo.mailbox(ana.id).messages.filter((m) => m.parentFolderId === inboxId).length;
      const { items, pages } = await allPages(
        demoClient.client,
        `/users/${ana.id}/mailFolders/inbox/messages?$select=${MESSAGE_SELECT}&$top=50`,
      );
      assert.equal(items.length, expected);
      assert.equal(pages, Math.ceil(expected / 50));
      for (const item of items) {
        assert.deepEqual(Object.keys(item).sort(), [
          '@odata.etag',
          'from',
          'id',
          'sentDateTime',
          'toRecipients',
        ]);
      }
      const from = items[0]?.['from'] as { emailAddress: { name: string; address: string } };
      assert.equal(typeof from.emailAddress.address, 'string');
      assert.equal(new Set(items.map((i) => i['id'])).size, items.length);
    });

    it('lists the whole mailbox newest first by default', async () => {
      const page = (await smallClient.client
        .api(`/users/${ANA}/messages`)
        .select('id,receivedDateTime')
        .top(30)
        .get()) as GraphPage;
      assert.equal(page.value.length, 26);
      const times = page.value.map((m) => String(m['receivedDateTime']));
      assert.deepEqual(times, [...times].sort().reverse());
    });

    it('answers 403 when $select is missing or names body, bodyPreview or uniqueBody', async () => {
      for (const select of [null, 'id,body', 'bodyPreview', 'id,uniqueBody', '*']) {
        const request = smallClient.client.api(`/users/${ANA}/messages`);
        if (select !== null) request.select(select);
        const error = await graphError(request.get());
        assert.equal(error.statusCode, 403, `$select=${String(select)}`);
        assert.equal(error.code, 'ErrorAccessDenied');
      }
      const delta = await graphError(
        smallClient.client
          .api(`/users/${ANA}/mailFolders/inbox/messages/delta`)
          .select('id,bodyPreview')
          .get(),
      );
      assert.equal(delta.statusCode, 403);
      const single = await graphError(
        smallClient.client.api(`/users/${ANA}/messages/msg-1`).select('body').get(),
      );
      assert.equal(single.statusCode, 403);
    });

    it('answers 400 for $top above 1000, unknown properties and bad filters', async () => {
      const top = await graphError(
        smallClient.client.api(`/users/${ANA}/messages`).select('id').top(1001).get(),
      );
      assert.equal(top.statusCode, 400);
      const unknown = await graphError(
        smallClient.client.api(`/users/${ANA}/messages`).select('id,colour').get(),
      );
      assert.equal(unknown.statusCode, 400);
      const filter = await graphError(
        smallClient.client.api(`/users/${ANA}/messages`).select('id').filter('subject eq 1').get(),
      );
      assert.equal(filter.statusCode, 400);
      const order = await graphError(
        smallClient.client
          .api(`/users/${ANA}/messages`)
          .select('id')
          .filter('sentDateTime ge 2026-03-02T00:00:00Z')
          .orderby('receivedDateTime desc')
          .get(),
      );
      assert.equal(order.code, 'InefficientFilter');
      const unknownUser = await graphError(
        smallClient.client.api('/users/nobody@fabrikam.com/messages').select('id').get(),
      );
      assert.equal(unknownUser.statusCode, 404);
    });

    it('filters on sentDateTime and receivedDateTime with ge/gt/le/lt and and', async () => {
      const page = (await smallClient.client
        .api(`/users/${ANA}/messages`)
        .select('id,sentDateTime')
        .filter(
          'sentDateTime ge 2026-03-02T10:00:00Z and sentDateTime lt 2026-03-02T15:00:00Z and isDraft eq false',
        )
        .orderby('sentDateTime asc')
        .top(100)
        .get()) as GraphPage;
      assert.deepEqual(
        page.value.map((m) => m['id']),
        ['msg-1', 'msg-2', 'msg-3', 'msg-4', 'msg-5'],
      );
      const received = (await smallClient.client
        .api(`/users/${ANA}/mailFolders/sentitems/messages`)
        .select('id')
        .filter('receivedDateTime ge 2026-03-03T08:00:05Z and receivedDateTime lt 2026-03-03T09:00:05Z')
        .get()) as GraphPage;
      assert.deepEqual(
        received.value.map((m) => m['id']),
        ['msg-23'],
      );
    });

    it('puts drafts without a folder in Drafts and resolves well-known folder names', async () => {
      const drafts = (await smallClient.client
        .api(`/users/${ANA}/mailFolders/drafts/messages`)
        .select('id,isDraft')
        .get()) as GraphPage;
      assert.deepEqual(
        drafts.value.map((m) => m['id']),
        ['draft-1'],
      );
      const folder = (await smallClient.client.api(`/users/${ANA}/mailFolders/Inbox`).get()) as {
        id: string;
        totalItemCount: number;
      };
      assert.equal(folder.totalItemCount, 13);
      const byId = (await smallClient.client
        .api(`/users/${ANA}/mailFolders/${folder.id}/messages`)
        .select('id')
        .top(100)
        .get()) as GraphPage;
      assert.equal(byId.value.length, 13);
    });
  });

  describe('delta queries', () => {
    it('runs a message delta round trip: baseline pages, then only what changed', async () => {
      const prefer = 'odata.maxpagesize=5, IdType="ImmutableId"';
      const baseline = await allPages(
        smallClient.client,
        `/users/${ANA}/mailFolders/inbox/messages/delta?$select=id,sentDateTime,from`,
        prefer,
      );
      assert.equal(baseline.items.length, 13);
      assert.equal(baseline.pages, 3);
      const deltaLink = baseline.last?.['@odata.deltaLink'];
      assert.match(
        deltaLink ?? '',
        /^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\/.+\/messages\/delta\?%24deltatoken=/,
      );

      const quiet = (await smallClient.client.api(deltaLink ?? '').get()) as GraphPage;
      assert.equal(quiet.value.length, 0);

      const added = smallSim.addMessage(ANA, {
        internetMessageId: '<new@contoso.com>',
        sentDateTime: '2026-03-05T10:00:00Z',
        receivedDateTime: '2026-03-05T10:00:03Z',
        from: address('Kim Lee', 'kim@contoso.com'),
        toRecipients: [address('Ana Diaz', 'ana@fabrikam.com')],
        parentFolderId: 'inbox',
        subject: 'Confidential',
      });
      const changes = (await smallClient.client.api(quiet['@odata.deltaLink'] ?? '').get()) as GraphPage;
      assert.equal(changes.value.length, 1);
      assert.equal(changes.value[0]?.['id'], added.id);
      assert.equal(changes.value[0]?.['subject'], undefined, 'only the selected properties');

      smallSim.deleteMessage(ANA, 'msg-0');
      smallSim.updateMessage(ANA, 'msg-2', { parentFolderId: 'sentitems' });
      const removals = (await smallClient.client.api(changes['@odata.deltaLink'] ?? '').get()) as GraphPage;
      assert.deepEqual(
        removals.value.map((r) => [r['id'], r['@removed']]),
        [
          ['msg-0', { reason: 'deleted' }],
          ['msg-2', { reason: 'deleted' }],
        ],
      );
      const sentItems = await allPages(
        smallClient.client,
        `/users/${ANA}/mailFolders/sentitems/messages/delta?$select=id`,
        prefer,
      );
      assert.ok(
        sentItems.items.some((m) => m['id'] === 'msg-2'),
        'the moved message is in its new folder',
      );
    });

    it('applies a receivedDateTime filter to the delta baseline', async () => {
      const page = (await smallClient.client
        .api(`/users/${ANA}/mailFolders/sentitems/messages/delta`)
        .select('id')
        .filter('receivedDateTime ge 2026-03-03T06:00:00Z')
        .header('Prefer', 'odata.maxpagesize=100')
        .get()) as GraphPage;
      assert.ok(page.value.length > 0);
      assert.ok(page.value.every((m) => Number(String(m['id']).split('-')[1]) >= 21 || m['id'] === 'msg-2'));
      const unsupported = await graphError(
        smallClient.client
          .api(`/users/${ANA}/mailFolders/inbox/messages/delta`)
          .select('id')
          .filter('sentDateTime ge 2026-01-01T00:00:00Z')
          .get(),
      );
      assert.equal(unsupported.statusCode, 400);
    });

    it('answers 410 SyncStateNotFound for expired or unknown tokens', async () => {
      const first = (await smallClient.client
        .api(`/users/${CARLA}/mailFolders/inbox/messages/delta?$select=id`)
        .get()) as GraphPage;
      const deltaLink = first['@odata.deltaLink'] ?? '';
      smallSim.expireDeltaTokens();
      const expired = await graphError(smallClient.client.api(deltaLink).get());
      assert.equal(expired.statusCode, 410);
      assert.equal(expired.code, 'SyncStateNotFound');
      const garbage = await graphError(
        smallClient.client
          .api(`/users/${CARLA}/mailFolders/inbox/messages/delta?$deltatoken=not-a-token`)
          .get(),
      );
      assert.equal(garbage.statusCode, 410);
    });

    it('tracks calendarView changes with delta', async () => {
      const window = 'startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';
      const baseline = await allPages(
        smallClient.client,
        `/users/${ANA}/calendarView/delta?${window}`,
        'odata.maxpagesize=2',
      );
      assert.equal(baseline.items.length, 5);
      assert.ok(baseline.items.every((e) => e['body'] === undefined && e['bodyPreview'] === undefined));
      const added = smallSim.addEvent(ANA, {
        iCalUId: 'ical-new',
        start: { dateTime: '2026-03-10T10:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-03-10T11:00:00.0000000', timeZone: 'UTC' },
      });
      smallSim.deleteEvent(ANA, 'ev-jan');
      const changes = (await smallClient.client
        .api(baseline.last?.['@odata.deltaLink'] ?? '')
        .get()) as GraphPage;
      assert.deepEqual(
        changes.value.map((e) => [e['id'], e['@removed'] ?? null]),
        [
          [added.id, null],
          ['ev-jan', { reason: 'deleted' }],
        ],
      );
    });
  });

  describe('calendarView', () => {
    it('returns the events overlapping the window, paged', async () => {
      const { items, pages } = await allPages(
        smallClient.client,
        `/users/${ANA}/calendarView?startDateTime=2026-02-01T00:00:00Z&endDateTime=2026-02-21T00:00:00Z&$select=id,start,end,isAllDay,isCancelled,iCalUId,type,seriesMasterId&$top=1`,
      );
      assert.equal(pages, 3);
      assert.deepEqual(
        items.map((e) => e['id']),
        ['ev-span', 'ev-allday', 'ev-cancelled'],
      );
      assert.deepEqual(items[0]?.['start'], { dateTime: '2026-01-31T23:30:00.0000000', timeZone: 'UTC' });
      assert.equal(items[1]?.['isAllDay'], true);
      assert.equal(items[2]?.['isCancelled'], true);
    });

    it('filters a generated calendar by the window', async () => {
      const ana = demo.sellers[0];
      assert.ok(ana);
      const start = Date.parse('2026-05-01T00:00:00Z');
      const end = Date.parse('2026-08-01T00:00:00Z');
      const { items } = await allPages(
        demoClient.client,
        `/users/${ana.id}/calendarView?startDateTime=2026-05-01T00:00:00Z&endDateTime=2026-08-01T00:00:00Z&$select=id,start,end&$top=7`,
      );
      const expected = demo.mailbox(ana.id).events.filter((e) => e.start < end && e.end > start);
      assert.ok(expected.length > 0);
      assert.equal(items.length, expected.length);
      for (const item of items) {
        const s = Date.parse(`${String((item['start'] as { dateTime: string }).dateTime)}Z`);
        const e = Date.parse(`${String((item['end'] as { dateTime: string }).dateTime)}Z`);
        assert.ok(s < end && e > start);
      }
    });

    it('requires startDateTime, endDateTime and a $select without content', async () => {
      const missing = await graphError(
        smallClient.client
          .api(`/users/${ANA}/calendarView?startDateTime=2026-01-01T00:00:00Z`)
          .select('id')
          .get(),
      );
      assert.equal(missing.statusCode, 400);
      const window = 'startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z';
      const noSelect = await graphError(smallClient.client.api(`/users/${ANA}/calendarView?${window}`).get());
      assert.equal(noSelect.statusCode, 403);
      const body = await graphError(
        smallClient.client.api(`/users/${ANA}/calendarView?${window}`).select('id,body').get(),
      );
      assert.equal(body.statusCode, 403);
    });
  });

  describe('$batch and sendMail', () => {
    it('dispatches up to 20 requests and answers each with id, status, headers and body', async () => {
      const result = (await smallClient.client.api('/$batch').post({
        requests: [
          { id: '1', method: 'GET', url: "/users?$filter=mail eq 'ben@fabrikam.com'&$select=id" },
          { id: '2', method: 'GET', url: '/users/nobody@fabrikam.com' },
          { id: '3', method: 'GET', url: `/groups/${G_TWO}?$select=displayName`, dependsOn: ['1'] },
          { id: '4', method: 'GET', url: `/users/${ANA}/messages` },
        ],
      })) as {
        responses: {
          id: string;
          status: number;
          headers: Record<string, string>;
          body: { value?: { id: string }[] };
        }[];
      };
      const byId = new Map(result.responses.map((r) => [r.id, r]));
      assert.equal(byId.get('1')?.status, 200);
      assert.equal(byId.get('1')?.body.value?.[0]?.id, BEN);
      assert.equal(byId.get('2')?.status, 404);
      assert.equal(byId.get('3')?.status, 200);
      assert.equal(byId.get('4')?.status, 403);
      assert.ok(byId.get('1')?.headers['Content-Type']?.startsWith('application/json'));
      const tooMany = await graphError(
        smallClient.client.api('/$batch').post({
          requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })),
        }),
      );
      assert.equal(tooMany.statusCode, 400);
    });

    it('records sendMail and answers 202', async () => {
      const before = smallSim.sentMail.length;
      const response = await raw(`/users/${CARLA}/sendMail`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          message: {
            subject: 'Please grant consent',
            body: { contentType: 'Text', content: 'Open the link.' },
            toRecipients: [address('Ben Novak', 'ben@fabrikam.com')],
          },
        }),
      });
      assert.equal(response.status, 202);
      assert.equal(smallSim.sentMail.length, before + 1);
      assert.equal(smallSim.sentMail.at(-1)?.userId, CARLA);
      assert.equal(smallSim.sentMail.at(-1)?.message['subject'], 'Please grant consent');
      const inbox = (await smallClient.client
        .api(`/users/${BEN}/mailFolders/inbox/messages`)
        .select('id,from')
        .get()) as GraphPage;
      assert.equal(inbox.value.length, 1);
      const empty = await raw(`/users/${CARLA}/sendMail`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: { subject: 'x' } }),
      });
      assert.equal(empty.status, 400);
    });
  });

  describe('faults', () => {
    it('throttles a fixed sequence with Retry-After; the SDK retry handler gets through', async () => {
      smallSim.resetStats();
      smallSim.faults.set({
        rules: [{ kind: 'throttle', first: 2, retryAfterSeconds: 0, path: '/organization' }],
      });
      const org = (await retryClient.client.api('/organization').get()) as GraphPage;
      assert.equal(org.value[0]?.['displayName'], 'Fabrikam');
      assert.equal(smallSim.stats.faults.throttled, 2);
      assert.equal(smallSim.stats.byRoute['GET /organization'], 3);
      assert.deepEqual(
        smallSim.requestLog.map((r) => r.status),
        [429, 429, 200],
      );
    });

    it('sends Retry-After seconds with 429 and optionally with 503', async () => {
      smallSim.faults.set({
        rules: [
          { kind: 'throttle', sequence: [true, false], retryAfterSeconds: 7, path: '/users' },
          { kind: 'unavailable', first: 1, retryAfterSeconds: 3, path: '/groups' },
        ],
      });
      const throttled = await raw('/users');
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '7');
      assert.equal(((await throttled.json()) as { error: { code: string } }).error.code, 'TooManyRequests');
      assert.equal((await raw('/users')).status, 200);
      const unavailable = await raw('/groups');
      assert.equal(unavailable.status, 503);
      assert.equal(unavailable.headers.get('retry-after'), '3');
      assert.equal((await raw('/groups')).status, 200);
    });

    it('is deterministic for a seed', async () => {
      const run = async (): Promise<number[]> => {
        smallSim.faults.set({
          seed: 11,
          rules: [{ kind: 'throttle', probability: 0.5, retryAfterSeconds: 0 }],
        });
        const statuses: number[] = [];
        for (let i = 0; i < 16; i++) statuses.push((await raw('/organization')).status);
        return statuses;
      };
      const first = await run();
      assert.deepEqual(await run(), first);
      assert.ok(first.includes(429) && first.includes(200));
    });

    it('slows responses down', async () => {
      smallSim.faults.set({ rules: [{ kind: 'slow', delayMs: 250, path: '/organization' }] });
      const started = Date.now();
      assert.equal((await raw('/organization')).status, 200);
      assert.ok(Date.now() - started >= 240);
    });

    it('drops the connection in the middle of a response', async () => {
      smallSim.faults.set({ rules: [{ kind: 'drop', first: 1, path: `/users/${ANA}/messages` }] });
      await assert.rejects(async () => {
        const response = await raw(`/users/${ANA}/messages?$select=id&$top=20`);
        await response.text();
      });
      assert.equal((await raw(`/users/${ANA}/messages?$select=id`)).status, 200);
      assert.equal(smallSim.stats.faults.dropped >= 1, true);
    });

    it('denies one mailbox (403) while others and the directory stay readable', async () => {
      smallSim.faults.set({ deniedMailboxes: ['ben@fabrikam.com'] });
      const denied = await graphError(smallClient.client.api(`/users/${BEN}/messages`).select('id').get());
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.code, 'ErrorAccessDenied');
      const user = (await smallClient.client.api(`/users/${BEN}`).get()) as { id: string };
      assert.equal(user.id, BEN);
      const ana = (await smallClient.client.api(`/users/${ANA}/messages`).select('id').get()) as GraphPage;
      assert.ok(ana.value.length > 0);
    });

    it('scopes faults to a mailbox', async () => {
      smallSim.faults.set({
        rules: [{ kind: 'throttle', probability: 1, mailbox: 'carla@fabrikam.com', retryAfterSeconds: 0 }],
      });
      assert.equal((await raw(`/users/${CARLA}/messages?$select=id`)).status, 429);
      assert.equal((await raw(`/users/${ANA}/messages?$select=id`)).status, 200);
    });

    it('enforces a per-mailbox concurrency limit', async () => {
      smallSim.faults.set({
        mailboxConcurrencyLimit: 2,
        rules: [{ kind: 'slow', delayMs: 300, path: '/messages' }],
      });
      const statuses = await Promise.all(
        Array.from({ length: 5 }, async () => (await raw(`/users/${ANA}/messages?$select=id`)).status),
      );
      assert.ok(statuses.filter((s) => s === 429).length >= 1, statuses.join(','));
      assert.ok(statuses.filter((s) => s === 200).length >= 2, statuses.join(','));
    });

    it('throttles batch items individually', async () => {
      smallSim.faults.set({
        rules: [{ kind: 'throttle', probability: 1, path: '/groups', retryAfterSeconds: 2 }],
      });
      const result = (await smallClient.client.api('/$batch').post({
        requests: [
          { id: 'a', method: 'GET', url: '/groups' },
          { id: 'b', method: 'GET', url: '/organization' },
        ],
      })) as { responses: { id: string; status: number; headers: Record<string, string> }[] };
      const a = result.responses.find((r) => r.id === 'a');
      assert.equal(a?.status, 429);
      assert.equal(a?.headers['Retry-After'], '2');
      assert.equal(result.responses.find((r) => r.id === 'b')?.status, 200);
    });
  });

  describe('a large generated tenant', () => {
    it('serves one page of one of 2,500 mailboxes without generating the others', async () => {
      const large = generateTenant({ seed: 5, sellers: 2500, messagesPerMailbox: 4000, asOf: AS_OF });
      const sim = await startGraphSimulator({ tenant: large.source, tls: certificate });
      const client = testGraphClient(sim.url, certificate.cert);
      try {
        const seller = large.sellers[1234];
        assert.ok(seller);
        const page = (await client.client
          .api(`/users/${seller.mail ?? ''}/mailFolders/inbox/messages`)
          .select('id,sentDateTime')
          .top(1000)
          .get()) as GraphPage;
        assert.ok(page.value.length > 0);
        assert.equal(large.stats.mailboxesGenerated, 1);
        assert.deepEqual([...large.stats.generatedUserIds], [seller.id]);
        const users = (await client.client.api('/users').select('id').top(999).get()) as GraphPage;
        assert.equal(users.value.length, 999);
        assert.equal(large.stats.mailboxesGenerated, 1);
      } finally {
        await client.close();
        await sim.close();
      }
    });
  });

  describe('admin consent', () => {
    it('records the prompt and redirects back with admin_consent=True', async () => {
      const redirect = 'https://localhost:3978/consent-done';
      const url = `${smallSim.loginUrl}/organizations/v2.0/adminconsent?client_id=app-1&scope=https://graph.microsoft.com/.default&redirect_uri=${encodeURIComponent(redirect)}&state=s1`;
      const granted = await fetch(url, { dispatcher: agent, redirect: 'manual' });
      assert.equal(granted.status, 302);
      const location = new URL(granted.headers.get('location') ?? '');
      assert.equal(location.searchParams.get('admin_consent'), 'True');
      assert.equal(location.searchParams.get('state'), 's1');
      assert.equal(smallSim.consentRequests.at(-1)?.clientId, 'app-1');
      smallSim.setConsentOutcome('denied');
      const denied = await fetch(url, { dispatcher: agent, redirect: 'manual' });
      assert.equal(new URL(denied.headers.get('location') ?? '').searchParams.get('error'), 'access_denied');
      smallSim.setConsentOutcome('granted');
    });
  });
});
