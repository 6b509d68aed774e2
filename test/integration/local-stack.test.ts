import assert from 'node:assert/strict';
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { USER_FIELDS } from '../../core/graph/select';
import { startLocalStack, type LocalStack } from '../../local/stack';
import { testLocalSettings } from '../support/local-settings';

interface Health {
  status: string;
  mode: string;
  dependencies: Record<string, { status: string; latencyMs: number; error?: string }>;
}

describe('local stack', () => {
  const { settings, cleanup } = testLocalSettings();
  let stack: LocalStack;

  before(async () => {
    stack = await startLocalStack(settings, { ephemeral: true });
  });
  after(async () => {
    await stack?.close();
    cleanup();
  });

  it('reads a paged user list from the Graph simulator over HTTPS with the Graph SDK', async () => {
    const first = (await stack.graphClient.client
      .api('/users')
      .select([...USER_FIELDS])
      .top(7)
      .get()) as PageCollection;
    assert.equal(first.value.length, 7);
    assert.match(first['@odata.nextLink'] ?? '', /^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?/);

    const users: { mail: string }[] = [];
    const pages = new PageIterator(stack.graphClient.client, first, (user: { mail: string }) => {
      users.push(user);
      return true;
    });
    await pages.iterate();
    assert.ok(users.length >= 40, `expected the demo tenant's users, got ${users.length}`);
    assert.equal(new Set(users.map((u) => u.mail)).size, users.length, 'no user twice across pages');
  });

  it('reports Cosmos DB and Graph as up on /api/health', async () => {
    const response = await fetch(`${stack.server.url}/api/health`);
    assert.equal(response.status, 200);
    const health = (await response.json()) as Health;
    assert.equal(health.status, 'healthy');
    assert.equal(health.mode, 'local');
    assert.equal(health.dependencies.cosmos?.status, 'up');
    assert.equal(health.dependencies.graph?.status, 'up');
  });

  it('serves the built tab at /tab/ and answers unknown API routes with JSON 404', async () => {
    const tab = await fetch(`${stack.server.url}/tab/`);
    assert.equal(tab.status, 200);
    assert.match(await tab.text(), /<div id="root">/);
    const missing = await fetch(`${stack.server.url}/api/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NotFound');
  });

  it('answers 503 naming the dependency that is down', async () => {
    await stack.graph.close();
    const response = await fetch(`${stack.server.url}/api/health`);
    assert.equal(response.status, 503);
    const health = (await response.json()) as Health;
    assert.equal(health.status, 'degraded');
    assert.equal(health.dependencies.cosmos?.status, 'up');
    assert.equal(health.dependencies.graph?.status, 'down');
    assert.ok(health.dependencies.graph?.error);
    const live = await fetch(`${stack.server.url}/api/health/live`);
    assert.equal(live.status, 200, 'the liveness probe does not depend on Graph');
  });
});
