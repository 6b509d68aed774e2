import assert from 'node:assert/strict';
import type { z } from 'zod';
import { adminConsentUrl, consentSettingsFor, CONSENT_SCOPE } from '../../core/config/consent';
import { consentRequestMail, escapeHtml } from '../../core/config/consent-mail';
import { enrichmentDraftSchema, enrichmentInputSchema, REGIONS } from '../../core/config/enrichment-config';
import { LOCAL_APP_CLIENT_ID, loadSettings } from '../../core/config/settings';
import { odataString } from '../../core/graph/directory-search';
import { tempDir } from '../support/temp-dir';

const complete = {
  name: 'Sales engagement',
  tracked: ['ana@fabrikam.com', 'ussales@fabrikam.com'],
  consentStatement: { accepted: true },
  datasetId: 'demo',
  mapping: { emailField: 'Email' },
  region: 'europe',
};

function problems(input: unknown): Record<string, string> {
  const result = enrichmentInputSchema.safeParse(input);
  assert.ok(!result.success, 'expected the configuration to be refused');
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

/** Dotted paths of every field an object schema declares, nested objects included. */
function fieldPaths(schema: z.ZodType, prefix = ''): string[] {
  const def = (
    schema as {
      def?: { type?: string; innerType?: z.ZodType; out?: z.ZodType; shape?: Record<string, z.ZodType> };
    }
  ).def;
  if (def?.innerType) return fieldPaths(def.innerType, prefix);
  if (def?.type === 'pipe' && def.out) return fieldPaths(def.out, prefix);
  if (def?.type !== 'object' || !def.shape) return [prefix];
  return Object.entries(def.shape).flatMap(([key, child]) =>
    fieldPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}

describe('enrichment configuration model', () => {
  it('completes a minimal configuration with the defaults', () => {
    const input = enrichmentInputSchema.parse(complete);
    assert.equal(input.entityName, 'Office');
    assert.equal(input.staleThresholdDays, 60);
    assert.deepEqual(input.schedule, { cadence: 'weekly', dayOfWeek: 1, dayOfMonth: 1, hourUtc: 2 });
    assert.deepEqual(input.engagement, {
      weights: { emailTo: 1, emailFrom: 1.5, meeting: 4 },
      halfLifeDays: 90,
      signals: {
        staleDays: 60,
        unansweredDays: 30,
        unansweredMinEmails: 3,
        singleThreadedDays: 90,
        singleThreadedMinActivities: 5,
        coolingRecentDays: 30,
        coolingBaselineDays: 90,
        coolingRatio: 0.5,
        coolingMinMean: 4,
        alerts: ['Stale'],
      },
    });
    assert.deepEqual(input.mapping, { emailField: 'Email' });
  });

  it('names every missing field at once', () => {
    assert.deepEqual(Object.keys(problems({})).sort(), [
      'consentStatement.accepted',
      'datasetId',
      'mapping.emailField',
      'name',
      'region',
      'tracked',
    ]);
  });

  it('names every broken rule at once, per field', () => {
    const found = problems({
      ...complete,
      name: '!!!',
      entityName: 'Office Data',
      consentStatement: { accepted: false },
      staleThresholdDays: 400,
      schedule: { cadence: 'hourly', dayOfWeek: 7, dayOfMonth: 29, hourUtc: 24 },
      engagement: { weights: { meeting: 7 }, halfLifeDays: 1 },
      region: 'asia',
    });
    assert.deepEqual(found, {
      name: 'The name must contain a letter or a digit',
      entityName: 'The output entity name may contain only letters, digits and _, and starts with a letter',
      'consentStatement.accepted': 'Accept the consent statement to save the enrichment',
      'engagement.weights.meeting': 'meeting weight must be between 2 and 6 (default 4 ± 50%)',
      'engagement.halfLifeDays': 'halfLifeDays must be between 7 and 730',
      staleThresholdDays: 'staleThresholdDays must be between 7 and 365 days',
      'schedule.cadence': 'cadence must be one of weekly, daily, monthly, off',
      'schedule.dayOfWeek': 'dayOfWeek must be between 0 and 6 (0 = Sunday … 6 = Saturday)',
      'schedule.dayOfMonth': 'dayOfMonth must be between 1 and 28',
      'schedule.hourUtc': 'hourUtc must be between 0 and 23',
      region: '"asia" is not a data region; allowed: uk, europe, northAmerica',
    });
  });

  it('accepts the three data regions and the stale threshold bounds', () => {
    for (const region of REGIONS) assert.ok(enrichmentInputSchema.safeParse({ ...complete, region }).success);
    for (const days of [7, 365]) {
      assert.equal(
        enrichmentInputSchema.parse({ ...complete, staleThresholdDays: days }).staleThresholdDays,
        days,
      );
    }
    assert.ok(!enrichmentInputSchema.safeParse({ ...complete, staleThresholdDays: 6 }).success);
  });

  it('treats an empty optional mapping field as not mapped', () => {
    const input = enrichmentInputSchema.parse({
      ...complete,
      mapping: { emailField: ' Email ', domainField: '', ownerField: null },
    });
    assert.equal(input.mapping.emailField, 'Email');
    assert.equal(input.mapping.domainField, undefined);
    assert.equal(input.mapping.ownerField, undefined);
  });

  it('lets a draft hold any unfinished input of the right types, and nothing else', () => {
    assert.ok(enrichmentDraftSchema.safeParse({ name: '', tracked: [], region: 'asia' }).success);
    const refused = enrichmentDraftSchema.safeParse({
      name: 5,
      mapping: { emailField: 1, other: 'x' },
      colour: 'red',
    });
    assert.ok(!refused.success);
    assert.deepEqual(
      refused.error.issues.map((i) => i.path.join('.')),
      ['name', 'mapping.emailField', 'mapping', ''],
    );
  });

  it('keeps the draft shape and the model in step, field for field', () => {
    assert.deepEqual(fieldPaths(enrichmentDraftSchema).sort(), fieldPaths(enrichmentInputSchema).sort());
  });
});

describe('consent link and mail', () => {
  const settings = {
    sender: 'noreply@fabrikam.com',
    tenantAdminEmail: 'it@fabrikam.com',
    loginBaseUrl: 'https://login.example.test/',
    clientId: LOCAL_APP_CLIENT_ID,
    appUrl: 'https://engagement.fabrikam.com',
  };

  it('builds the v2.0 admin-consent link with the app, scope, callback and state', () => {
    const url = new URL(adminConsentUrl(settings, 'tenant-1', 'tenant-1.state'));
    assert.equal(url.origin + url.pathname, 'https://login.example.test/tenant-1/v2.0/adminconsent');
    assert.equal(url.searchParams.get('client_id'), LOCAL_APP_CLIENT_ID);
    assert.equal(url.searchParams.get('scope'), CONSENT_SCOPE);
    assert.equal(
      url.searchParams.get('redirect_uri'),
      'https://engagement.fabrikam.com/api/consent/callback',
    );
    assert.equal(url.searchParams.get('state'), 'tenant-1.state');
  });

  it('escapes what it puts into the mail', () => {
    const mail = consentRequestMail({
      link: 'https://login.example.test/t/v2.0/adminconsent?a=1&b=2',
      enrichmentName: '<script>x</script>',
      requester: { userId: 'u', email: 'ana@fabrikam.com', name: 'Ana "A" <Diaz>' },
      expiresAt: '2026-11-08T00:00:00.000Z',
    });
    assert.ok(!mail.html.includes('<script>'));
    assert.ok(mail.html.includes('&lt;script&gt;x&lt;/script&gt;'));
    assert.ok(mail.html.includes('Ana &quot;A&quot; &lt;Diaz&gt;'));
    assert.ok(mail.html.includes('href="https://login.example.test/t/v2.0/adminconsent?a=1&amp;b=2"'));
    assert.match(mail.html, /Sun, 08 Nov 2026 00:00:00 GMT/);
    assert.equal(escapeHtml(`'&'`), '&#39;&amp;&#39;');
  });

  it('takes production consent settings from the settings and points back to TAB_ENDPOINT', () => {
    const production = loadSettings({
      env: {
        APP_MODE: 'production',
        COSMOS_ENDPOINT: 'https://cosmos.example.test:443/',
        TEAMS_APP_TENANT_ID: '11111111-1111-4111-8111-111111111111',
        AAD_APP_CLIENT_ID: '22222222-2222-4222-8222-222222222222',
        SECRET_AAD_APP_CLIENT_SECRET: 'secret',
        BOT_ID: '33333333-3333-4333-8333-333333333333',
        SECRET_BOT_PASSWORD: 'secret',
        TAB_ENDPOINT: 'https://engagement.fabrikam.com',
        CONSENT_SENDER: 'noreply@fabrikam.com',
        TENANT_ADMIN_EMAIL: 'it@fabrikam.com',
      },
      envDir: tempDir('env').path,
    });
    const consent = consentSettingsFor(production, 'http://ignored');
    assert.deepEqual(
      { ...consent },
      {
        sender: 'noreply@fabrikam.com',
        tenantAdminEmail: 'it@fabrikam.com',
        loginBaseUrl: 'https://login.microsoftonline.com',
        clientId: '22222222-2222-4222-8222-222222222222',
        appUrl: 'https://engagement.fabrikam.com',
      },
    );
  });

  it('defaults the local recipient to the development identity and the callback to the calling origin', () => {
    const local = loadSettings({ env: { APP_MODE: 'local' }, envDir: tempDir('env').path });
    const consent = consentSettingsFor(local, 'http://localhost:4321');
    assert.equal(consent.tenantAdminEmail, 'admin@fabrikam.com');
    assert.equal(consent.clientId, LOCAL_APP_CLIENT_ID);
    assert.equal(consent.appUrl, 'http://localhost:4321');
  });

  it('quotes OData string literals', () => {
    assert.equal(odataString("O'Neil"), "'O''Neil'");
  });
});
