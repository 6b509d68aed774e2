import assert from 'node:assert/strict';
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import { Agent, fetch } from 'undici';
import { MAX_BATCH_PARALLEL, MAX_BATCH_REQUESTS } from '../../local/graph-simulator/batch';
import { searchTokens } from '../../local/graph-simulator/directory-query';
import {
  DEFAULT_MAILBOX_CONCURRENCY_LIMIT,
  DEFAULT_MAILBOX_REQUEST_LIMIT,
  FaultController,
} from '../../local/graph-simulator/faults';
import type { GraphMessageInput, TenantFixtureInput } from '../../local/graph-simulator/fixture-schema';
import { demoTenant, generateTenant, type GeneratedTenant } from '../../local/graph-simulator/generator';
import { defaultMailFolders, wellKnownFolderId } from '../../local/graph-simulator/mail-folders';
import { FILTERED_DELTA_CAP } from '../../local/graph-simulator/mail-routes';
import { startGraphSimulator, type GraphSimulator } from '../../local/graph-simulator/simulator';
import { testCertificate, type TestCertificate } from '../support/test-certificate';
import { testGraphClient, type TestGraphClient } from '../support/test-graph-client';

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

const DANA = '44444444-4444-4444-8444-444444444444';
const EVE = '55555555-5555-4555-8555-555555555555';
const FINN = '66666666-6666-4666-8666-666666666666';
/** Eve's inbox: this many messages received on or after DELTA_WINDOW, and 10 before it. */
const CAP_MAILBOX_SIZE = 6000;
const DELTA_WINDOW = Date.parse('2026-01-01T00:00:00Z');

/**
 * A tenant with a folder tree (Dana), a 6,010-message inbox (Eve) and an empty mailbox (Finn).
 * Dana's top level: the 9 well-known folders, Projects, Travel, Receipts and a hidden folder; below
 * the inbox: Customers / Key accounts / Contoso (3 deep) and a hidden child.
 */
function treeFixture(): TenantFixtureInput {
  const base = Date.parse('2026-02-01T08:00:00Z');
  let n = 0;
  const message = (folder: string, extra: Partial<GraphMessageInput> = {}): GraphMessageInput => {
    n++;
    return {
      id: `dana-${n}`,
      sentDateTime: iso(base + n * 60_000),
      receivedDateTime: iso(base + n * 60_000 + 1_000),
      from: address('Kim Lee', 'kim@contoso.com'),
      toRecipients: [address('Dana Berg', 'dana@fabrikam.com')],
      parentFolderId: folder,
      ...extra,
    };
  };
  const inbox = wellKnownFolderId(DANA, 'inbox');
  const dana: GraphMessageInput[] = [
    message('inbox', { isRead: false }),
    message('inbox'),
    message('inbox'),
    message('inbox/Customers'),
    message('inbox/Customers'),
    message('inbox/Customers/Key accounts'),
    message('inbox/Customers/Key accounts/Contoso', { isRead: false }),
    message('inbox/Customers/Key accounts/Contoso'),
    message('inbox/Customers/Key accounts/Contoso'),
    message('inbox/Customers/Key accounts/Contoso'),
    message('Projects'),
    message('Projects/2026'),
    message('Travel'),
    message('Receipts'),
    message('hidden-child'),
  ];
  const eve: GraphMessageInput[] = [];
  for (let i = -10; i < CAP_MAILBOX_SIZE; i++) {
    const received = DELTA_WINDOW + i * 60_000 + (i < 0 ? -3_600_000 : 0);
    eve.push({
      id: `eve-${i}`,
      sentDateTime: iso(received - 2_000),
      receivedDateTime: iso(received),
      from: address('Kim Lee', 'kim@contoso.com'),
      toRecipients: [address('Eve Moss', 'eve@fabrikam.com')],
      parentFolderId: 'inbox',
    });
  }
  const user = (id: string, name: string, mail: string) => ({
    id,
    displayName: name,
    mail,
    userPrincipalName: mail,
  });
  return {
    tenant: {
      id: 'f0f0f0f0-0000-4000-8000-000000000001',
      displayName: 'Fabrikam',
      verifiedDomains: ['fabrikam.com'],
    },
    users: [
      user(DANA, 'Dana Berg', 'dana@fabrikam.com'),
      user(EVE, 'Eve Moss', 'eve@fabrikam.com'),
      user(FINN, 'Finn Ode', 'finn@fabrikam.com'),
    ],
    mailboxes: {
      [DANA]: {
        messages: dana,
        mailFolders: [
          ...defaultMailFolders(DANA),
          { id: 'hidden-top', displayName: 'Hidden top', isHidden: true },
          { id: 'hidden-child', displayName: 'Hidden child', parentFolderId: inbox, isHidden: true },
        ],
      },
      [EVE]: { messages: eve },
    },
  };
}

interface FolderView {
  id: string;
  displayName: string;
  parentFolderId: string;
  childFolderCount: number;
  totalItemCount: number;
  unreadItemCount: number;
  isHidden: boolean;
}

/** Every folder of a mailbox, walked as a client must: /mailFolders, then /childFolders, all pages. */
async function walkFolders(
  client: Client,
  user: string,
  query = '',
): Promise<(FolderView & { path: string })[]> {
  const out: (FolderView & { path: string })[] = [];
  const walk = async (url: string, parentPath: string): Promise<void> => {
    const { items } = await allPages(client, `${url}${query}`);
    for (const item of items as unknown as FolderView[]) {
      const path = parentPath === '' ? item.displayName : `${parentPath}/${item.displayName}`;
      out.push({ ...item, path });
      if (item.childFolderCount > 0) await walk(`/users/${user}/mailFolders/${item.id}/childFolders`, path);
    }
  };
  await walk(`/users/${user}/mailFolders`, '');
  return out;
}

async function allPages(
  client: Client,
  first: string,
  prefer?: string,
  headers: Record<string, string> = {},
) {
  const items: Record<string, unknown>[] = [];
  let url: string | undefined = first;
  let pages = 0;
  let last: GraphPage | undefined;
  while (url !== undefined) {
    const request = client.api(url).headers(headers);
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
  let treeSim: GraphSimulator;
  let demoClient: TestGraphClient;
  let smallClient: TestGraphClient;
  let treeClient: TestGraphClient;
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
    treeSim = await startGraphSimulator({ tenant: treeFixture(), tls: certificate });
    demoClient = testGraphClient(demoSim.url, certificate.cert);
    smallClient = testGraphClient(smallSim.url, certificate.cert);
    treeClient = testGraphClient(treeSim.url, certificate.cert);
    retryClient = testGraphClient(smallSim.url, certificate.cert, { retry: true });
    agent = new Agent({ connect: { ca: certificate.cert } });
  });

  after(async () => {
    await Promise.all([
      demoClient.close(),
      smallClient.close(),
      treeClient.close(),
      retryClient.close(),
      agent.close(),
    ]);
    await Promise.all([demoSim.close(), smallSim.close(), treeSim.close()]);
  });

  afterEach(() => {
    demoSim.faults.reset();
    smallSim.faults.reset();
    treeSim.faults.reset();
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
        `/groups/${String(usSales['id'])}/transitiveMembers/microsoft.graph.user?$count=true&$select=id,mail&$top=5`,
        undefined,
        { ConsistencyLevel: 'eventual' },
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

  describe('advanced queries on directory objects', () => {
    const EVENTUAL = { ConsistencyLevel: 'eventual' };
    type Answer = {
      status: number;
      body: GraphPage & { '@odata.count'?: number; error?: { code: string; message: string } };
    };
    const get = async (path: string, headers: Record<string, string> = {}): Promise<Answer> => {
      const response = await raw(path, { headers });
      return { status: response.status, body: (await response.json()) as Answer['body'] };
    };
    const refused = (answer: Answer, what: string) => {
      assert.equal(answer.status, 400, what);
      assert.equal(answer.body.error?.code, 'Request_UnsupportedQuery', what);
    };
    const ids = (answer: Answer) => answer.body.value.map((item) => item['id']).sort();

    it('refuses the users cast on transitiveMembers and members without ConsistencyLevel: eventual or without $count=true', async () => {
      for (const relation of ['transitiveMembers', 'members']) {
        const cast = `/groups/${G_ONE}/${relation}/microsoft.graph.user?$select=id`;
        refused(await get(cast), `${relation}: neither`);
        refused(await get(cast, EVENTUAL), `${relation}: the header without $count=true`);
        refused(await get(`${cast}&$count=true`), `${relation}: $count=true without the header`);
        refused(await get(`${cast}&$count=false`, EVENTUAL), `${relation}: $count=false`);
        const message = (await get(cast)).body.error?.message ?? '';
        assert.match(message, new RegExp(`${relation}/microsoft\\.graph\\.user`));
        assert.match(message, /\$count=true query parameter and ConsistencyLevel:eventual header/);
      }
      // The page lists $filter, $orderby and $search with the cast: each needs both as well.
      refused(await get(`/groups/${G_ONE}/transitiveMembers?$orderby=displayName`), '$orderby');
      refused(
        await get(
          `/groups/${G_ONE}/transitiveMembers/microsoft.graph.user?$filter=${encodeURIComponent("startswith(displayName,'a')")}`,
          EVENTUAL,
        ),
        '$filter on the cast with the header only',
      );
      // Without a cast, the plain lists need neither.
      assert.equal((await get(`/groups/${G_ONE}/transitiveMembers`)).status, 200);
      assert.equal((await get(`/groups/${G_ONE}/members`)).status, 200);
    });

    it('answers the users cast with both, nested groups included, and @odata.count as Graph does', async () => {
      const transitive = await get(
        `/groups/${G_ONE}/transitiveMembers/microsoft.graph.user?$count=true&$select=id`,
        EVENTUAL,
      );
      assert.equal(transitive.status, 200);
      assert.deepEqual(ids(transitive), [ANA, BEN, CARLA].sort());
      assert.equal(transitive.body['@odata.count'], 3);
      assert.ok(transitive.body.value.every((m) => m['@odata.type'] === '#microsoft.graph.user'));
      const direct = await get(
        `/groups/${G_ONE}/members/microsoft.graph.user?$count=true&$select=id`,
        EVENTUAL,
      );
      assert.deepEqual(ids(direct), [ANA]);
      assert.equal(direct.body['@odata.count'], 1);
    });

    it('counts every item of the collection on every page, and ignores $count=true without ConsistencyLevel', async () => {
      const first = await get('/users?$count=true&$select=id&$top=2', EVENTUAL);
      assert.equal(first.body['@odata.count'], 3);
      assert.equal(first.body.value.length, 2);
      const next = first.body['@odata.nextLink'];
      assert.ok(next);
      assert.equal(new URL(next).searchParams.get('$count'), 'true', 'the nextLink keeps $count=true');
      const second = await get(next.slice(smallSim.url.length), EVENTUAL);
      assert.equal(second.body['@odata.count'], 3);
      assert.equal(second.body.value.length, 1);
      // "silently ignores the $count query parameter" without the header.
      const ignored = await get('/users?$count=true&$select=id');
      assert.equal(ignored.status, 200);
      assert.equal(ignored.body['@odata.count'], undefined);
      assert.equal(ignored.body.value.length, 3);
    });

    it('refuses $search on users and groups without ConsistencyLevel (the documented message) or without $count=true', async () => {
      for (const path of ['/users', '/groups']) {
        const search = `${path}?$search=${encodeURIComponent('"displayName:sales"')}`;
        const noHeader = await get(`${search}&$count=true`);
        refused(noHeader, `${path}: no header`);
        assert.equal(
          noHeader.body.error?.message,
          "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
        );
        refused(await get(search, EVENTUAL), `${path}: no $count=true`);
        assert.equal((await get(`${search}&$count=true`, EVENTUAL)).status, 200, path);
      }
      refused(
        await get(`/groups/${G_ONE}/transitiveMembers?$search=${encodeURIComponent('"displayName:ana"')}`),
        'transitiveMembers $search',
      );
    });

    it('searches display names by token in any order and other properties by prefix, with AND, OR and parentheses', async () => {
      const search = async (path: string, expression: string) => {
        const answer = await get(
          `${path}?$search=${encodeURIComponent(expression)}&$count=true&$select=id,displayName`,
          EVENTUAL,
        );
        assert.equal(answer.status, 200, `${expression}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body['@odata.count'], answer.body.value.length);
        return answer.body.value.map((item) => item['displayName']).sort();
      };
      assert.deepEqual(await search('/groups', '"displayName:sales"'), ['Sales', 'Sales Team Two']);
      assert.deepEqual(await search('/groups', '"displayName:two sal"'), ['Sales Team Two']);
      assert.deepEqual(await search('/groups', '"displayName:ales"'), [], 'a token must start with it');
      assert.deepEqual(await search('/groups', '"mail:sales2"'), ['Sales Team Two']);
      assert.deepEqual(await search('/groups', '"mail:fabrikam"'), [], 'mail matches from its start');
      assert.deepEqual(await search('/users', '"displayName:ROSSI" OR "mail:ben@"'), [
        'Ben Novak',
        'Carla Rossi',
      ]);
      assert.deepEqual(
        await search('/users', '"displayName:ana" AND ("mail:ana" OR "userPrincipalName:nobody")'),
        ['Ana Diaz'],
      );
      assert.deepEqual(
        await search(`/groups/${G_ONE}/transitiveMembers/microsoft.graph.user`, '"displayName:novak"'),
        ['Ben Novak'],
      );
      for (const bad of ['sales', '"displayName:sales" or "mail:sales"', '"sales"', '"displayName:sales']) {
        refused(
          await get(`/groups?$search=${encodeURIComponent(bad)}&$count=true`, EVENTUAL),
          `malformed: ${bad}`,
        );
      }
      refused(
        await get(`/users?$search=${encodeURIComponent('"officeLocation:x"')}&$count=true`, EVENTUAL),
        'a property that cannot be searched',
      );
    });

    it('tokenizes for $search as the documentation shows', () => {
      assert.deepEqual(searchTokens('hello world'), ['hello', 'world']);
      assert.deepEqual(searchTokens('HelloWorld'), ['hello', 'world']);
      assert.deepEqual(searchTokens('helloWORLD'), ['hello', 'world']);
      assert.deepEqual(searchTokens('hello.world'), ['hello', '.', 'world', 'helloworld']);
      assert.deepEqual(searchTokens('hello123world'), ['hello', '123', 'world']);
      assert.deepEqual(searchTokens('HELLOworld'), ['helloworld']);
      assert.deepEqual(searchTokens('HelloWORld'), ['hello', 'world']);
    });

    it('refuses ne, not, and $filter with $orderby without both; sorts users and groups by displayName by default', async () => {
      const ne = `/users?$filter=${encodeURIComponent("mail ne 'ana@fabrikam.com'")}&$select=id`;
      refused(await get(ne), 'ne');
      assert.deepEqual(ids(await get(`${ne}&$count=true`, EVENTUAL)), [BEN, CARLA].sort());
      refused(await get(`/users?$filter=${encodeURIComponent("not(startswith(mail,'a'))")}`), 'not');
      const both = `/groups?$filter=${encodeURIComponent("startswith(displayName,'sales')")}&$orderby=displayName`;
      refused(await get(both), '$filter with $orderby');
      assert.equal((await get(`${both}&$count=true`, EVENTUAL)).status, 200);
      const sorted = await get('/users?$orderby=displayName desc&$select=displayName');
      assert.deepEqual(
        sorted.body.value.map((u) => u['displayName']),
        ['Carla Rossi', 'Ben Novak', 'Ana Diaz'],
      );
      refused(await get('/users?$orderby=mail'), 'users sort by displayName and userPrincipalName only');
    });

    it('judges a $batch item by its own headers: ConsistencyLevel in the item, not on the batch', async () => {
      const cast = `/groups/${G_ONE}/transitiveMembers/microsoft.graph.user?$count=true&$select=id`;
      const response = await raw('/$batch', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...EVENTUAL },
        body: JSON.stringify({
          requests: [
            { id: '1', method: 'GET', url: cast },
            { id: '2', method: 'GET', url: cast, headers: EVENTUAL },
          ],
        }),
      });
      const result = (await response.json()) as {
        responses: { id: string; status: number; body: { '@odata.count'?: number } }[];
      };
      const byId = new Map(result.responses.map((r) => [r.id, r]));
      assert.equal(byId.get('1')?.status, 400);
      assert.equal(byId.get('2')?.status, 200);
      assert.equal(byId.get('2')?.body['@odata.count'], 3);
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

  describe('filtered message delta cap', () => {
    it('caps a filtered message delta baseline at the 5,000 most recently received messages, ending with a deltaLink', async () => {
      assert.equal(FILTERED_DELTA_CAP, 5000);
      const filter = `receivedDateTime ge ${iso(DELTA_WINDOW)}`;
      const baseline = await allPages(
        treeClient.client,
        `/users/${EVE}/mailFolders/inbox/messages/delta?$select=id,receivedDateTime&$filter=${encodeURIComponent(filter)}`,
        'odata.maxpagesize=1000',
      );
      assert.equal(baseline.items.length, FILTERED_DELTA_CAP, 'not the 6,000 the filter matches');
      assert.equal(baseline.pages, 5);
      assert.ok(baseline.last?.['@odata.deltaLink'], 'the round ends as if complete');
      assert.equal(baseline.last?.['@odata.nextLink'], undefined);
      const expected = Array.from(
        { length: FILTERED_DELTA_CAP },
        (_, i) => `eve-${CAP_MAILBOX_SIZE - FILTERED_DELTA_CAP + i}`,
      );
      assert.deepEqual(baseline.items.map((m) => String(m['id'])).sort(), expected.sort(), 'the most recent');

      const newestFirst = (await treeClient.client
        .api(`/users/${EVE}/mailFolders/inbox/messages/delta`)
        .select('id')
        .filter(filter)
        .orderby('receivedDateTime desc')
        .header('Prefer', 'odata.maxpagesize=3')
        .get()) as GraphPage;
      assert.deepEqual(
        newestFirst.value.map((m) => m['id']),
        [`eve-${CAP_MAILBOX_SIZE - 1}`, `eve-${CAP_MAILBOX_SIZE - 2}`, `eve-${CAP_MAILBOX_SIZE - 3}`],
      );
      const quiet = (await treeClient.client
        .api(baseline.last?.['@odata.deltaLink'] ?? '')
        .get()) as GraphPage;
      assert.equal(quiet.value.length, 0, 'the next round reports only changes');
    });

    it('returns every message of the folder in an unfiltered delta baseline', async () => {
      const baseline = await allPages(
        treeClient.client,
        `/users/${EVE}/mailFolders/inbox/messages/delta?$select=id`,
        'odata.maxpagesize=1000',
      );
      assert.equal(baseline.items.length, CAP_MAILBOX_SIZE + 10);
      assert.equal(new Set(baseline.items.map((m) => m['id'])).size, CAP_MAILBOX_SIZE + 10);
      assert.ok(baseline.last?.['@odata.deltaLink']);
    });
  });

  describe('mail folder tree', () => {
    it('lists only the top-level mail folders, 10 per page by default, with $top, $skip nextLinks and $select', async () => {
      const root = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/msgfolderroot`)
        .get()) as FolderView;
      const first = (await treeClient.client.api(`/users/${DANA}/mailFolders`).get()) as GraphPage;
      assert.equal(first.value.length, 10);
      assert.match(first['@odata.nextLink'] ?? '', /\/users\/.+\/mailFolders\?(.*&)?%24skip=10(&|$)/);
      const all = await allPages(treeClient.client, `/users/${DANA}/mailFolders`);
      assert.equal(all.pages, 2);
      assert.deepEqual(all.items.map((f) => f['displayName']).sort(), [
        'Archive',
        'Conversation History',
        'Deleted Items',
        'Drafts',
        'Inbox',
        'Junk Email',
        'Outbox',
        'Projects',
        'Receipts',
        'Sent Items',
        'Sync Issues',
        'Travel',
      ]);
      assert.ok(
        all.items.every((f) => f['parentFolderId'] === root.id),
        'top-level folders have the root as parent',
      );
      assert.ok(!all.items.some((f) => f['id'] === root.id), 'the root itself is not listed');
      assert.equal(root.childFolderCount, 13, 'the root counts every top-level folder, hidden ones too');

      const byFive = await allPages(treeClient.client, `/users/${DANA}/mailFolders?$top=5`);
      assert.equal(byFive.pages, 3);
      assert.deepEqual(
        byFive.items.map((f) => f['id']),
        all.items.map((f) => f['id']),
      );
      const selected = (await treeClient.client
        .api(`/users/${DANA}/mailFolders`)
        .select('id,displayName')
        .top(20)
        .get()) as GraphPage;
      assert.equal(selected.value.length, 12);
      for (const folder of selected.value)
        assert.deepEqual(Object.keys(folder).sort(), ['displayName', 'id']);
      for (const top of [0, 1001]) {
        const error = await graphError(treeClient.client.api(`/users/${DANA}/mailFolders`).top(top).get());
        assert.equal(error.statusCode, 400, `$top=${top}`);
      }
      const unknown = await graphError(
        treeClient.client.api(`/users/${DANA}/mailFolders`).select('id,colour').get(),
      );
      assert.equal(unknown.statusCode, 400);
    });

    it('walks a 3-deep folder tree through childFolders, with parent ids and immediate childFolderCount', async () => {
      const inbox = (await treeClient.client.api(`/users/${DANA}/mailFolders/inbox`).get()) as FolderView;
      assert.equal(inbox.childFolderCount, 2, 'Customers and the hidden child');
      const level1 = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/${inbox.id}/childFolders`)
        .get()) as GraphPage;
      const customers = level1.value[0] as unknown as FolderView;
      assert.deepEqual(
        level1.value.map((f) => f['displayName']),
        ['Customers'],
      );
      assert.equal(customers.parentFolderId, inbox.id);
      assert.equal(customers.childFolderCount, 1);
      assert.equal(customers.totalItemCount, 2, 'its own messages, not its children');
      const level2 = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/${customers.id}/childFolders`)
        .get()) as GraphPage;
      const keyAccounts = level2.value[0] as unknown as FolderView;
      assert.equal(keyAccounts.displayName, 'Key accounts');
      assert.equal(keyAccounts.parentFolderId, customers.id);
      assert.equal(keyAccounts.childFolderCount, 1);
      const level3 = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/${keyAccounts.id}/childFolders`)
        .get()) as GraphPage;
      const contoso = level3.value[0] as unknown as FolderView;
      assert.equal(contoso.displayName, 'Contoso');
      assert.equal(contoso.parentFolderId, keyAccounts.id);
      assert.equal(contoso.childFolderCount, 0);
      assert.equal(contoso.totalItemCount, 4);
      assert.equal(contoso.unreadItemCount, 1);
      assert.equal(contoso.isHidden, false);
      const leaf = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/${contoso.id}/childFolders`)
        .get()) as GraphPage;
      assert.deepEqual(leaf.value, []);

      const walked = await walkFolders(treeClient.client, DANA);
      assert.ok(walked.some((f) => f.path === 'Inbox/Customers/Key accounts/Contoso'));
      assert.ok(walked.some((f) => f.path === 'Projects/2026'));
      assert.ok(walked.some((f) => f.path === 'Sync Issues/Conflicts'));
      const syncIssues = walked.find((f) => f.path === 'Sync Issues');
      assert.equal(syncIssues?.childFolderCount, 3);
    });

    it("serves the messages of any folder of the tree, nested ones included, without its child folders' messages", async () => {
      const walked = await walkFolders(treeClient.client, DANA);
      const contoso = walked.find((f) => f.path === 'Inbox/Customers/Key accounts/Contoso');
      const customers = walked.find((f) => f.path === 'Inbox/Customers');
      assert.ok(contoso && customers);
      const filter = 'receivedDateTime ge 2026-01-01T00:00:00Z';
      for (const [folder, count] of [
        [contoso, 4],
        [customers, 2],
      ] as const) {
        const { items } = await allPages(
          treeClient.client,
          `/users/${DANA}/mailFolders/${folder.id}/messages?$select=id,parentFolderId&$filter=${encodeURIComponent(filter)}&$top=1000`,
        );
        assert.equal(items.length, count, folder.path);
        assert.ok(items.every((m) => m['parentFolderId'] === folder.id));
      }
      const inbox = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/inbox/messages`)
        .select('id')
        .get()) as GraphPage;
      assert.equal(inbox.value.length, 3);
    });

    it('gets a folder by id or well-known name, msgfolderroot included, which is not listed itself', async () => {
      const root = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/msgfolderroot`)
        .get()) as FolderView;
      assert.equal(root.displayName, 'Top of Information Store');
      assert.notEqual(root.parentFolderId, root.id);
      const rootById = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/${root.id}`)
        .get()) as FolderView;
      assert.equal(rootById.id, root.id);
      const viaRoot = await allPages(
        treeClient.client,
        `/users/${DANA}/mailFolders/msgfolderroot/childFolders`,
      );
      const topLevel = await allPages(treeClient.client, `/users/${DANA}/mailFolders`);
      assert.deepEqual(
        viaRoot.items.map((f) => f['id']),
        topLevel.items.map((f) => f['id']),
      );
      for (const name of [
        'inbox',
        'SentItems',
        'junkemail',
        'conversationhistory',
        'syncissues',
        'conflicts',
      ]) {
        const folder = (await treeClient.client
          .api(`/users/${DANA}/mailFolders/${name}`)
          .select('id')
          .get()) as { id: string };
        assert.deepEqual(
          Object.keys(folder).filter((k) => !k.startsWith('@odata.')),
          ['id'],
        );
        const byId = (await treeClient.client
          .api(`/users/${DANA}/mailFolders/${folder.id}`)
          .get()) as FolderView;
        assert.equal(byId.id, folder.id, name);
      }
      const conflicts = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/conflicts`)
        .get()) as FolderView;
      const syncIssues = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/syncissues`)
        .get()) as FolderView;
      assert.equal(conflicts.parentFolderId, syncIssues.id);
      const missing = await graphError(
        treeClient.client.api(`/users/${DANA}/mailFolders/no-such-folder`).get(),
      );
      assert.equal(missing.statusCode, 404);
    });

    it('leaves hidden folders out unless includeHiddenFolders=true, on mailFolders and childFolders', async () => {
      const visible = await allPages(treeClient.client, `/users/${DANA}/mailFolders`);
      const withHidden = await allPages(
        treeClient.client,
        `/users/${DANA}/mailFolders?includeHiddenFolders=true`,
      );
      assert.equal(visible.items.length, 12);
      assert.equal(withHidden.items.length, 13);
      const hiddenTop = withHidden.items.find((f) => f['displayName'] === 'Hidden top');
      assert.equal(hiddenTop?.['isHidden'], true);
      assert.ok(visible.items.every((f) => f['isHidden'] === false));
      const inboxChildren = await allPages(
        treeClient.client,
        `/users/${DANA}/mailFolders/inbox/childFolders`,
      );
      const inboxAll = await allPages(
        treeClient.client,
        `/users/${DANA}/mailFolders/inbox/childFolders?includeHiddenFolders=true`,
      );
      assert.deepEqual(
        inboxChildren.items.map((f) => f['displayName']),
        ['Customers'],
      );
      assert.deepEqual(inboxAll.items.map((f) => f['displayName']).sort(), ['Customers', 'Hidden child']);
      const hidden = (await treeClient.client
        .api(`/users/${DANA}/mailFolders/hidden-child`)
        .get()) as FolderView;
      assert.equal(hidden.isHidden, true);
      assert.equal(hidden.totalItemCount, 1);
    });

    it('serves parentFolderId as a folder id for messages of nested folders and messages added at runtime', async () => {
      const folderIds = async (user: string) =>
        new Set((await walkFolders(treeClient.client, user, '?includeHiddenFolders=true')).map((f) => f.id));
      const danaFolders = await folderIds(DANA);
      const dana = await allPages(
        treeClient.client,
        `/users/${DANA}/messages?$select=id,parentFolderId&$top=1000`,
      );
      assert.equal(dana.items.length, 15);
      for (const m of dana.items) assert.ok(danaFolders.has(String(m['parentFolderId'])), String(m['id']));

      const nested = treeSim.addMessage(FINN, {
        sentDateTime: '2026-03-01T10:00:00Z',
        receivedDateTime: '2026-03-01T10:00:02Z',
        from: address('Kim Lee', 'kim@contoso.com'),
        parentFolderId: 'inbox/Customers/New prospects',
      });
      const archived = treeSim.addMessage(FINN, {
        sentDateTime: '2026-03-01T11:00:00Z',
        receivedDateTime: '2026-03-01T11:00:02Z',
        from: address('Kim Lee', 'kim@contoso.com'),
        parentFolderId: 'archive',
      });
      const topLevel = treeSim.addMessage(FINN, {
        sentDateTime: '2026-03-01T12:00:00Z',
        receivedDateTime: '2026-03-01T12:00:02Z',
        from: address('Kim Lee', 'kim@contoso.com'),
        parentFolderId: 'Scratch',
      });
      const implied = treeSim.addMessage(FINN, {
        sentDateTime: '2026-03-01T13:00:00Z',
        receivedDateTime: '2026-03-01T13:00:02Z',
        from: address('Kim Lee', 'kim@contoso.com'),
      });
      const walked = await walkFolders(treeClient.client, FINN);
      const byPath = new Map(walked.map((f) => [f.path, f]));
      assert.equal(nested.parentFolderId, byPath.get('Inbox/Customers/New prospects')?.id);
      assert.equal(byPath.get('Inbox/Customers')?.childFolderCount, 1);
      assert.equal(byPath.get('Inbox')?.childFolderCount, 1);
      assert.equal(byPath.get('Inbox/Customers/New prospects')?.totalItemCount, 1);
      const archive = (await treeClient.client
        .api(`/users/${FINN}/mailFolders/archive`)
        .select('id')
        .get()) as { id: string };
      assert.equal(archived.parentFolderId, archive.id);
      assert.equal(topLevel.parentFolderId, byPath.get('Scratch')?.id);
      assert.equal(implied.parentFolderId, byPath.get('Inbox')?.id);

      const finnFolders = await folderIds(FINN);
      const finn = await allPages(treeClient.client, `/users/${FINN}/messages?$select=id,parentFolderId`);
      assert.equal(finn.items.length, 4);
      for (const m of finn.items) assert.ok(finnFolders.has(String(m['parentFolderId'])), String(m['id']));
      const inNested = (await treeClient.client
        .api(`/users/${FINN}/mailFolders/${nested.parentFolderId ?? ''}/messages`)
        .select('id,parentFolderId')
        .get()) as GraphPage;
      assert.deepEqual(
        inNested.value.map((m) => [m['id'], m['parentFolderId']]),
        [[nested.id, nested.parentFolderId]],
      );
    });
  });

  describe('per-mailbox limits', () => {
    it("has Outlook's per-mailbox limits on by default: 4 concurrent and 10,000 requests per 600,000 ms", () => {
      assert.equal(DEFAULT_MAILBOX_CONCURRENCY_LIMIT, 4);
      assert.deepEqual(DEFAULT_MAILBOX_REQUEST_LIMIT, { requests: 10_000, windowMs: 600_000 });
      const fresh = new FaultController();
      assert.equal(fresh.mailboxConcurrencyLimit, 4);
      assert.deepEqual(fresh.mailboxRequestLimit, { requests: 10_000, windowMs: 600_000 });
      smallSim.faults.set({ rules: [] });
      assert.equal(smallSim.faults.mailboxConcurrencyLimit, 4);
      assert.deepEqual(smallSim.faults.mailboxRequestLimit, { requests: 10_000, windowMs: 600_000 });
      smallSim.faults.set({ mailboxConcurrencyLimit: null, mailboxRequestLimit: null });
      assert.equal(smallSim.faults.mailboxConcurrencyLimit, null);
      assert.equal(smallSim.faults.mailboxRequestLimit, null);
      smallSim.faults.reset();
      assert.equal(smallSim.faults.mailboxConcurrencyLimit, 4);
    });

    it('answers the 5th concurrent request to one mailbox with 429 ApplicationThrottled by default', async () => {
      smallSim.resetStats();
      smallSim.faults.set({ rules: [{ kind: 'slow', delayMs: 500, path: '/messages' }] });
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => raw(`/users/${ANA}/messages?$select=id`)),
      );
      const statuses = responses.map((r) => r.status);
      assert.deepEqual([...statuses].sort(), [200, 200, 200, 200, 429], statuses.join(','));
      const throttled = responses.find((r) => r.status === 429);
      assert.ok(Number(throttled?.headers.get('retry-after')) >= 1);
      assert.equal(
        ((await throttled?.json()) as { error: { code: string } }).error.code,
        'ApplicationThrottled',
      );
      await Promise.all(responses.filter((r) => r !== throttled).map((r) => r.text()));
      assert.equal(smallSim.stats.faults.concurrency, 1);
      assert.equal(smallSim.requestLog.filter((r) => r.fault === 'concurrency').length, 1);

      smallSim.faults.set({
        mailboxConcurrencyLimit: null,
        rules: [{ kind: 'slow', delayMs: 300, path: '/messages' }],
      });
      const unlimited = await Promise.all(
        Array.from({ length: 6 }, async () => (await raw(`/users/${ANA}/messages?$select=id`)).status),
      );
      assert.deepEqual(unlimited, [200, 200, 200, 200, 200, 200], 'null switches the limit off');
    });

    it('answers requests over the per-mailbox request limit with 429 TooManyRequests and Retry-After', async () => {
      smallSim.resetStats();
      smallSim.faults.set({ mailboxRequestLimit: { requests: 20, windowMs: 1000 } });
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        assert.equal((await raw(`/users/${CARLA}/messages?$select=id`)).status, 200, `request ${i + 1}`);
      }
      assert.ok(Date.now() - started < 1000, 'the 20 requests fit in one window');
      const over = await raw(`/users/${CARLA}/messages?$select=id`);
      assert.equal(over.status, 429);
      assert.equal(over.headers.get('retry-after'), '1');
      const body = (await over.json()) as { error: { code: string; message: string; innerError: object } };
      assert.equal(body.error.code, 'TooManyRequests');
      assert.ok(body.error.innerError);
      assert.equal(smallSim.stats.faults.rate, 1);
      assert.equal(smallSim.requestLog.at(-1)?.fault, 'rate');
      assert.equal(
        (await raw(`/users/${BEN}/messages?$select=id`)).status,
        200,
        'other mailboxes unaffected',
      );
      assert.equal((await raw('/organization')).status, 200, 'directory requests unaffected');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal((await raw(`/users/${CARLA}/messages?$select=id`)).status, 200, 'the window moved on');
    });
  });

  describe('$batch limits', () => {
    it('runs at most 4 items of a $batch at a time, whatever their mailboxes', async () => {
      assert.equal(MAX_BATCH_PARALLEL, 4);
      smallSim.resetStats();
      smallSim.faults.set({ rules: [{ kind: 'slow', delayMs: 300, path: '/messages' }] });
      const batch = async (users: readonly string[]) => {
        const started = Date.now();
        const result = (await smallClient.client.api('/$batch').post({
          requests: users.map((user, i) => ({
            id: String(i + 1),
            method: 'GET',
            url: `/users/${user}/messages?$select=id`,
          })),
        })) as { responses: { id: string; status: number }[] };
        return { statuses: result.responses.map((r) => r.status), elapsed: Date.now() - started };
      };
      // 8 items to one mailbox: were more than 4 in flight at once, the mailbox's limit of 4 would answer 429.
      const oneMailbox = await batch(Array.from({ length: 8 }, () => ANA));
      assert.deepEqual(
        oneMailbox.statuses,
        Array.from({ length: 8 }, () => 200),
      );
      assert.ok(oneMailbox.elapsed >= 580, `two rounds of 4: ${oneMailbox.elapsed} ms`);
      // 5 items to 3 mailboxes (none near its own limit) still take two rounds: 4, then 1.
      const mixed = await batch([ANA, BEN, CARLA, ANA, BEN]);
      assert.deepEqual(mixed.statuses, [200, 200, 200, 200, 200]);
      assert.ok(mixed.elapsed >= 580, `two rounds across mailboxes: ${mixed.elapsed} ms`);
      assert.equal(smallSim.stats.faults.concurrency, 0);
    });

    it('judges each $batch item against the per-mailbox limits on its own, with its own Retry-After', async () => {
      smallSim.faults.set({ mailboxRequestLimit: { requests: 3, windowMs: 60_000 } });
      type Item = {
        id: string;
        status: number;
        headers: Record<string, string>;
        body: { error?: { code: string } };
      };
      const rate = (await smallClient.client.api('/$batch').post({
        requests: [
          ...Array.from({ length: 5 }, (_, i) => ({
            id: `ana-${i}`,
            method: 'GET',
            url: `/users/${ANA}/messages?$select=id`,
          })),
          { id: 'ben', method: 'GET', url: `/users/${BEN}/messages?$select=id` },
        ],
      })) as { responses: Item[] };
      const ana = rate.responses.filter((r) => r.id.startsWith('ana-'));
      assert.equal(ana.filter((r) => r.status === 200).length, 3);
      const throttled = ana.filter((r) => r.status === 429);
      assert.equal(throttled.length, 2);
      for (const item of throttled) {
        assert.ok(Number(item.headers['Retry-After']) >= 1, JSON.stringify(item.headers));
        assert.equal(item.body.error?.code, 'TooManyRequests');
      }
      assert.equal(rate.responses.find((r) => r.id === 'ben')?.status, 200);

      smallSim.faults.set({
        mailboxConcurrencyLimit: 1,
        rules: [{ kind: 'slow', delayMs: 300, path: '/messages' }],
      });
      const concurrency = (await smallClient.client.api('/$batch').post({
        requests: [ANA, ANA, BEN].map((user, i) => ({
          id: String(i),
          method: 'GET',
          url: `/users/${user}/messages?$select=id`,
        })),
      })) as { responses: Item[] };
      const byId = new Map(concurrency.responses.map((r) => [r.id, r]));
      assert.equal(byId.get('0')?.status, 200);
      assert.equal(byId.get('1')?.status, 429);
      assert.equal(byId.get('1')?.headers['Retry-After'], '1');
      assert.equal(byId.get('1')?.body.error?.code, 'ApplicationThrottled');
      assert.equal(byId.get('2')?.status, 200, 'another mailbox in the same batch');
    });

    it('refuses a $batch of more than 20 requests with 400', async () => {
      assert.equal(MAX_BATCH_REQUESTS, 20);
      const requests = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' }));
      const twenty = (await smallClient.client.api('/$batch').post({ requests: requests(20) })) as {
        responses: { status: number }[];
      };
      assert.equal(twenty.responses.length, 20);
      const tooMany = await graphError(smallClient.client.api('/$batch').post({ requests: requests(21) }));
      assert.equal(tooMany.statusCode, 400);
    });
  });

  describe('$top limits and default page sizes', () => {
    it('enforces $top 1..1000 and a default page of 10 on messages', async () => {
      const first = (await smallClient.client.api(`/users/${ANA}/messages`).select('id').get()) as GraphPage;
      assert.equal(first.value.length, 10);
      assert.match(first['@odata.nextLink'] ?? '', /%24skip=10/);
      const inFolder = (await smallClient.client
        .api(`/users/${ANA}/mailFolders/inbox/messages`)
        .select('id')
        .get()) as GraphPage;
      assert.equal(inFolder.value.length, 10);
      assert.ok(inFolder['@odata.nextLink']);
      const max = (await smallClient.client
        .api(`/users/${ANA}/messages`)
        .select('id')
        .top(1000)
        .get()) as GraphPage;
      assert.equal(max.value.length, 26);
      assert.equal(max['@odata.nextLink'], undefined);
      for (const top of [0, 1001]) {
        for (const url of [`/users/${ANA}/messages`, `/users/${ANA}/mailFolders/inbox/messages`]) {
          const error = await graphError(smallClient.client.api(url).select('id').top(top).get());
          assert.equal(error.statusCode, 400, `${url} $top=${top}`);
        }
      }
    });

    it('enforces $top 1..1000 and a default page of 10 on calendarView', async () => {
      const ana = demo.sellers[0];
      assert.ok(ana);
      const window = 'startDateTime=2025-11-01T00:00:00Z&endDateTime=2026-11-01T00:00:00Z';
      const page = (await demoClient.client
        .api(`/users/${ana.id}/calendarView?${window}`)
        .select('id')
        .get()) as GraphPage;
      assert.equal(page.value.length, 10);
      assert.ok(page['@odata.nextLink']);
      for (const top of [0, 1001]) {
        const error = await graphError(
          demoClient.client.api(`/users/${ana.id}/calendarView?${window}`).select('id').top(top).get(),
        );
        assert.equal(error.statusCode, 400, `$top=${top}`);
      }
    });

    it('enforces $top 1..999 and a default page of 100 on users and groups', async () => {
      const tenant = generateTenant({ seed: 9, sellers: 120, asOf: AS_OF });
      const sim = await startGraphSimulator({ tenant: tenant.source, tls: certificate });
      const client = testGraphClient(sim.url, certificate.cert);
      try {
        const users = (await client.client.api('/users').select('id').get()) as GraphPage;
        assert.equal(users.value.length, 100);
        assert.ok(users['@odata.nextLink']);
        const most = (await client.client.api('/users').select('id').top(999).get()) as GraphPage;
        assert.equal(most.value.length, tenant.users.length);
        for (const path of ['/users', '/groups']) {
          for (const top of [0, 1000]) {
            const error = await graphError(client.client.api(path).top(top).get());
            assert.equal(error.statusCode, 400, `${path} $top=${top}`);
          }
        }
        const groups = (await client.client.api('/groups').top(999).get()) as GraphPage;
        assert.equal(groups.value.length, tenant.groups.length);
      } finally {
        await client.close();
        await sim.close();
      }
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
