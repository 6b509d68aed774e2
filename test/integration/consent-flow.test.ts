import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONSENT_LINK_TTL_MS } from '../../core/config/consent';
import type { ConsentState, EnrichmentConfig } from '../../core/config/enrichment-config';
import { LOCAL_APP_CLIENT_ID } from '../../core/config/settings';
import { ensureContainers } from '../../core/store/containers';
import { demoTenant, type SentMail } from '../../local/graph-simulator';
import { localConsentRoutes } from '../../local/local-consent';
import { mailboxPage, sanitizeMailHtml } from '../../local/local-mailbox';
import { createApp } from '../../server/app';
import { developmentIdentity } from '../../server/identity';
import { validEnrichment } from '../support/configuration';
import { testLocalSettings } from '../support/local-settings';
import { testProductionSettings } from '../support/production-server';
import { startTestApp, type TestApp } from '../support/test-app';
import { DAY_MS } from '../../core/time/durations';

const ENRICHMENT = '/api/enrichments/sales-engagement';

/** Who the local stack sends consent requests from: the first colleague of the demo tenant (DEMO_SEED 42). */
const demoSender = () => demoTenant({ seed: 42 }).internalUsers[0]?.mail ?? '';

interface Page {
  status: number;
  html: string;
  headers: Headers;
}

describe('tenant-admin consent', function () {
  let app: TestApp;
  let clock = Date.parse('2026-11-02T09:00:00Z');

  /** The consent link in a mail the app sent. */
  function linkIn(mail: SentMail | undefined): URL {
    const html = (mail?.message.body as { content?: string } | undefined)?.content ?? '';
    const href = /href="([^"]+)"/.exec(html)?.[1];
    assert.ok(href, 'the mail carries a link');
    return new URL(href.replaceAll('&amp;', '&'));
  }

  /** The stand-in admin-consent page a consent link opens, and its form's hidden fields. */
  async function openPrompt(link: URL): Promise<{ html: string; fields: URLSearchParams }> {
    const prompt = await fetch(link, { redirect: 'manual' });
    assert.equal(prompt.status, 200);
    assert.equal(prompt.headers.get('cache-control'), 'no-store');
    const html = await prompt.text();
    assert.match(html, /<h1>Permissions requested<\/h1>/);
    const fields = new URLSearchParams();
    for (const [, name = '', value = ''] of html.matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
    )) {
      fields.set(name, value.replaceAll('&amp;', '&').replaceAll('&quot;', '"'));
    }
    return { html, fields };
  }

  /**
   * Opens a consent link as the tenant admin's browser: the stand-in admin-consent page, its Accept
   * (or Cancel) button, the identity platform's redirect, and the app's callback.
   */
  async function answerConsent(link: URL, answer: 'accept' | 'cancel' = 'accept'): Promise<Page> {
    const { fields } = await openPrompt(link);
    fields.set('answer', answer);
    const answered = await fetch(link, { method: 'POST', body: fields, redirect: 'manual' });
    assert.equal(answered.status, 302);
    const location = answered.headers.get('location') ?? '';
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
  });
  after(async () => {
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
    // The app server's own stand-in admin-consent page, over plain http: no certificate warning.
    assert.equal(`${link.origin}${link.pathname}`, `${app.url}/local/login/${tenantId}/v2.0/adminconsent`);
    assert.equal(link.searchParams.get('client_id'), LOCAL_APP_CLIENT_ID);
    assert.equal(link.searchParams.get('scope'), 'https://graph.microsoft.com/.default');
    assert.equal(link.searchParams.get('redirect_uri'), `${app.url}/api/consent/callback`);
    assert.match(link.searchParams.get('state') ?? '', new RegExp(`^${tenantId}\\.[A-Za-z0-9_-]{32}$`));

    const state = await consent();
    assert.equal(state.status, 'requested');
    assert.equal((state as { localMailboxUrl?: string }).localMailboxUrl, '/local/mailbox');
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

    const refused = await answerConsent(linkIn(app.stack.graph.sentMail[1]), 'cancel');
    assert.equal(refused.status, 200);
    assert.match(refused.html, /Consent was not granted/);
    assert.match(refused.html, /AADSTS65004: User declined to consent to access the app\./);
    assert.match(refused.html, /href="\/tab\/"/);
    const state = await consent();
    assert.equal(state.status, 'refused');
    assert.equal(state.refusalReason, 'AADSTS65004: User declined to consent to access the app.');
    assert.equal(state.refusedAt, new Date(clock).toISOString());
    assert.equal(state.grantedAt, null);
  });

  it('refuses a consent answer for another tenant before using the link up', async () => {
    clock += 60_000;
    assert.equal((await resend()).status, 200);
    const link = linkIn(app.stack.graph.sentMail.at(-1));
    const { fields } = await openPrompt(link);
    const forged = new URLSearchParams({
      admin_consent: 'True',
      tenant: '00000000-0000-4000-8000-0000000000ff',
      state: fields.get('state') ?? '',
    });
    const refused = await openCallback(`${app.url}/api/consent/callback?${forged.toString()}`);
    assert.equal(refused.status, 400);
    assert.match(refused.html, /another organization/);
    assert.notEqual((await consent()).status, 'granted');
    // The link is still good for the organization it was sent to.
    const page = await answerConsent(link);
    assert.equal(page.status, 200);
    assert.equal((await consent()).status, 'granted');
    // Back to the state the next test expects: revoked, so a request can be sent again.
    assert.equal((await app.api('POST', `${ENRICHMENT}/consent/revoke`)).status, 200);
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

  it('asks Accept or Cancel on the stand-in page, refusing what Entra ID refuses', async () => {
    const link = linkIn(app.stack.graph.sentMail.at(-1));
    const tenantId = app.stack.graph.tenant.tenant.id;
    const { html, fields } = await openPrompt(link);
    for (const permission of [
      'Mail.ReadBasic.All',
      'Calendars.ReadBasic.All',
      'User.Read.All',
      'GroupMember.Read.All',
    ]) {
      assert.ok(html.includes(permission), permission);
    }
    assert.match(html, new RegExp(`App ID ${LOCAL_APP_CLIENT_ID}`));
    assert.match(html, /<button class="button" type="submit" name="answer" value="cancel">Cancel<\/button>/);
    assert.match(
      html,
      /<button class="button primary" type="submit" name="answer" value="accept">Accept<\/button>/,
    );
    assert.equal(fields.get('state'), link.searchParams.get('state'));

    const variant = (change: (url: URL) => void) => {
      const url = new URL(link);
      change(url);
      return url;
    };
    const refusals: [URL, RegExp][] = [
      [
        variant((u) => u.searchParams.set('client_id', '11111111-1111-4111-8111-111111111111')),
        /AADSTS700016/,
      ],
      [
        variant((u) => u.searchParams.set('redirect_uri', 'https://elsewhere.example/api/consent/callback')),
        /AADSTS50011/,
      ],
      [variant((u) => u.searchParams.set('redirect_uri', `${app.url}/somewhere-else`)), /AADSTS50011/],
      [variant((u) => u.searchParams.delete('redirect_uri')), /AADSTS900144/],
      [variant((u) => (u.pathname = u.pathname.replace(tenantId, 'contoso.onmicrosoft.com'))), /AADSTS90002/],
    ];
    for (const [url, code] of refusals) {
      const page = await fetch(url, { redirect: 'manual' });
      assert.equal(page.status, 400, url.href);
      assert.match(await page.text(), code);
      // Nor does the form send the browser anywhere with such a request.
      const form = new URLSearchParams({ answer: 'accept' });
      for (const name of ['client_id', 'redirect_uri', 'state', 'scope']) {
        const value = url.searchParams.get(name);
        if (value !== null) form.set(name, value);
      }
      const posted = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
      assert.equal(posted.status, 400, url.href);
      assert.equal(posted.headers.get('location'), null);
    }
    // The v1 endpoint is the same page.
    const v1 = variant((u) => (u.pathname = u.pathname.replace('/v2.0/adminconsent', '/adminconsent')));
    assert.equal((await fetch(v1)).status, 200);
    assert.equal((await consent()).status, 'requested', 'nothing was answered');
  });

  it('shows the mail sent through Graph in the local mailbox, newest first', async () => {
    const sent = app.stack.graph.sentMail;
    const page = await fetch(`${app.url}/local/mailbox`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const html = await page.text();
    assert.equal(html.match(/<article class="message"/g)?.length, sent.length);
    assert.match(html, new RegExp(`${sent.length} messages, newest first`));
    const numbers = [...html.matchAll(/<article class="message" id="message-(\d+)"/g)].map((m) =>
      Number(m[1]),
    );
    assert.deepEqual(
      numbers,
      [...numbers].sort((a, b) => b - a),
      'newest first',
    );
    // The newest message's consent link, clickable as the mail wrote it.
    const newest = linkIn(sent.at(-1));
    assert.ok(html.includes(`href="${newest.href.replaceAll('&', '&amp;')}"`), 'the consent link is a link');
    assert.match(html, /<details open>/);
    const count = await (await fetch(`${app.url}/local/mailbox/count`)).json();
    assert.deepEqual(count, { count: sent.length });
  });

  it('makes mail HTML safe to show', () => {
    const shown = sanitizeMailHtml(
      [
        '<p onclick="steal()">Hello <strong>admin</strong> &amp; welcome</p>',
        '<script>alert(1)</script><style>body{display:none}</style>',
        '<a href="javascript:alert(2)">bad</a> <a href="java\tscript:alert(3)">bad</a>',
        '<a href="https://login.example/consent?a=1&amp;b=2" target="_top" style="color:#fff;background:url(https://x/y)">good</a>',
        '<iframe src="https://evil.example"></iframe><img src=x onerror=alert(4)>',
        '<div><ul><li>one<li>two</ul></div></div></div><scr<script></script>ipt>alert(5)</script>',
        '<p style="font-size:14px;position:fixed">a < b</p><div>unclosed',
      ].join(''),
    );
    assert.ok(
      !/<script|<style|<iframe|<img|onclick|onerror|javascript|url\(|position|target=/i.test(shown),
      shown,
    );
    assert.match(shown, /<p>Hello <strong>admin<\/strong> &amp; welcome<\/p>/);
    assert.match(shown, /<a>bad<\/a> <a>bad<\/a>/);
    assert.match(
      shown,
      /<a href="https:\/\/login\.example\/consent\?a=1&amp;b=2" rel="noopener noreferrer" style="color:#fff">good<\/a>/,
    );
    assert.match(shown, /<p style="font-size:14px">a &lt; b<\/p><div>unclosed<\/div>$/);
    assert.match(shown, /alert\(5\)/, 'script text left over is shown as text');
    // As many elements are closed as were opened.
    const opened = shown.match(/<(?!\/)(?!br\b|hr\b)[a-z0-9]+/g)?.length ?? 0;
    const closed = shown.match(/<\/[a-z0-9]+>/g)?.length ?? 0;
    assert.equal(opened, closed);
    assert.match(mailboxPage([]), /No mail yet/);
  });

  it('serves no local page in production', async () => {
    const settings = testProductionSettings(app.stack);
    const containers = await ensureContainers(app.stack.cosmos.client, settings.COSMOS_DATABASE);
    assert.throws(() => developmentIdentity(settings, 'tenant'));
    const local = testLocalSettings();
    const server = createServer(
      createApp({
        settings,
        checks: {},
        services: {
          settings,
          containers,
          graph: app.stack.graphClient,
          now: () => clock,
          runs: app.stack.runs,
        },
        identity: () => Promise.reject(new Error('no identity in this test')),
        // Even when given the local pages, production mode does not mount them.
        local: localConsentRoutes(local.settings, app.stack.graph),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const tenantId = app.stack.graph.tenant.tenant.id;
      for (const path of [
        '/local/mailbox',
        '/local/mailbox/count',
        '/local/assets/local-pages.js',
        `/local/login/${tenantId}/v2.0/adminconsent?client_id=${LOCAL_APP_CLIENT_ID}`,
      ]) {
        assert.equal((await fetch(`http://127.0.0.1:${port}${path}`)).status, 404, path);
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      local.cleanup();
    }
  });
});
