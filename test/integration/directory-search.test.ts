import assert from 'node:assert/strict';
import { Agent, fetch as undiciFetch } from 'undici';
import { createGraphClient, simulatorGraphSettings, type GraphConnection } from '../../core/graph/client';
import {
  groupMemberCount,
  odataString,
  searchDirectory,
  suggestDirectory,
} from '../../core/graph/directory-search';
import { startGraphSimulator, type GraphSimulator } from '../../local/graph-simulator';
import { testCertificate } from '../support/test-certificate';

const user = (id: string, displayName: string, mail: string | null, upn: string) => ({
  id,
  displayName,
  mail,
  userPrincipalName: upn,
});

const ANA = '11111111-1111-4111-8111-111111111111';
const DANA = '22222222-2222-4222-8222-222222222222';
const OSCAR = '33333333-3333-4333-8333-333333333333';
const ANDERS = '44444444-4444-4444-8444-444444444444';
const US_SALES_WEST = 'aaaaaaaa-0000-4000-8000-000000000005';

const FIXTURE = {
  tenant: {
    id: 'f0f0f0f0-0000-4000-8000-000000000001',
    displayName: 'Fabrikam',
    verifiedDomains: ['fabrikam.com'],
  },
  users: [
    user(ANA, 'Ana Diaz', 'ana@fabrikam.com', 'ana@fabrikam.com'),
    user(DANA, "Dana O'Neil", 'dana@fabrikam.com', 'dana@fabrikam.com'),
    user(OSCAR, 'Oscar Ortiz', "o'brien@fabrikam.com", 'oscar@fabrikam.com'),
    user(ANDERS, 'Anders Berg', null, 'anders@fabrikam.com'),
  ],
  groups: [
    {
      id: 'aaaaaaaa-0000-4000-8000-000000000001',
      displayName: 'Analytics',
      mail: 'analytics@fabrikam.com',
      members: [],
    },
    {
      id: 'aaaaaaaa-0000-4000-8000-000000000002',
      displayName: 'Sales',
      mail: 'an-sales@fabrikam.com',
      members: [ANDERS],
    },
    { id: 'aaaaaaaa-0000-4000-8000-000000000003', displayName: 'Annual review', mail: null, members: [] },
    {
      id: 'aaaaaaaa-0000-4000-8000-000000000004',
      displayName: 'US Sales',
      mail: 'ussales@fabrikam.com',
      // Ana is a member directly and through the nested group: counted once.
      members: [ANA, DANA, US_SALES_WEST],
    },
    {
      id: US_SALES_WEST,
      displayName: 'US Sales West',
      mail: 'ussaleswest@fabrikam.com',
      members: [OSCAR, ANA],
    },
  ],
  mailboxes: {},
};

describe('directory search against the Graph simulator', () => {
  let simulator: GraphSimulator;
  let graph: GraphConnection;
  let agent: Agent;

  before(async () => {
    const tls = await testCertificate();
    simulator = await startGraphSimulator({ tenant: FIXTURE, tls });
    graph = createGraphClient(simulatorGraphSettings({ url: simulator.url, caPem: tls.cert }));
    agent = new Agent({ connect: { ca: tls.cert } });
  });
  after(async () => {
    await agent?.close();
    await graph?.close();
    await simulator?.close();
  });

  async function names(path: string, filter: string): Promise<string[]> {
    const url = `${simulator.url}${path}?$filter=${encodeURIComponent(filter)}&$select=displayName`;
    const response = await undiciFetch(url, { dispatcher: agent, headers: { Authorization: 'Bearer t' } });
    assert.equal(response.status, 200, await response.clone().text());
    const body = (await response.json()) as { value: { displayName: string }[] };
    return body.value.map((item) => item.displayName).sort();
  }

  const shown = (matches: { kind: string; displayName: string | null; entry: string }[]) =>
    matches.map((m) => [m.kind, m.displayName, m.entry]);

  it('filters users and groups with startswith on displayName and mail, case-insensitively, joined by or', async () => {
    assert.deepEqual(await names('/users', "startswith(displayName,'AN')"), ['Ana Diaz', 'Anders Berg']);
    assert.deepEqual(await names('/users', "startswith(mail,'o''b')"), ['Oscar Ortiz']);
    assert.deepEqual(await names('/users', "startswith(displayName,'dana o''')"), ["Dana O'Neil"]);
    assert.deepEqual(await names('/groups', "startswith(displayName,'an') or startswith(mail,'an')"), [
      'Analytics',
      'Annual review',
      'Sales',
    ]);
  });

  it('finds a word anywhere in a name: "sales" finds US Sales and US Sales West, with their member counts', async () => {
    const matches = await searchDirectory(graph, 'sales', 10);
    assert.deepEqual(
      matches.map((m) => [m.kind, m.displayName, m.memberCount]),
      [
        ['group', 'Sales', 1],
        ['group', 'US Sales', 3],
        ['group', 'US Sales West', 2],
      ],
    );
    // Every word typed must start a word of the name, in any order.
    assert.deepEqual(
      (await searchDirectory(graph, 'sales us', 10)).map((m) => m.displayName),
      ['US Sales', 'US Sales West'],
    );
    assert.deepEqual(
      (await searchDirectory(graph, 'west', 10)).map((m) => m.displayName),
      ['US Sales West'],
    );
    assert.deepEqual(
      (await searchDirectory(graph, 'diaz', 10)).map((m) => m.displayName),
      ['Ana Diaz'],
    );
  });

  it('asks Graph with $search, and counts members with $count on the users cast, as advanced queries the strict simulator answers', async () => {
    simulator.resetStats();
    const before = simulator.requestLog.length;
    await searchDirectory(graph, 'sales', 10);
    const log = simulator.requestLog.slice(before);
    const requests = log.map((r) => new URL(r.url, 'https://graph.test'));
    const asked = (path: string) => requests.find((r) => r.pathname === path)?.searchParams;
    assert.equal(asked('/groups')?.get('$search'), '"displayName:sales" OR "mail:sales"');
    assert.equal(
      asked('/users')?.get('$search'),
      '"displayName:sales" OR "mail:sales" OR "userPrincipalName:sales"',
    );
    for (const path of ['/users', '/groups']) assert.equal(asked(path)?.get('$count'), 'true', path);
    const count = asked(
      '/groups/aaaaaaaa-0000-4000-8000-000000000004/transitiveMembers/microsoft.graph.user',
    );
    assert.equal(count?.get('$count'), 'true');
    // The simulator refuses $search and the cast without ConsistencyLevel: eventual and
    // $count=true, so every request answered means both were sent; none fell back to $filter.
    assert.deepEqual(
      log.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.url}`),
      [],
    );
    assert.equal(requests.filter((r) => r.searchParams.has('$filter')).length, 0, 'no startswith fallback');
    assert.equal(await groupMemberCount(graph, US_SALES_WEST), 2);
  });

  it('reads a second page of $search results through its nextLink, still as an advanced query', async () => {
    const sellers = Array.from({ length: 70 }, (_, i) =>
      user(
        `5e000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        `Seller ${String(i).padStart(2, '0')}`,
        `seller${i}@fabrikam.com`,
        `seller${i}@fabrikam.com`,
      ),
    );
    const tls = await testCertificate();
    const many = await startGraphSimulator({
      tenant: { ...FIXTURE, users: [...FIXTURE.users, ...sellers], groups: [] },
      tls,
    });
    const manyGraph = createGraphClient(simulatorGraphSettings({ url: many.url, caPem: tls.cert }));
    try {
      const matches = await searchDirectory(manyGraph, 'seller', 60);
      assert.equal(matches.length, 60);
      assert.ok(matches.every((m) => m.kind === 'user' && m.displayName?.startsWith('Seller ')));
      const pages = many.requestLog
        .filter((r) => r.route === 'GET /users')
        .map((r) => ({ status: r.status, query: new URL(r.url, 'https://graph.test').searchParams }));
      assert.deepEqual(
        pages.map((p) => [
          p.status,
          p.query.has('$search'),
          p.query.get('$count'),
          p.query.has('$skiptoken'),
        ]),
        [
          [200, true, 'true', false],
          [200, true, 'true', true],
        ],
      );
    } finally {
      await manyGraph.close();
      await many.close();
    }
  });

  it('finds users and groups for the type-ahead, users first, with the entry to track', async () => {
    const matches = await searchDirectory(graph, 'an', 10);
    assert.deepEqual(shown(matches), [
      ['user', 'Ana Diaz', 'ana@fabrikam.com'],
      ['user', 'Anders Berg', 'anders@fabrikam.com'],
      ['group', 'Analytics', 'analytics@fabrikam.com'],
      ['group', 'Annual review', 'aaaaaaaa-0000-4000-8000-000000000003'],
      ['group', 'Sales', 'an-sales@fabrikam.com'],
    ]);
    // An address being typed matches mail and user principal names only.
    assert.deepEqual(
      (await searchDirectory(graph, "o'", 10)).map((m) => m.displayName),
      ["Dana O'Neil", 'Oscar Ortiz'],
    );
    assert.deepEqual(
      (await searchDirectory(graph, "o'b", 10)).map((m) => m.displayName),
      ['Oscar Ortiz'],
    );
    assert.deepEqual(shown(await searchDirectory(graph, 'ANA@', 10)), [
      ['user', 'Ana Diaz', 'ana@fabrikam.com'],
    ]);
    assert.deepEqual(
      (await searchDirectory(graph, 'an', 1)).map((m) => m.kind),
      ['user', 'group'],
    );
    assert.equal(odataString("it's"), "'it''s'");
  });

  it('finds a group or a user by the object id an admin pasted', async () => {
    assert.deepEqual(shown(await searchDirectory(graph, US_SALES_WEST, 10)), [
      ['group', 'US Sales West', 'ussaleswest@fabrikam.com'],
    ]);
    assert.deepEqual(shown(await searchDirectory(graph, ANDERS.toUpperCase(), 10)), [
      ['user', 'Anders Berg', 'anders@fabrikam.com'],
    ]);
  });

  it('suggests the groups with their member counts, then some people, before anything is typed', async () => {
    const suggested = await suggestDirectory(graph, 10, 2);
    assert.deepEqual(
      suggested.map((m) => [m.kind, m.displayName, m.memberCount ?? null]),
      [
        ['group', 'Analytics', 0],
        ['group', 'Annual review', 0],
        ['group', 'Sales', 1],
        ['group', 'US Sales', 3],
        ['group', 'US Sales West', 2],
        ['user', 'Ana Diaz', null],
        ['user', 'Anders Berg', null],
      ],
    );
  });
});
