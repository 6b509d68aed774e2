import assert from 'node:assert/strict';
import { listAllEnrichments, type EnrichmentConfig } from '../../core/config/enrichment-config';
import { ConfigurationRepository } from '../../core/store/configuration-repository';
import { ensureContainers } from '../../core/store/containers';
import { expectedTrackedUsers, validEnrichment } from '../support/configuration';
import { startTestApp, type TestApp } from '../support/test-app';

interface ApiError {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}
interface SaveOutcome {
  enrichment: EnrichmentConfig;
  consentRequest: { sent: boolean; to?: string; error?: string } | null;
}

function fieldsOf(body: unknown): Record<string, string> {
  return Object.fromEntries(((body as ApiError).error.fields ?? []).map((f) => [f.field, f.message]));
}

/** Every route this part of the API adds, with a body where it takes one. */
const ROUTES: [method: string, path: string, body?: unknown][] = [
  ['GET', '/api/enrichments'],
  ['POST', '/api/enrichments', validEnrichment()],
  ['GET', '/api/enrichments/sales-engagement'],
  ['PUT', '/api/enrichments/sales-engagement', { ...validEnrichment(), version: 1 }],
  ['GET', '/api/enrichment/draft'],
  ['PUT', '/api/enrichment/draft', { name: 'x' }],
  ['DELETE', '/api/enrichment/draft'],
  ['GET', '/api/enrichments/sales-engagement/consent'],
  ['POST', '/api/enrichments/sales-engagement/consent/request'],
  ['POST', '/api/enrichments/sales-engagement/consent/revoke'],
  ['GET', '/api/datasets'],
  ['GET', '/api/datasets/demo'],
  ['POST', '/api/datasets/preview', { upload: { format: 'json', file: { text: '{}' } } }],
  ['POST', '/api/datasets', { name: 'x', upload: { format: 'json', file: { text: '{}' } } }],
  ['PUT', '/api/datasets/demo', { name: 'x', upload: { format: 'json', file: { text: '{}' } } }],
  ['DELETE', '/api/datasets/demo'],
  ['GET', '/api/directory/search?q=ana'],
];

describe('configuration API', function () {
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
  });

  it('creates an enrichment at version 1 with its tracked users resolved, and lists and reads it', async () => {
    const body = validEnrichment();
    const created = await app.api<SaveOutcome>('POST', '/api/enrichments', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { enrichment } = created.body;
    assert.equal(enrichment.enrichmentId, 'sales-engagement');
    assert.equal(enrichment.version, 1);
    assert.equal(enrichment.entityName, 'Office');
    assert.equal(enrichment.userEntityName, 'Office_UserEntity');
    assert.equal(
      enrichment.trackedSummary.resolvedUsers,
      expectedTrackedUsers(app.stack.graph.tenant, body.tracked as string[]).size,
    );
    assert.equal(enrichment.trackedSummary.groups, 1);
    assert.deepEqual(enrichment.consentStatement.acceptedBy, {
      userId: 'dev:admin@fabrikam.com',
      email: 'admin@fabrikam.com',
      name: 'Local Admin',
    });
    assert.equal(enrichment.consent.status, 'requested');
    assert.deepEqual(created.body.consentRequest, { sent: true, to: 'admin@fabrikam.com' });

    const read = await app.api<EnrichmentConfig>('GET', '/api/enrichments/sales-engagement');
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, enrichment);
    const list = await app.api<{ enrichments: EnrichmentConfig[] }>('GET', '/api/enrichments');
    assert.deepEqual(
      list.body.enrichments.map((e) => e.enrichmentId),
      ['sales-engagement'],
    );
    assert.equal((await app.api('GET', '/api/enrichments/nothing-here')).status, 404);
  });

  it('answers 400 naming every malformed field at once', async () => {
    const answer = await app.api('POST', '/api/enrichments', {
      name: 5,
      tracked: 'ana@fabrikam.com',
      mapping: { emailField: ['Email'] },
      colour: 'red',
    });
    assert.equal(answer.status, 400);
    assert.deepEqual(Object.keys(fieldsOf(answer.body)).sort(), [
      '',
      'mapping.emailField',
      'name',
      'tracked',
    ]);
    assert.match(fieldsOf(answer.body)[''] ?? '', /colour/);
  });

  it('answers 422 naming every problem at once, per field', async () => {
    const answer = await app.api('POST', '/api/enrichments', {
      name: 'Another',
      entityName: 'Office Data',
      tracked: ['ana@fabrikam.com', 'ussales@fabrikam.com'],
      consentStatement: { accepted: false },
      datasetId: 'demo',
      mapping: { emailField: 'Mail', domainField: 'Domain', ownerField: 'Owner' },
      staleThresholdDays: 3,
      schedule: { cadence: 'hourly' },
      engagement: { weights: { emailTo: 5 } },
      region: 'antarctica',
    });
    assert.equal(answer.status, 422);
    const fields = fieldsOf(answer.body);
    assert.deepEqual(Object.keys(fields).sort(), [
      'consentStatement.accepted',
      'engagement.weights.emailTo',
      'entityName',
      'mapping.emailField',
      'mapping.ownerField',
      'region',
      'schedule.cadence',
      'staleThresholdDays',
    ]);
    assert.match(
      fields['mapping.emailField'] ?? '',
      /"Mail" is not a contact field \(contact fields: .*Email/,
    );
    assert.match(
      fields['mapping.ownerField'] ?? '',
      /"Owner" is not an account field \(account fields: .*OwnerEmail/,
    );
    assert.match((answer.body as ApiError).error.message, /8 problems/);
    assert.equal((await app.api('GET', '/api/enrichments/another')).status, 404, 'nothing was saved');
  });

  it('names the missing fields of an empty configuration, and an unknown dataset', async () => {
    const empty = await app.api('POST', '/api/enrichments', {});
    assert.equal(empty.status, 422);
    assert.deepEqual(Object.keys(fieldsOf(empty.body)).sort(), [
      'consentStatement.accepted',
      'datasetId',
      'mapping.emailField',
      'name',
      'region',
      'tracked',
    ]);
    const unknown = await app.api(
      'POST',
      '/api/enrichments',
      validEnrichment({ name: 'Other', entityName: 'OtherOffice', datasetId: 'nope' }),
    );
    assert.equal(unknown.status, 422);
    assert.deepEqual(fieldsOf(unknown.body), { datasetId: 'There is no customer dataset "nope"' });
  });

  it('refuses fewer than 2 tracked users, saying how many resolved and which entries matched nothing', async () => {
    const answer = await app.api(
      'POST',
      '/api/enrichments',
      validEnrichment({
        name: 'Tiny',
        tracked: ['ana@fabrikam.com', 'nobody@fabrikam.com', 'ghosts@fabrikam.com'],
      }),
    );
    assert.equal(answer.status, 422);
    assert.equal(
      fieldsOf(answer.body).tracked,
      'Tracked users must resolve to between 2 and 2,500 addresses, but 1 resolved from 3 entries; not found: nobody@fabrikam.com, ghosts@fabrikam.com.',
    );
  });

  it('refuses an unknown data region, naming the allowed ones', async () => {
    const answer = await app.api(
      'POST',
      '/api/enrichments',
      validEnrichment({ name: 'Moon', region: 'moon' }),
    );
    assert.equal(answer.status, 422);
    assert.deepEqual(fieldsOf(answer.body), {
      region: '"moon" is not a data region; allowed: uk, europe, northAmerica',
    });
  });

  it('saves a new version from the current one, keeping the consent state', async () => {
    const before = (await app.api<EnrichmentConfig>('GET', '/api/enrichments/sales-engagement')).body;
    const saved = await app.api<SaveOutcome>('PUT', '/api/enrichments/sales-engagement', {
      ...validEnrichment({ staleThresholdDays: 30, schedule: { cadence: 'daily', hourUtc: 5 } }),
      version: before.version,
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const after = saved.body.enrichment;
    assert.equal(after.version, before.version + 1);
    assert.equal(after.staleThresholdDays, 30);
    assert.equal(after.schedule.cadence, 'daily');
    assert.equal(after.schedule.hourUtc, 5);
    assert.deepEqual(after.consent, before.consent);
    assert.equal(after.createdAt, before.createdAt);
    assert.equal(saved.body.consentRequest, null, 'consent was requested already');

    const stale = await app.api('PUT', '/api/enrichments/sales-engagement', {
      ...validEnrichment(),
      version: before.version,
    });
    assert.equal(stale.status, 409);
    assert.match((stale.body as ApiError).error.message, /changed by Local Admin \(admin@fabrikam\.com\)/);
    const missingVersion = await app.api('PUT', '/api/enrichments/sales-engagement', validEnrichment());
    assert.equal(missingVersion.status, 400);
    assert.ok(fieldsOf(missingVersion.body).version);
  });

  it('answers one of two concurrent saves of the same version with 409', async () => {
    const { version } = (await app.api<EnrichmentConfig>('GET', '/api/enrichments/sales-engagement')).body;
    const save = (days: number) =>
      app.api('PUT', '/api/enrichments/sales-engagement', {
        ...validEnrichment({ staleThresholdDays: days }),
        version,
      });
    const answers = await Promise.all([save(20), save(40)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
    const winner = answers.find((a) => a.status === 200)?.body as SaveOutcome;
    const now = (await app.api<EnrichmentConfig>('GET', '/api/enrichments/sales-engagement')).body;
    assert.equal(now.version, version + 1);
    assert.equal(now.staleThresholdDays, winner.enrichment.staleThresholdDays);
  });

  it('refuses a second enrichment with the same id', async () => {
    const again = await app.api('POST', '/api/enrichments', validEnrichment({ name: 'Sales   Engagement!' }));
    assert.equal(again.status, 409);
    assert.match((again.body as ApiError).error.message, /"sales-engagement" exists already/);
  });

  it("refuses a second enrichment writing the first one's output entity, naming the field", async () => {
    const clash = await app.api('POST', '/api/enrichments', validEnrichment({ name: 'EMEA engagement' }));
    assert.equal(clash.status, 422);
    assert.match(fieldsOf(clash.body).entityName ?? '', /already writes the output entity "Office"/);
  });

  it('keeps the wizard draft for shape only, and clears it when an enrichment is created', async () => {
    const empty = await app.api<{ draft: unknown }>('GET', '/api/enrichment/draft');
    assert.deepEqual(empty.body, { draft: null, updatedAt: null, updatedBy: null });
    const draft = { name: 'EMEA', tracked: ['emeasales@fabrikam.com'], region: 'not chosen yet' };
    const kept = await app.api('PUT', '/api/enrichment/draft', draft);
    assert.equal(kept.status, 200);
    const read = await app.api<{ draft: unknown; updatedBy: { email: string } }>(
      'GET',
      '/api/enrichment/draft',
    );
    assert.deepEqual(read.body.draft, draft);
    assert.equal(read.body.updatedBy.email, 'admin@fabrikam.com');
    const malformed = await app.api('PUT', '/api/enrichment/draft', {
      tracked: [1, 2],
      schedule: { hourUtc: 'x' },
    });
    assert.equal(malformed.status, 400);
    assert.deepEqual(Object.keys(fieldsOf(malformed.body)).sort(), [
      'schedule.hourUtc',
      'tracked.0',
      'tracked.1',
    ]);

    const created = await app.api(
      'POST',
      '/api/enrichments',
      validEnrichment({ name: 'EMEA', entityName: 'EmeaOffice', tracked: ['emeasales@fabrikam.com'] }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual((await app.api('GET', '/api/enrichment/draft')).body, {
      draft: null,
      updatedAt: null,
      updatedBy: null,
    });
    assert.equal((await app.api('DELETE', '/api/enrichment/draft')).status, 204);
  });

  it("lists every tenant's enrichments for the scheduler", async () => {
    const containers = await ensureContainers(app.stack.cosmos.client, 'engagement');
    const own = (await app.api<EnrichmentConfig>('GET', '/api/enrichments/sales-engagement')).body;
    const otherTenant = 'another-tenant';
    await new ConfigurationRepository(containers.configurations, otherTenant).upsert({
      ...own,
      id: 'enrichment:sales-engagement',
      type: 'enrichment',
      tenantId: otherTenant,
    });
    const all = await listAllEnrichments(containers);
    assert.deepEqual(
      all.map((e) => `${e.tenantId === otherTenant ? 'other' : 'own'}:${e.enrichmentId}`).sort(),
      ['other:sales-engagement', 'own:emea', 'own:sales-engagement'],
    );
    const tenantsOwn = await app.api<{ enrichments: EnrichmentConfig[] }>('GET', '/api/enrichments');
    assert.ok(
      tenantsOwn.body.enrichments.every((e) => e.tenantId !== otherTenant),
      'scoped to the caller',
    );
  });

  it('searches users and groups by display name or mail prefix', async () => {
    const tenant = app.stack.graph.tenant;
    const answer = await app.api<{
      matches: { kind: string; displayName: string; address: string; entry: string }[];
    }>('GET', '/api/directory/search?q=US%20Sales');
    assert.equal(answer.status, 200);
    const expectedGroups = tenant.groups.filter((g) => g.displayName.toLowerCase().startsWith('us sales'));
    assert.deepEqual(
      answer.body.matches
        .filter((m) => m.kind === 'group')
        .map((m) => m.entry)
        .sort(),
      expectedGroups.map((g) => g.mail).sort(),
    );
    const byMail = await app.api<{ matches: { kind: string; address: string }[] }>(
      'GET',
      '/api/directory/search?q=ANA@',
    );
    assert.deepEqual(byMail.body.matches, [
      {
        kind: 'user',
        id: tenant.users.find((u) => u.mail === 'ana@fabrikam.com')?.id,
        displayName: 'Ana Diaz',
        address: 'ana@fabrikam.com',
        entry: 'ana@fabrikam.com',
      },
    ]);
    const quoted = await app.api<{ matches: unknown[] }>(
      'GET',
      `/api/directory/search?q=${encodeURIComponent("o'")}`,
    );
    assert.equal(quoted.status, 200);
    assert.ok(Array.isArray(quoted.body.matches));
    const blank = await app.api('GET', '/api/directory/search?q=%20');
    assert.equal(blank.status, 400);
    assert.ok(fieldsOf(blank.body)['query.q']);
  });

  it('documents every route with a summary, a tag and response schemas', async () => {
    const doc = (
      await app.api<{
        paths: Record<
          string,
          Record<
            string,
            { summary: string; tags: string[]; responses: Record<string, { content?: unknown }> }
          >
        >;
      }>('GET', '/api/openapi.json')
    ).body;
    for (const [method, url] of ROUTES) {
      const path =
        url
          .split('?')[0]
          ?.replace('sales-engagement', '{enrichmentId}')
          .replace(/datasets\/demo$/, 'datasets/{datasetId}') ?? '';
      const operation = doc.paths[path]?.[method.toLowerCase()];
      assert.ok(operation, `${method} ${path} is documented`);
      assert.ok(operation.summary.length > 10, `${method} ${path} has a summary`);
      assert.equal(operation.tags.length, 1);
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
      assert.ok(success, `${method} ${path} documents its success`);
      if (success[0] !== '204') assert.ok(success[1].content, `${method} ${path} documents its body`);
    }
  });
});

describe('configuration API for sellers', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ LOCAL_USER_ROLE: 'seller' });
  });
  after(async () => {
    await app?.close();
  });

  it('refuses every configuration, dataset, consent and directory route with 403', async () => {
    for (const [method, path, body] of ROUTES) {
      const answer = await app.api<ApiError>(method, path, body);
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(answer.body.error.code, 'Forbidden');
    }
  });
});
