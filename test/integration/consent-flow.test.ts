import assert from 'node:assert/strict';
import { Agent, fetch as undiciFetch } from 'undici';
import { CONSENT_LINK_TTL_MS } from '../../core/config/consent';
import type { ConsentState, EnrichmentConfig } from '../../core/config/enrichment-config';
import { LOCAL_APP_CLIENT_ID } from '../../core/config/settings';
import { demoTenant, type SentMail } from '../../local/graph-simulator';
import { validEnrichment } from '../support/configuration';
import { startTestApp, type TestApp } from '../support/test-app';

const ENRICHMENT = '/api/enrichments/sales-engagement';
const DAY_MS = 86_400_000;

/** Who the local stack sends consent requests from: the first colleague of the demo tenant (DEMO_SEED 42). */
const demoSender = () => demoTenant({ seed: 42 }).internalUsers[0]?.mail ?? '';

interface Page {
  status: number;
  html: string;
  headers: Headers;
}

describe('tenant-admin consent', function () {
  let app: TestApp;
  let agent: Agent;
  let clock = Date.parse('2026-11-02T09:00:00Z');

  /** The consent link in a mail the app sent. */
  function linkIn(mail: SentMail | undefined): URL {
    const html = (mail?.message.body as { content?: string } | undefined)?.content ?? '';
    const href = /href="([^"]+)"/.exec(html)?.[1];
    assert.ok(href, 'the mail carries a link');
    return new URL(href.replaceAll('&amp;', '&'));
  }

  /** Opens a consent link as the tenant admin's browser: the identity platform's page, then its redirect. */
  async function answerConsent(link: URL): Promise<Page> {
    const prompt = await undiciFetch(link, { dispatcher: agent, redirect: 'manual' });
    assert.equal(prompt.status, 302);
    const location = prompt.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${app.url}/api/consent/callback?`), location);
    return openCallback(location);
  }

  async function openCallback(url: string): Promise<Page> {
    const response = await fetch(url, { redirect: 'manual' });
    return { status: response.status, html: await response.text(), headers: response.headers };
  }

  async function consent(): Promise<ConsentState> {
    const answer = await app.api<ConsentState>('GET', `${ENRICHMENT}/consent`);
    assert.equal(answer.status, 200);
    return answer.body;
  }

  async function resend(): Promise<{ status: number; body: unknown }> {
    return app.api('POST', `${ENRICHMENT}/consent/request`);
  }

  before(async () => {
    app = await startTestApp({}, { now: () => clock });
    agent = new Agent({ connect: { ca: app.stack.cosmos.connection.ca ?? '' } });
  });
  after(async () => {
    await agent?.close();
    await app?.close();
  });

  it('mails the tenant admin a consent request when the enrichment is saved', async () => {
    const created = await app.api<{ enrichment: EnrichmentConfig }>(
      'POST',
      '/api/enrichments',
      validEnrichment(),
    );
    assert.equal(created.status, 201);
    const sent = app.stack.graph.sentMail;
    assert.equal(sent.length, 1);
    const mail = sent[0];
    const sender = app.stack.graph.tenant.users.find((u) => u.id === mail?.userId);
    assert.equal(sender?.mail, demoSender(), "the demo tenant's first colleague sends it");
    assert.deepEqual(mail?.message.toRecipients, [{ emailAddress: { address: 'admin@fabrikam.com' } }]);
    assert.match(
      String(mail?.message.subject),
      /Consent requested for Account engagement \("Sales engagement"\)/,
    );

    const link = linkIn(mail);
    const tenantId = app.stack.graph.tenant.tenant.id;
    assert.equal(
      `${link.origin}${link.pathname}`,
      `${app.stack.graph.loginUrl}/${tenantId}/v2.0/adminconsent`,
    );
    assert.equal(link.searchParams.get('client_id'), LOCAL_APP_CLIENT_ID);
    assert.equal(link.searchParams.get('scope'), 'https://graph.microsoft.com/.default');
    assert.equal(link.searchParams.get('redirect_uri'), `${app.url}/api/consent/callback`);
    assert.match(link.searchParams.get('state') ?? '', new RegExp(`^${tenantId}\\.[A-Za-z0-9_-]{32}$`));

    const state = await consent();
    assert.equal(state.status, 'requested');
    assert.equal(state.requestedTo, 'admin@fabrikam.com');
    assert.equal(state.requestedAt, new Date(clock).toISOString());
    assert.equal(state.requestedBy?.email, 'admin@fabrikam.com');
    assert.equal(state.grantedAt, null);
  });

  it('records a refusal with its reason, and a newer request replaces the older link', async () => {
    const firstLink = linkIn(app.stack.graph.sentMail[0]);
    clock += 60_000;
    const resent = await resend();
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    assert.equal(app.stack.graph.sentMail.length, 2);

    const replaced = await answerConsent(firstLink);
    assert.equal(replaced.status, 400);
    assert.match(replaced.html, /replaced by a newer request/);
    assert.equal((await consent()).status, 'requested', 'nothing was recorded');

    app.stack.graph.setConsentOutcome('denied');
    try {
      const refused = await answerConsent(linkIn(app.stack.graph.sentMail[1]));
      assert.equal(refused.status, 200);
      assert.match(refused.html, /Consent was not granted/);
      assert.match(refused.html, /AADSTS65004: User declined to consent to access the app\./);
      assert.match(refused.html, /href="\/tab\/"/);
    } finally {
      app.stack.graph.setConsentOutcome('granted');
    }
    const state = await consent();
    assert.equal(state.status, 'refused');
    assert.equal(state.refusalReason, 'AADSTS65004: User declined to consent to access the app.');
    assert.equal(state.refusedAt, new Date(clock).toISOString());
    assert.equal(state.grantedAt, null);
  });

  it('follows the mailed link through the consent page to the callback and records the grant', async () => {
    clock += 60_000;
    assert.equal((await resend()).status, 200);
    const link = linkIn(app.stack.graph.sentMail.at(-1));
    const page = await answerConsent(link);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.html, /<h1>Consent granted<\/h1>/);
    assert.match(page.html, /&quot;Sales engagement&quot;/);
    assert.match(page.html, /<a href="\/tab\/">Open Account engagement<\/a>/);

    const state = await consent();
    assert.equal(state.status, 'granted');
    assert.equal(state.grantedAt, new Date(clock).toISOString());
    assert.equal(state.grantedTenantId, app.stack.graph.tenant.tenant.id);
    assert.equal(state.refusalReason, null);
    const config = (await app.api<EnrichmentConfig>('GET', ENRICHMENT)).body;
    assert.equal(config.consent.grantedAt, state.grantedAt, 'the runs read it from the configuration');

    const again = await answerConsent(link);
    assert.equal(again.status, 400);
    assert.match(again.html, /used already/);
    assert.deepEqual(await consent(), state);
  });

  it('refuses forged, malformed and missing states without recording anything', async () => {
    const before = await consent();
    const tenantId = app.stack.graph.tenant.tenant.id;
    for (const query of [
      `state=${tenantId}.${'A'.repeat(32)}&admin_consent=True&tenant=${tenantId}`,
      `state=another-tenant.${'B'.repeat(32)}&admin_consent=True`,
      'state=%3Cscript%3E&admin_consent=True',
      'admin_consent=True',
    ]) {
      const page = await openCallback(`${app.url}/api/consent/callback?${query}`);
      assert.equal(page.status, 400, query);
      assert.match(page.html, /This link cannot be used/);
      assert.ok(!page.html.includes('<script>'));
    }
    assert.deepEqual(await consent(), before);
  });

  it('does not resend while granted; revokes, and then requests again', async () => {
    const granted = await resend();
    assert.equal(granted.status, 409);

    clock += 60_000;
    const revoked = await app.api<ConsentState>('POST', `${ENRICHMENT}/consent/revoke`);
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.status, 'revoked');
    assert.equal(revoked.body.grantedAt, null);
    assert.equal(revoked.body.revokedAt, new Date(clock).toISOString());
    assert.equal(revoked.body.revokedBy?.email, 'admin@fabrikam.com');
    assert.equal((await app.api('POST', `${ENRICHMENT}/consent/revoke`)).status, 409);

    const mails = app.stack.graph.sentMail.length;
    const requested = await resend();
    assert.equal(requested.status, 200);
    assert.equal((requested.body as ConsentState).status, 'requested');
    assert.equal(app.stack.graph.sentMail.length, mails + 1);
  });

  it('refuses a link after it expired', async () => {
    const link = linkIn(app.stack.graph.sentMail.at(-1));
    clock += CONSENT_LINK_TTL_MS + DAY_MS;
    const page = await answerConsent(link);
    assert.equal(page.status, 400);
    assert.match(page.html, /has expired/);
    assert.equal((await consent()).status, 'requested');
  });

  it('answers 502 and changes nothing when the mail cannot be sent', async () => {
    const before = await consent();
    const mails = app.stack.graph.sentMail.length;
    const sender = demoSender();
    app.stack.graph.faults.deny(sender);
    try {
      const answer = await app.api<{ error: { code: string; message: string } }>(
        'POST',
        `${ENRICHMENT}/consent/request`,
      );
      assert.equal(answer.status, 502);
      assert.equal(answer.body.error.code, 'ConsentRequestNotSent');
      assert.match(
        answer.body.error.message,
        new RegExp(`could not be sent from ${sender} to admin@fabrikam\\.com`),
      );
    } finally {
      app.stack.graph.faults.reset();
    }
    assert.equal(app.stack.graph.sentMail.length, mails);
    assert.deepEqual(await consent(), before);
  });

  it('answers 404 for the consent of an unknown enrichment', async () => {
    assert.equal((await app.api('GET', '/api/enrichments/unknown/consent')).status, 404);
    assert.equal((await app.api('POST', '/api/enrichments/unknown/consent/request')).status, 404);
    assert.equal((await app.api('POST', '/api/enrichments/unknown/consent/revoke')).status, 404);
  });
});
