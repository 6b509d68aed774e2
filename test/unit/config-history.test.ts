import assert from 'node:assert/strict';
import { changesBetween } from '../../core/config/config-history';
import { enrichmentInputSchema } from '../../core/config/enrichment-config';

const input = (overrides: Record<string, unknown> = {}) =>
  enrichmentInputSchema.parse({
    name: 'Sales',
    tracked: ['ana@fabrikam.com', 'sales@fabrikam.com'],
    consentStatement: { accepted: true },
    datasetId: 'demo',
    mapping: { emailField: 'Email', domainField: 'Domain' },
    region: 'europe',
    ...overrides,
  });

describe('configuration history: what changed between two versions', () => {
  it('is nothing for the same settings, the consent statement aside', () => {
    assert.deepEqual(changesBetween(input(), input()), []);
  });

  it('names nested settings by path with their values, unset ones as null', () => {
    const changes = changesBetween(
      input(),
      input({
        mapping: { emailField: 'Email', ownerField: 'Owner' },
        engagement: { weights: { meeting: 5 } },
        schedule: { cadence: 'daily' },
      }),
    );
    assert.deepEqual(changes, [
      { field: 'engagement.weights.meeting', before: 4, after: 5 },
      { field: 'mapping.domainField', before: 'Domain', after: null },
      { field: 'mapping.ownerField', before: null, after: 'Owner' },
      { field: 'schedule.cadence', before: 'weekly', after: 'daily' },
    ]);
  });

  it('gives lists as the entries added and removed, whatever their order', () => {
    const before = input({ privacy: { excludedDomains: ['contoso.com', 'northwind.io'] } });
    const after = input({
      tracked: ['sales@fabrikam.com', 'ana@fabrikam.com'],
      privacy: { excludedDomains: ['northwind.io', 'litware.com'], countPrivateMeetings: true },
    });
    assert.deepEqual(changesBetween(before, after), [
      { field: 'privacy.countPrivateMeetings', before: false, after: true },
      { field: 'privacy.excludedDomains', added: ['litware.com'], removed: ['contoso.com'] },
    ]);
  });
});
