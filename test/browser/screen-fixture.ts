import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ScheduleInfo } from '../../tab/web/src/api/types';
import { generateTenant, type SentMail } from '../../local/graph-simulator';
import { validEnrichment } from '../support/configuration';
import type { TestAppOptions } from '../support/test-app';
import { openPage, screenshot, startBrowserApp, type BrowserApp, type PageOptions } from './browser-support';
import { waitFor, waitForText } from './page-helpers';

const ENRICHMENT = '/api/enrichments/sales-engagement';
export const tenant = generateTenant({
  seed: 7,
  sellers: 8,
  accounts: 40,
  internalUsers: 6,
  messagesPerMailbox: 120,
});

/** Every screen, by its hash route, with text that shows it has loaded. */
export const SCREENS: { route: string; name: string; ready: string | RegExp; chart?: string }[] = [
  { route: 'overview', name: 'overview', ready: 'Prerequisites' },
  { route: 'setup?new=1', name: 'setup-wizard', ready: 'Who to track' },
  { route: 'setup', name: 'setup', ready: 'Edit the configuration' },
  { route: 'consent', name: 'consent', ready: /Granted on/ },
  { route: 'runs', name: 'runs', ready: 'The run succeeded' },
  { route: 'results', name: 'results', ready: 'Enriched customers over time', chart: 'enriched-chart' },
  { route: 'results?view=entity', name: 'results-entity', ready: 'AverageDuration_Of_Meetings' },
  { route: 'customers', name: 'customers', ready: /1–20 of/ },
  { route: 'customers/AC-00001', name: 'customer-card', ready: 'Email history', chart: 'card-meeting-chart' },
  { route: 'segments', name: 'segments', ready: 'Stale accounts: members' },
  { route: 'segments?new=1', name: 'segment-builder', ready: 'accounts match' },
  { route: 'alerts', name: 'alerts-none', ready: 'No alerts yet' },
  { route: 'settings', name: 'settings', ready: 'Revoke consent' },
];

export type Variant = PageOptions & { name: string };

export const VARIANTS: Variant[] = [
  { name: 'light-wide', colorScheme: 'light', width: 1280, height: 860 },
  { name: 'dark-wide', colorScheme: 'dark', width: 1280, height: 860 },
  { name: 'light-narrow', colorScheme: 'light', width: 320, height: 720 },
  { name: 'dark-narrow', colorScheme: 'dark', width: 320, height: 720 },
];

export async function show(page: Page, url: string, screen: (typeof SCREENS)[number]) {
  await page.goto(`${url}/tab/#/${screen.route}`);
  await waitForText(page, screen.ready);
  // Everything loaded: no spinner left (tables and figures load after the page's title and cards).
  await waitFor(
    async () => ((await page.locator('.fui-Spinner').count()) === 0 ? true : undefined),
    `${screen.name} to finish loading`,
  );
  // Charts draw once their container is measured.
  if (screen.chart) await page.getByTestId(screen.chart).locator('svg').first().waitFor();
}

/** The product with an enrichment that has consent, one successful run and a saved segment. */
export async function startSeededApp(
  options: Pick<TestAppOptions, 'now' | 'bot' | 'tenant'> = {},
): Promise<BrowserApp> {
  const stack = await startBrowserApp({}, { tenant, ...options });
  try {
    const { api } = stack.app;
    assert.equal((await api('POST', '/api/enrichments', validEnrichment())).status, 201);
    // Consent through the stand-in admin-consent page, in the browser that trusts the stack's certificate.
    const mail: SentMail | undefined = stack.app.stack.graph.sentMail.at(-1);
    const link = /href="([^"]+)"/.exec((mail?.message.body as { content?: string }).content ?? '')?.[1] ?? '';
    const { context, page } = await openPage(stack.browser);
    await page.goto(link.replaceAll('&amp;', '&'));
    // The stand-in page may ask first, as the identity platform does: Accept.
    const accept = page.getByRole('button', { name: 'Accept' });
    if (await accept.count()) await accept.click();
    await page.locator('h1', { hasText: 'Consent granted' }).waitFor();
    await context.close();
    assert.equal((await api('POST', `${ENRICHMENT}/runs`)).status, 202);
    await waitFor(async () => {
      const schedule = await api<ScheduleInfo>('GET', `${ENRICHMENT}/schedule`);
      return schedule.body.lastRun?.status === 'succeeded' ? true : undefined;
    }, 'the first run');
    const segment = await api('POST', `${ENRICHMENT}/segments`, {
      name: 'Quiet by email',
      rules: { combinator: 'and', rules: [{ column: 'DaysSinceLastEmail', operator: 'gt', value: 30 }] },
    });
    assert.equal(segment.status, 201);
    return stack;
  } catch (error) {
    await stack.close();
    throw error;
  }
}

/** Renders every screen in one variant; answers what went wrong, if anything. */
export async function renderAll(stack: BrowserApp, variant: Variant): Promise<void> {
  const { context, page } = await openPage(stack.browser, variant);
  try {
    for (const screen of SCREENS) {
      await show(page, stack.app.url, screen);
      // One main landmark with a title; nothing wider than the viewport (a Teams side panel is ~320 px).
      assert.equal(await page.getByRole('main').count(), 1);
      assert.ok((await page.locator('h1#page-title').innerText()).length > 0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${screen.name} is ${overflow}px wider than the ${variant.width}px viewport`);
      await screenshot(page, `${screen.name}-${variant.name}`);
    }
    const background = await page.evaluate(
      () =>
        getComputedStyle(document.querySelector('main')?.parentElement?.parentElement ?? document.body)
          .backgroundColor,
    );
    const [r = 0, g = 0, b = 0] = (background.match(/\d+/g) ?? []).map(Number);
    assert.equal(
      (r + g + b) / 3 < 100,
      variant.colorScheme === 'dark',
      `${variant.name}: background ${background}`,
    );
    if (variant.width === 320) {
      await page.getByRole('button', { name: 'Open navigation' }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Results' }).click();
      await waitForText(page, 'Enriched customers over time');
    }
  } finally {
    await context.close();
  }
}
