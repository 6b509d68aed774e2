import assert from 'node:assert/strict';
import { Agent, fetch as undiciFetch } from 'undici';
import { createGraphClient, simulatorGraphSettings, type GraphConnection } from '../../core/graph/client';
import { odataString, searchDirectory } from '../../core/graph/directory-search';
import { startGraphSimulator, type GraphSimulator } from '../../local/graph-simulator';
import { testCertificate } from '../support/test-certificate';

const user = (id: string, displayName: string, mail: string | null, upn: string) => ({
  id,
  displayName,
  mail,
  userPrincipalName: upn,
});

const FIXTURE = {
  tenant: {
    id: 'f0f0f0f0-0000-4000-8000-000000000001',
    displayName: 'Fabrikam',
    verifiedDomains: ['fabrikam.com'],
  },
  users: [
    user('11111111-1111-4111-8111-111111111111', 'Ana Diaz', 'ana@fabrikam.com', 'ana@fabrikam.com'),
    user('22222222-2222-4222-8222-222222222222', "Dana O'Neil", 'dana@fabrikam.com', 'dana@fabrikam.com'),
    user('33333333-3333-4333-8333-333333333333', 'Oscar Ortiz', "o'brien@fabrikam.com", 'oscar@fabrikam.com'),
    user('44444444-4444-4444-8444-444444444444', 'Anders Berg', null, 'anders@fabrikam.com'),
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
      members: [],
    },
    { id: 'aaaaaaaa-0000-4000-8000-000000000003', displayName: 'Annual review', mail: null, members: [] },
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

  it('finds users and groups for the type-ahead, users first, with the entry to track', async () => {
    const matches = await searchDirectory(graph, 'an', 10);
    assert.deepEqual(
      matches.map((m) => [m.kind, m.displayName, m.entry]),
      [
        ['user', 'Ana Diaz', 'ana@fabrikam.com'],
        ['user', 'Anders Berg', 'anders@fabrikam.com'],
        ['group', 'Analytics', 'analytics@fabrikam.com'],
        ['group', 'Annual review', 'aaaaaaaa-0000-4000-8000-000000000003'],
        ['group', 'Sales', 'an-sales@fabrikam.com'],
      ],
    );
    assert.deepEqual(
      (await searchDirectory(graph, "o'", 10)).map((m) => m.displayName),
      ['Oscar Ortiz'],
    );
    assert.deepEqual(
      (await searchDirectory(graph, 'an', 1)).map((m) => m.kind),
      ['user', 'group'],
    );
    assert.equal(odataString("it's"), "'it''s'");
  });
});
