import assert from 'node:assert/strict';
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { GraphConnection } from '../../core/graph/client.ts';
import { systemClock } from '../../core/graph/clock.ts';
import {
  matchesQuery,
  nameTokens,
  searchDirectory,
  searchExpression,
} from '../../core/graph/directory-search.ts';
import { RequestLimiter } from '../../core/graph/limiter.ts';
import { retryPolicy } from '../../core/graph/retry.ts';

interface Seen {
  url: URL;
  headers: Headers;
}

/** Answers Graph requests from a function, recording each request's URL and headers. */
class FakeGraph implements Middleware {
  seen: Seen[] = [];
  constructor(private readonly answer: (url: URL) => { status: number; body: unknown }) {}
  execute(context: Context): Promise<void> {
    const url = new URL(String(context.request));
    this.seen.push({ url, headers: new Headers(context.options?.headers) });
    const { status, body } = this.answer(url);
    context.response = new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
    return Promise.resolve();
  }
}

function connection(fake: FakeGraph): GraphConnection {
  return {
    client: Client.initWithMiddleware({
      middleware: fake,
      baseUrl: 'https://graph.test',
      defaultVersion: 'v1.0',
    }),
    baseUrl: 'https://graph.test/v1.0',
    retryPolicy: retryPolicy(),
    clock: systemClock,
    random: Math.random,
    limiter: new RequestLimiter({ global: 4, perKey: 4 }),
    close: () => Promise.resolve(),
  };
}

const US_SALES = { id: 'g1', displayName: 'US Sales', mail: 'ussales@fabrikam.com' };
const EMEA = { id: 'g2', displayName: 'EMEA Sales', mail: 'emeasales@fabrikam.com' };
const ANA = {
  id: 'u1',
  displayName: 'Ana Diaz',
  mail: 'ana@fabrikam.com',
  userPrincipalName: 'ana@fabrikam.com',
};

describe('directory search: how Microsoft Graph is asked', () => {
  it('tokenizes display names the way $search on directory objects does', () => {
    assert.deepEqual(nameTokens('US Sales'), ['us', 'sales']);
    assert.deepEqual(nameTokens('us-sales_West'), ['us', 'sales', 'west']);
    assert.deepEqual(nameTokens('UsSalesWest'), ['us', 'sales', 'west']);
    assert.equal(matchesQuery(US_SALES, 'sales'), true);
    assert.equal(matchesQuery(US_SALES, 'Sal'), true);
    assert.equal(matchesQuery(US_SALES, 'ales'), false, 'a word must start with what was typed');
    assert.equal(matchesQuery(US_SALES, 'ussal'), true, 'the mail starts with it');
    assert.equal(matchesQuery(ANA, 'ana@f'), true);
    assert.equal(matchesQuery(ANA, 'diaz@'), false, 'an address is compared with addresses only');
    assert.equal(
      searchExpression('us "sales"\\', ['displayName', 'mail']),
      '"displayName:us sales" OR "mail:us sales"',
    );
  });

  it('sends $search and the member count as advanced queries: ConsistencyLevel: eventual and $count=true', async () => {
    const fake = new FakeGraph((url) => {
      if (url.pathname === '/v1.0/groups') return { status: 200, body: { value: [US_SALES] } };
      if (url.pathname === '/v1.0/users') return { status: 200, body: { value: [] } };
      return { status: 200, body: { '@odata.count': 14, value: [{ id: 'u9' }] } };
    });
    const matches = await searchDirectory(connection(fake), 'sales', 8);
    assert.deepEqual(matches, [
      {
        kind: 'group',
        id: 'g1',
        displayName: 'US Sales',
        address: 'ussales@fabrikam.com',
        entry: 'ussales@fabrikam.com',
        memberCount: 14,
      },
    ]);
    const groups = fake.seen.find((s) => s.url.pathname === '/v1.0/groups');
    assert.equal(groups?.url.searchParams.get('$search'), '"displayName:sales" OR "mail:sales"');
    assert.equal(groups?.headers.get('ConsistencyLevel'), 'eventual');
    assert.equal(groups?.url.searchParams.get('$count'), 'true');
    const users = fake.seen.find((s) => s.url.pathname === '/v1.0/users');
    assert.equal(users?.headers.get('ConsistencyLevel'), 'eventual');
    assert.equal(users?.url.searchParams.get('$count'), 'true');
    const count = fake.seen.find((s) => s.url.pathname.endsWith('/transitiveMembers/microsoft.graph.user'));
    assert.equal(count?.url.pathname, '/v1.0/groups/g1/transitiveMembers/microsoft.graph.user');
    assert.equal(count?.url.searchParams.get('$count'), 'true');
    assert.equal(count?.headers.get('ConsistencyLevel'), 'eventual');
  });

  it('keeps only what matches what was typed, reading on while fewer than asked were kept', async () => {
    // A service that ignores $search answers everything, a page at a time.
    const pages = [[EMEA], [US_SALES]];
    const fake = new FakeGraph((url) => {
      if (url.pathname === '/v1.0/users') return { status: 200, body: { value: [] } };
      if (url.pathname === '/v1.0/groups') {
        const page = Number(url.searchParams.get('page') ?? '0');
        const next = page + 1 < pages.length ? `https://graph.test/v1.0/groups?page=${page + 1}` : undefined;
        return { status: 200, body: { value: pages[page], ...(next ? { '@odata.nextLink': next } : {}) } };
      }
      return { status: 200, body: { '@odata.count': 3, value: [] } };
    });
    const matches = await searchDirectory(connection(fake), 'us', 8);
    assert.deepEqual(
      matches.map((m) => m.displayName),
      ['US Sales'],
    );
    // The nextLink is followed with the advanced query header too.
    const next = fake.seen.find((s) => s.url.searchParams.get('page') === '1');
    assert.equal(next?.headers.get('ConsistencyLevel'), 'eventual');
  });

  it('asks $filter startswith where $search is refused (400)', async () => {
    const fake = new FakeGraph((url) => {
      if (url.searchParams.has('$search')) {
        return {
          status: 400,
          body: { error: { code: 'Request_UnsupportedQuery', message: 'no $search here' } },
        };
      }
      if (url.pathname === '/v1.0/users') return { status: 200, body: { value: [ANA] } };
      return { status: 200, body: { value: [] } };
    });
    const matches = await searchDirectory(connection(fake), 'ana', 8);
    assert.deepEqual(
      matches.map((m) => m.entry),
      ['ana@fabrikam.com'],
    );
    const filtered = fake.seen.find(
      (s) => s.url.pathname === '/v1.0/users' && s.url.searchParams.has('$filter'),
    );
    assert.equal(
      filtered?.url.searchParams.get('$filter'),
      "startswith(displayName,'ana') or startswith(mail,'ana') or startswith(userPrincipalName,'ana')",
    );
  });
});
