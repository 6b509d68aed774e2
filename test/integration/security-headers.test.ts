import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import {
  HOME_TENANT,
  ssoClaims,
  startProductionServer,
  TAB_ENDPOINT,
  type ProductionServer,
} from '../support/production-server';
import { startTestApp, type TestApp } from '../support/test-app';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  assert.ok(header, 'a Content-Security-Policy header');
  return new Map(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name ?? '', values]),
  );
}

/** The app's public host in the browser tests (TAB_ENDPOINT of the production test settings). */
const PUBLIC_HOST = new URL(TAB_ENDPOINT).host;

interface ErrorBody {
  error: { code: string; message: string };
}

describe('security headers, body limits and rate limits', () => {
  let local: TestApp;
  let production: ProductionServer;
  let issuer: TokenIssuer;

  before(async () => {
    local = await startTestApp({ API_RATE_LIMIT: '3', API_RATE_LIMIT_WINDOW_SECONDS: '60' });
    issuer = await startTokenIssuer();
    production = await startProductionServer(local.stack, {
      API_RATE_LIMIT: '2',
      TEAMS_SSO_JWKS_URL: issuer.jwksUrl,
    });
  });
  after(async () => {
    await production?.close();
    await issuer?.close();
    await local?.close();
  });

  it('lets Teams and the other Microsoft 365 hosts frame the tab, and nobody else', async () => {
    const response = await fetch(`${local.url}/tab/`);
    assert.equal(response.status, 200);
    const csp = directives(response.headers.get('content-security-policy'));
    const ancestors = csp.get('frame-ancestors') ?? [];
    for (const host of [
      "'self'",
      'https://teams.microsoft.com',
      'https://*.teams.microsoft.com',
      'https://*.cloud.microsoft',
      'https://*.microsoft365.com',
      'https://*.office.com',
      'https://outlook.office.com',
      'https://outlook.office365.com',
    ]) {
      assert.ok(ancestors.includes(host), `frame-ancestors allows ${host}`);
    }
    assert.ok(!ancestors.some((host) => host === '*' || host === 'https:'), 'no wildcard framing');
    assert.equal(response.headers.get('x-frame-options'), null, 'X-Frame-Options would forbid Teams');
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.ok(csp.get('connect-src')?.includes("'self'"));
  });

  it('sends the other protective headers on pages and API answers alike', async () => {
    for (const url of [`${local.url}/tab/`, `${local.url}/api/health`, `${production.url}/api/no-token`]) {
      const response = await fetch(url);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', url);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', url);
      assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin-allow-popups', url);
      assert.equal(response.headers.get('x-powered-by'), null, url);
      assert.ok(response.headers.get('content-security-policy'), url);
    }
  });

  it('adds HSTS and upgrade-insecure-requests in production only', async () => {
    const localTab = await fetch(`${local.url}/tab/`);
    assert.equal(localTab.headers.get('strict-transport-security'), null);
    assert.ok(!directives(localTab.headers.get('content-security-policy')).has('upgrade-insecure-requests'));

    const productionTab = await fetch(`${production.url}/tab/`);
    assert.equal(productionTab.status, 200, 'the tab page itself needs no sign-in');
    assert.match(productionTab.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
    assert.ok(
      directives(productionTab.headers.get('content-security-policy')).has('upgrade-insecure-requests'),
    );
  });

  it('answers an oversized or malformed bot request with a JSON error', async () => {
    const oversized = await fetch(`${local.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'x'.repeat(1024 * 1024 + 1) }),
    });
    assert.equal(oversized.status, 413);
    const tooLarge = (await oversized.json()) as ErrorBody;
    assert.equal(tooLarge.error.code, 'PayloadTooLarge');
    assert.match(tooLarge.error.message, /1 MB/);

    const malformed = await fetch(`${local.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "mess',
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as ErrorBody).error.code, 'BadRequest');
  });

  it('rate-limits the API per user with a JSON 429 and Retry-After, never health or the bot', async () => {
    for (let i = 0; i < 3; i += 1) {
      const answer = await local.api('GET', '/api/no-such-route');
      assert.equal(answer.status, 404, `request ${i + 1} is within the limit`);
    }
    const limited = await local.api<ErrorBody>('GET', '/api/no-such-route');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'TooManyRequests');
    assert.match(limited.body.error.message, /at most 3 every 60 s/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);

    for (let i = 0; i < 5; i += 1) {
      assert.notEqual((await local.api('GET', '/api/health')).status, 429);
      const bot = await fetch(`${local.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(bot.status, 400, 'the bot answers for itself (an activity without a type)');
      assert.equal(((await bot.json()) as ErrorBody).error.code, 'BadRequest');
    }
    assert.equal((await local.api('GET', '/api/no-such-route')).status, 429, 'still limited');
  });

  it('counts each signed-in user separately', async () => {
    const get = async (oid: string) => {
      const token = await issuer.sign(ssoClaims(HOME_TENANT, { oid }));
      return (
        await fetch(`${production.url}/api/no-such-route`, { headers: { authorization: `Bearer ${token}` } })
      ).status;
    };
    assert.deepEqual([await get('busy'), await get('busy'), await get('busy')], [404, 404, 429]);
    assert.equal(await get('quiet'), 404, 'another user of the same tenant is not held back');
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let context: BrowserContext;
    let messages: string[];
    /** Resolves when TeamsJS (loaded inside a frame) fetches its trusted host list, which CSP `connect-src` must allow. */
    let validDomainsFetched: Promise<void>;

    before(async () => {
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    });
    after(async () => {
      await browser?.close();
    });
    beforeEach(async () => {
      messages = [];
      let fetched: () => void = () => undefined;
      validDomainsFetched = new Promise((resolve) => (fetched = resolve));
      context = await browser.newContext();
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      // Nothing leaves the machine: the production server plays the app's public https host, local
      // pages play Teams and a foreign site, and everything else fails.
      const localOrigin = new URL(local.url).origin;
      await context.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        if (url.origin === localOrigin) return route.continue();
        if (url.hostname === PUBLIC_HOST) {
          return route.fulfill({
            response: await route.fetch({ url: `${production.url}${url.pathname}${url.search}` }),
          });
        }
        if (url.hostname === 'teams.microsoft.com' || url.hostname === 'intruder.example') {
          return route.fulfill({
            contentType: 'text/html',
            body: `<!doctype html><title>host</title><iframe id="tab" src="https://${PUBLIC_HOST}/tab/" width="800" height="600"></iframe>`,
          });
        }
        if (url.hostname === 'res.cdn.office.net') {
          fetched();
          return route.fulfill({
            contentType: 'application/json',
            body: '{"validOrigins":["teams.microsoft.com"]}',
          });
        }
        return route.abort();
      });
    });
    afterEach(async () => {
      await context?.close();
    });

    function watch(page: Page): void {
      page.on('console', (message) => messages.push(message.text()));
    }

    const cspMessages = () => messages.filter((text) => /Content Security Policy|CSP violation/i.test(text));

    /** Fluent UI's theme variables, present only when its run-time CSS was allowed in. */
    const themeColour = (provider: Locator) =>
      provider.evaluate((element) => getComputedStyle(element).getPropertyValue('--colorNeutralForeground1'));

    it('renders the tab with its scripts and Fluent UI styles and no CSP violation', async () => {
      const page = await context.newPage();
      watch(page);
      await page.goto(`${local.url}/tab/`);
      const provider = page.locator('.fui-FluentProvider').first();
      await provider.waitFor();
      assert.notEqual((await themeColour(provider)).trim(), '');
      assert.notEqual((await page.locator('#root').innerText()).trim(), '');
      assert.deepEqual(cspMessages(), []);
    });

    it('loads the production tab inside a Teams frame, and a foreign site cannot frame it', async () => {
      const teams = await context.newPage();
      watch(teams);
      await teams.goto('https://teams.microsoft.com/app');
      const provider = teams.frameLocator('#tab').locator('.fui-FluentProvider').first();
      await provider.waitFor();
      await validDomainsFetched;
      assert.notEqual((await themeColour(provider)).trim(), '');
      assert.deepEqual(cspMessages(), [], 'no violation inside Teams');

      const intruder = await context.newPage();
      watch(intruder);
      const refusal = intruder.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
      await intruder.goto('https://intruder.example/');
      await refusal;
      const frame = intruder.frames().find((candidate) => candidate !== intruder.mainFrame());
      assert.ok(frame, 'the iframe exists');
      const rendered = await frame
        .evaluate(() => document.getElementById('root') !== null)
        .catch(() => false);
      assert.equal(rendered, false, 'the tab did not render in a foreign frame');
    });
  });
});
