import assert from 'node:assert/strict';
import type { EnrichmentConfig } from '../../core/config/enrichment-config';
import { generateTenant } from '../../local/graph-simulator';
import { expectedTrackedUsers, validEnrichment } from '../support/configuration';
import { tempDir } from '../support/temp-dir';
import { startTestApp, type TestApp } from '../support/test-app';

interface Fields {
  error: { fields?: { field: string; message: string }[] };
}

describe('configuration limits', () => {
  describe('with 2,500 sellers', () => {
    const tenant = generateTenant({
      seed: 25,
      sellers: 2_500,
      accounts: 10,
      internalUsers: 2,
      messagesPerMailbox: 0,
    });
    const groups = tenant.groups.map((g) => g.mail ?? '');
    let app: TestApp;

    before(async () => {
      app = await startTestApp({}, { tenant });
    });
    after(async () => {
      await app?.close();
    });

    it('accepts 2,500 tracked users through groups and shows the count', async () => {
      assert.equal(expectedTrackedUsers(tenant.source, groups).size, 2_500);
      const answer = await app.api<{ enrichment: EnrichmentConfig }>(
        'POST',
        '/api/enrichments',
        validEnrichment({ tracked: groups }),
      );
      assert.equal(answer.status, 201, JSON.stringify(answer.body).slice(0, 500));
      assert.equal(answer.body.enrichment.trackedSummary.resolvedUsers, 2_500);
      assert.equal(answer.body.enrichment.trackedSummary.groups, groups.length);
    });

    it('refuses 2,501, saying how many resolved', async () => {
      const colleague = tenant.internalUsers[0]?.mail ?? '';
      const tracked = [...groups, colleague];
      assert.equal(expectedTrackedUsers(tenant.source, tracked).size, 2_501);
      const answer = await app.api<Fields>(
        'POST',
        '/api/enrichments',
        validEnrichment({ name: 'Too many', entityName: 'TooMany', tracked }),
      );
      assert.equal(answer.status, 422);
      assert.deepEqual(answer.body.error.fields, [
        {
          field: 'tracked',
          message: `Tracked users must resolve to between 2 and 2,500 addresses, but 2,501 resolved from ${tracked.length} entries.`,
        },
      ]);
    });
  });

  describe('across a restart', () => {
    const data = tempDir('config-restart');
    after(() => data.cleanup());

    it('keeps the configuration, its version and consent state, and the demo dataset', async () => {
      const first = await startTestApp({}, { dataDir: data.path });
      let saved: EnrichmentConfig;
      let demoImportedAt: string;
      try {
        const created = await first.api<{ enrichment: EnrichmentConfig }>(
          'POST',
          '/api/enrichments',
          validEnrichment(),
        );
        assert.equal(created.status, 201);
        const updated = await first.api<{ enrichment: EnrichmentConfig }>(
          'PUT',
          '/api/enrichments/sales-engagement',
          {
            ...validEnrichment({ staleThresholdDays: 90 }),
            version: 1,
          },
        );
        saved = updated.body.enrichment;
        demoImportedAt = (await first.api<{ importedAt: string }>('GET', '/api/datasets/demo')).body
          .importedAt;
      } finally {
        await first.close();
      }

      const second = await startTestApp({}, { dataDir: data.path });
      try {
        const read = await second.api<EnrichmentConfig>('GET', '/api/enrichments/sales-engagement');
        assert.equal(read.status, 200);
        assert.deepEqual(read.body, saved);
        assert.equal(read.body.version, 2);
        assert.equal(read.body.consent.status, 'requested');
        const demo = await second.api<{ importedAt: string }>('GET', '/api/datasets/demo');
        assert.equal(demo.body.importedAt, demoImportedAt, 'the demo dataset is not imported again');
      } finally {
        await second.close();
      }
    });
  });
});
