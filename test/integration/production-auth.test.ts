import assert from 'node:assert/strict';
import https from 'node:https';
import { createServer } from 'node:net';
import sinon from 'sinon';
import type { Request } from 'express';
import { developmentIdentity } from '../../server/identity';
import { teamsSsoIdentity, teamsSsoOptions } from '../../server/teams-sso';
import { ApiError } from '../../tab/api/errors';
import {
  CLIENT_ID,
  HOME_TENANT,
  OTHER_TENANT,
  ssoClaims,
  startProductionServer,
  TAB_ENDPOINT,
  testProductionSettings,
  type ProductionServer,
} from '../support/production-server';
import { saveEnrichment, tenantOf } from '../support/enrichment-fixture';
import { startTestApp, type TestApp } from '../support/test-app';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';

interface ErrorBody {
  error: { code: string; message: string };
}

const THIRD_TENANT = '3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b';

describe('production identity (Teams SSO)', () => {
  let local: TestApp;
  let issuer: TokenIssuer;
  let server: ProductionServer;

  async function call<T = ErrorBody>(
    method: string,
    path: string,
    token?: string,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return {
      status: response.status,
      body: (json ? JSON.parse(text) : text) as T,
      headers: response.headers,
    };
  }

  before(async () => {
    local = await startTestApp();
    issuer = await startTokenIssuer();
    server = await startProductionServer(local.stack, {
      TEAMS_SSO_JWKS_URL: issuer.jwksUrl,
      TEAMS_SSO_ALLOWED_TENANTS: `${HOME_TENANT},${OTHER_TENANT},${tenantOf(local)}`,
    });
  });
  after(async () => {
    await server?.close();
    await issuer?.close();
    await local?.close();
  });

  describe('refuses requests without a valid token with 401 and a Bearer challenge', () => {
    async function assertRefused(token: string | undefined, message: RegExp) {
      const answer = await call('GET', '/api/anything', token);
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'Unauthorized');
      assert.match(answer.body.error.message, message);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer\b/);
      if (token) assert.ok(!JSON.stringify(answer.body).includes(token), 'the answer never echoes the token');
      return answer;
    }

    it('no token', async () => {
      const answer = await assertRefused(undefined, /Teams sign-in is required/);
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer');
    });

    it('a malformed token or header', async () => {
      await assertRefused('not-a-jwt', /not a valid Entra ID token/);
      const answer = await fetch(`${server.url}/api/anything`, {
        headers: { authorization: 'Basic dXNlcjpwdw==' },
      });
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    });

    it('an expired token', async () => {
      const token = await issuer.sign(ssoClaims(HOME_TENANT), { expiresIn: -600 });
      const answer = await assertRefused(token, /expired/);
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    });

    it('a token for another audience', async () => {
      const token = await issuer.sign(ssoClaims(HOME_TENANT, { aud: 'https://graph.microsoft.com' }));
      await assertRefused(token, /"aud" claim/);
    });

    it('a token from another issuer, or whose issuer names another tenant than tid', async () => {
      for (const iss of [
        `https://sts.windows.net/${HOME_TENANT}/`,
        'https://login.example.com/v2.0',
        `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`,
      ]) {
        const token = await issuer.sign(ssoClaims(HOME_TENANT, { iss }));
        await assertRefused(token, /"iss" claim/);
      }
    });

    it('a token without the access_as_user scope (e.g. an app-only token)', async () => {
      await assertRefused(await issuer.sign(ssoClaims(HOME_TENANT, { scp: 'User.Read' })), /access_as_user/);
      const appOnly = ssoClaims(HOME_TENANT, { roles: ['EngagementAdmin'] });
      delete appOnly.scp;
      await assertRefused(await issuer.sign(appOnly), /access_as_user/);
    });

    it('a token signed with a key Entra ID does not publish, or not signed at all', async () => {
      await assertRefused(await issuer.sign(ssoClaims(HOME_TENANT), { foreignKey: true }), /not a valid/);
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify(ssoClaims(HOME_TENANT))).toString('base64url');
      await assertRefused(`${header}.${payload}.`, /not a valid/);
    });

    it('a token without a tenant or user', async () => {
      const noOid = ssoClaims(HOME_TENANT);
      delete noOid.oid;
      await assertRefused(await issuer.sign(noOid), /"oid" claim/);
    });
  });

  it('refuses a signed-in user of a tenant that is not allowed with 403', async () => {
    const token = await issuer.sign(ssoClaims(THIRD_TENANT));
    const answer = await call('GET', '/api/anything', token);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'Forbidden');
    assert.match(answer.body.error.message, /organization is not set up/);
  });

  it('takes identity, tenant and admin role from the verified token', async () => {
    const token = await issuer.sign(
      ssoClaims(HOME_TENANT.toUpperCase(), {
        iss: `https://login.microsoftonline.com/${HOME_TENANT.toUpperCase()}/v2.0`,
        aud: `api://engagement.contoso.test/${CLIENT_ID}`,
        oid: 'oid-1',
        scp: 'User.Read access_as_user',
        roles: ['EngagementAdmin'],
      }),
    );
    const req = { headers: { authorization: `Bearer ${token}` } } as Request;
    assert.deepEqual(await server.identity(req), {
      tenantId: HOME_TENANT,
      userId: 'oid-1',
      email: 'ana@fabrikam.com',
      name: 'Ana Diaz',
      isAdmin: true,
      source: 'teams-sso',
    });
    const upnOnly = ssoClaims(HOME_TENANT, { upn: 'bo@fabrikam.com' });
    delete upnOnly.preferred_username;
    delete upnOnly.name;
    const member = await server.identity({
      headers: { authorization: `Bearer ${await issuer.sign(upnOnly)}` },
    } as Request);
    assert.equal(member.email, 'bo@fabrikam.com');
    assert.equal(member.name, 'bo@fabrikam.com');
    assert.equal(member.isAdmin, false);
  });

  it('reads the signing keys once and reuses them', async () => {
    const before = issuer.jwksRequests;
    for (let i = 0; i < 3; i += 1) {
      assert.equal(
        (await call('GET', '/api/anything', await issuer.sign(ssoClaims(HOME_TENANT)))).status,
        404,
      );
    }
    assert.equal(issuer.jwksRequests, before);
  });

  it('answers 503 (not 401) when the signing keys cannot be fetched', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const settings = testProductionSettings(local.stack, {
      TEAMS_SSO_JWKS_URL: `http://127.0.0.1:${port}/keys`,
    });
    const unreachable = teamsSsoIdentity(teamsSsoOptions(settings));
    const logged = sinon.stub(console, 'error');
    try {
      const token = await issuer.sign(ssoClaims(HOME_TENANT));
      await assert.rejects(
        unreachable({ headers: { authorization: `Bearer ${token}` } } as Request),
        (error: unknown) => error instanceof ApiError && error.status === 503,
      );
      assert.ok(logged.calledOnce);
      assert.ok(!String(logged.firstCall.args[0]).includes(token));
    } finally {
      logged.restore();
    }
  });

  describe("on the product's own routes", () => {
    // The demo tenant's enrichment, stored the way the configuration module stores it.
    const runs = '/api/enrichments/sales/runs';
    const search = '/api/enrichments/sales/accounts?search=Contoso';
    const token = (tenantId: string, admin: boolean) =>
      issuer.sign(
        ssoClaims(tenantId, {
          oid: `${admin ? 'admin' : 'seller'}-${tenantId}`,
          ...(admin ? { roles: ['EngagementAdmin'] } : {}),
        }),
      );

    before(async () => {
      await saveEnrichment(local, {
        enrichmentId: 'sales',
        tracked: ['ana@fabrikam.com'],
        consentGrantedAt: null,
      });
    });

    it('lets a seller search accounts but not read the run history (admin only)', async () => {
      const seller = await token(tenantOf(local), false);
      const found = await call<{ accounts: unknown[] }>('GET', search, seller);
      assert.equal(found.status, 200);
      assert.deepEqual(found.body.accounts, [], 'no run has published results yet');
      const history = await call('GET', runs, seller);
      assert.equal(history.status, 403);
      assert.equal(history.body.error.code, 'Forbidden');
    });

    it('lets an admin read the run history', async () => {
      const history = await call<{ runs: unknown[] }>('GET', runs, await token(tenantOf(local), true));
      assert.equal(history.status, 200);
      assert.deepEqual(history.body.runs, []);
    });

    it('applies one rule to every operation: no token 401; a seller 403 on every admin operation, writes included', async () => {
      const doc = await call<{ paths: Record<string, Record<string, { 'x-access': 'admin' | 'member' }>> }>(
        'GET',
        '/api/openapi.json',
      );
      const seller = await token(tenantOf(local), false);
      const checked: string[] = [];
      for (const [template, operations] of Object.entries(doc.body.paths)) {
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === 'enrichmentId' ? 'sales' : 'x1',
        );
        for (const [method, operation] of Object.entries(operations)) {
          const unsigned = await fetch(`${server.url}${path}`, { method: method.toUpperCase() });
          assert.equal(unsigned.status, 401, `${method} ${template} without a token`);
          if (operation['x-access'] !== 'admin') continue;
          const answer = await fetch(`${server.url}${path}`, {
            method: method.toUpperCase(),
            headers: { authorization: `Bearer ${seller}`, 'content-type': 'application/json' },
            body: method === 'get' || method === 'delete' ? undefined : '{}',
          });
          assert.equal(answer.status, 403, `${method} ${template} by a seller`);
          checked.push(`${method} ${template}`);
        }
      }
      assert.ok(checked.filter((c) => !c.startsWith('get ')).length >= 15, checked.join('\n'));
    });

    it("hides one tenant's enrichment from another tenant's admin and seller", async () => {
      const otherAdmin = await token(OTHER_TENANT, true);
      const answer = await fetch(`${server.url}${runs}?tenantId=${tenantOf(local)}`, {
        headers: { authorization: `Bearer ${otherAdmin}`, 'x-tenant-id': tenantOf(local) },
      });
      assert.equal(answer.status, 404);
      assert.equal((await call('GET', search, await token(OTHER_TENANT, false))).status, 404);
    });
  });

  it('keeps /api/health and /api/openapi.json open for probes and tools', async () => {
    assert.equal((await call('GET', '/api/health')).status, 200);
    const openApi = await call<{ openapi: string }>('GET', '/api/openapi.json');
    assert.equal(openApi.status, 200);
    assert.equal(openApi.body.openapi, '3.1.0');
  });

  it('defaults to the home tenant only and to its Entra signing keys', () => {
    const options = teamsSsoOptions(testProductionSettings(local.stack));
    assert.deepEqual(options.allowedTenantIds, [HOME_TENANT]);
    assert.equal(
      options.jwksUrl.href,
      `https://login.microsoftonline.com/${HOME_TENANT}/discovery/v2.0/keys`,
    );
    assert.equal(options.tabDomain, new URL(TAB_ENDPOINT).host);
  });
});

describe('production mode refuses what local mode allows', () => {
  let local: TestApp;
  let server: ProductionServer;

  before(async () => {
    local = await startTestApp();
    server = await startProductionServer(local.stack);
  });
  after(async () => {
    await server?.close();
    await local?.close();
  });

  it('the development identity cannot be created with production settings', () => {
    assert.throws(() => developmentIdentity(server.settings, HOME_TENANT), /only in local mode/);
  });

  it('a request without a token gets 401 where local mode would use the development identity', async () => {
    const inLocalMode = await fetch(`${local.url}/api/anything`);
    assert.equal(inLocalMode.status, 404, 'local mode: the development identity gets through to routing');
    const inProduction = await fetch(`${server.url}/api/anything`);
    assert.equal(inProduction.status, 401);
    assert.equal(inProduction.headers.get('www-authenticate'), 'Bearer');
  });

  it('the bot refuses an activity that is not signed by the Bot Framework', async () => {
    const activity = {
      type: 'message',
      id: 'activity-1',
      text: 'help',
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      from: { id: '29:user', name: 'Ana Diaz' },
      recipient: { id: '28:bot', name: 'Account engagement' },
      conversation: { id: 'a:conversation' },
    };
    const logged = sinon.stub(console, 'error');
    // The refusal needs no Bot Framework metadata: nothing is fetched (botbuilder uses https.request).
    const outbound = sinon.spy(https, 'request');
    try {
      for (const authorization of [undefined, '']) {
        const response = await fetch(`${server.url}/api/messages`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(authorization === undefined ? {} : { authorization }),
          },
          body: JSON.stringify(activity),
        });
        assert.equal(response.status, 401);
      }
      assert.ok(logged.called, 'the refusal is logged');
      assert.equal(outbound.callCount, 0);
    } finally {
      outbound.restore();
      logged.restore();
    }
  });
});
