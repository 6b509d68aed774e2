import assert from 'node:assert/strict';
import type { ConfigChange } from '../../core/config/config-history';
import type { EnrichmentConfig } from '../../core/config/enrichment-config';
import { saveEnrichment } from '../support/enrichment-fixture';
import { runToEnd, type ErrorBody } from '../support/run-api';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The privacy settings through the API: validated with a message per field, saved as a new
 * version, recorded in the configuration's history, and taken by the next run.
 */

const ANA = 'ana@fabrikam.com';
const RUTH = 'ruth.mehta@fabrikam.com';
const TRACKED = [ANA, RUTH, 'ussales@fabrikam.com'];
const MAILBOX_ROUTE = /^GET \/users\/\{id\}\/(messages|mailFolders|calendarView|events)/;

interface SaveOutcome {
  enrichment: EnrichmentConfig;
}
interface TrackedPeople {
  users: { address: string; displayName: string | null; excluded: boolean }[];
}

const fieldsOf = (body: ErrorBody): Record<string, string> =>
  Object.fromEntries((body.error.fields ?? []).map((f) => [f.field, f.message]));

describe('privacy settings API', function () {
  this.timeout(60_000);
  let app: TestApp;
  let version = 1;

  /** Saves the enrichment with these privacy settings (and the rest as the fixture made it). */
  const save = (privacy: unknown) =>
    app.api<SaveOutcome & ErrorBody>('PUT', '/api/enrichments/sales', {
      name: 'sales',
      tracked: TRACKED,
      consentStatement: { accepted: true },
      datasetId: 'demo',
      mapping: { emailField: 'Email', domainField: 'Domain', ownerField: 'OwnerEmail' },
      region: 'europe',
      privacy,
      version,
    });

  before(async () => {
    app = await startTestApp();
    await saveEnrichment(app, { enrichmentId: 'sales', tracked: TRACKED, consentGrantedAt: Date.now() });
  });
  after(async () => app?.close());

  it('starts with private meetings not counted and nothing excluded', async () => {
    const read = await app.api<EnrichmentConfig>('GET', '/api/enrichments/sales');
    assert.deepEqual(read.body.privacy, {
      countPrivateMeetings: false,
      excludedAddresses: [],
      excludedDomains: [],
      excludedMailboxes: [],
    });
  });

  it('refuses wrong types (400) and bad entries (422), naming each field and its fix', async () => {
    const wrongTypes = await save({ countPrivateMeetings: 'yes', excludedDomains: 'contoso.com' });
    assert.equal(wrongTypes.status, 400);
    assert.deepEqual(Object.keys(fieldsOf(wrongTypes.body)).sort(), [
      'privacy.countPrivateMeetings',
      'privacy.excludedDomains',
    ]);
    const unknownField = await save({ excludeEveryone: true });
    assert.equal(unknownField.status, 400);

    const bad = await save({
      excludedAddresses: ['bob'],
      excludedDomains: ['contoso.com', 'co.uk', 'not a domain'],
      excludedMailboxes: ['stranger@fabrikam.com'],
    });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    const fields = fieldsOf(bad.body);
    assert.match(
      fields['privacy.excludedAddresses.0'] ?? '',
      /"bob" is not an email address: write it as name@example\.com/,
    );
    assert.match(
      fields['privacy.excludedDomains.1'] ?? '',
      /"co\.uk" is not a domain an organization owns: write one such as contoso\.com/,
    );
    assert.match(fields['privacy.excludedDomains.2'] ?? '', /"not a domain"/);
    assert.equal(fields['privacy.excludedDomains.0'], undefined);
    assert.match(
      fields['privacy.excludedMailboxes'] ?? '',
      /stranger@fabrikam\.com is not one of the tracked users: pick a tracked person/,
    );

    const tooMany = await save({ excludedDomains: Array.from({ length: 1_001 }, (_, i) => `d${i}.com`) });
    assert.equal(tooMany.status, 400);

    const read = await app.api<EnrichmentConfig>('GET', '/api/enrichments/sales');
    assert.equal(read.body.version, 1, 'nothing was saved');
  });

  it('lists the tracked people to pick excluded mailboxes from', async () => {
    const people = await app.api<TrackedPeople>('GET', '/api/enrichments/sales/tracked-users');
    assert.equal(people.status, 200);
    const addresses = people.body.users.map((u) => u.address);
    assert.ok(addresses.includes(ANA) && addresses.includes(RUTH), addresses.join());
    assert.ok(addresses.length > 3, 'the group brings more people');
    assert.ok(people.body.users.every((u) => !u.excluded));
    assert.equal((await app.api('GET', '/api/enrichments/nope/tracked-users')).status, 404);
  });

  it('refuses to exclude so many mailboxes that fewer than two people stay tracked', async () => {
    const people = await app.api<TrackedPeople>('GET', '/api/enrichments/sales/tracked-users');
    const allButOne = people.body.users.slice(1).map((u) => u.address);
    const answer = await save({ excludedMailboxes: allButOne });
    assert.equal(answer.status, 422);
    assert.match(
      fieldsOf(answer.body)['privacy.excludedMailboxes'] ?? '',
      /Excluding these mailboxes leaves 1 tracked user; at least 2 must stay tracked/,
    );
  });

  it('saves the settings normalised as a new version and records who changed what in the history', async () => {
    const saved = await save({
      countPrivateMeetings: true,
      excludedAddresses: [' Buyer@Contoso.com ', 'buyer@contoso.com'],
      excludedDomains: ['https://www.Northwind.io/about'],
      excludedMailboxes: ['Ruth.Mehta@Fabrikam.com'],
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    version = saved.body.enrichment.version;
    assert.equal(version, 2);
    assert.deepEqual(saved.body.enrichment.privacy, {
      countPrivateMeetings: true,
      excludedAddresses: ['buyer@contoso.com'],
      excludedDomains: ['northwind.io'],
      excludedMailboxes: [RUTH],
    });
    const people = await app.api<TrackedPeople>('GET', '/api/enrichments/sales/tracked-users');
    assert.deepEqual(
      people.body.users.filter((u) => u.excluded).map((u) => u.address),
      [RUTH],
    );

    const history = await app.api<{ changes: ConfigChange[] }>('GET', '/api/enrichments/sales/history');
    assert.equal(history.status, 200);
    const [latest, ...rest] = history.body.changes;
    assert.equal(rest.length, 0, 'the fixture wrote version 1 directly to the store');
    assert.ok(latest);
    assert.equal(latest.version, 2);
    assert.equal(latest.kind, 'changed');
    assert.equal(latest.changedBy.email, 'admin@fabrikam.com');
    assert.equal(latest.changedAt, saved.body.enrichment.updatedAt);
    const privacyChanges = latest.changes.filter((c) => c.field.startsWith('privacy.'));
    assert.deepEqual(privacyChanges, [
      { field: 'privacy.countPrivateMeetings', before: false, after: true },
      { field: 'privacy.excludedAddresses', added: ['buyer@contoso.com'], removed: [] },
      { field: 'privacy.excludedDomains', added: ['northwind.io'], removed: [] },
      { field: 'privacy.excludedMailboxes', added: [RUTH], removed: [] },
    ]);

    // A second change: only what changed is recorded.
    const again = await save({
      countPrivateMeetings: true,
      excludedAddresses: [],
      excludedDomains: ['northwind.io'],
      excludedMailboxes: [RUTH],
    });
    assert.equal(again.status, 200);
    version = again.body.enrichment.version;
    const after = await app.api<{ changes: ConfigChange[] }>('GET', '/api/enrichments/sales/history');
    assert.deepEqual(
      after.body.changes.map((c) => c.version),
      [3, 2],
    );
    assert.deepEqual(after.body.changes[0]?.changes, [
      { field: 'privacy.excludedAddresses', added: [], removed: ['buyer@contoso.com'] },
    ]);
    assert.equal((await app.api('GET', '/api/enrichments/nope/history')).status, 404);
  });

  it('the next run never requests the excluded mailbox, nor counts its user as tracked', async () => {
    const ruth = app.stack.graph.tenant.users.find((u) => u.mail?.toLowerCase() === RUTH);
    const ana = app.stack.graph.tenant.users.find((u) => u.mail?.toLowerCase() === ANA);
    assert.ok(ruth && ana);
    const before = app.stack.graph.requestLog.length;
    const run = await runToEnd(app, 'sales');
    assert.equal(run.status, 'succeeded', JSON.stringify(run));
    const mailboxRequests = app.stack.graph.requestLog
      .slice(before)
      .filter((e) => MAILBOX_ROUTE.test(e.route));
    assert.ok(mailboxRequests.some((e) => e.url.includes(ana.id)));
    assert.deepEqual(
      mailboxRequests.filter((e) => e.url.includes(ruth.id) || e.url.toLowerCase().includes(RUTH)),
      [],
    );
    const people = await app.api<TrackedPeople>('GET', '/api/enrichments/sales/tracked-users');
    assert.equal(run.counts?.['trackedUsers'], people.body.users.length - 1);
    assert.equal(run.counts?.['mailboxesTotal'], people.body.users.length - 1);
  });
});
