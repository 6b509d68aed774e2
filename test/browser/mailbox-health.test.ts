import assert from 'node:assert/strict';
import type { MailboxSummary, Run, TrackedPerson } from '../../tab/web/src/api/types';
import { openPage, screenshot, type BrowserApp } from './browser-support';
import { waitFor, waitForText } from './page-helpers';
import { SCREENS, VARIANTS, show, startSeededApp } from './screen-fixture';

const ENRICHMENT = '/api/enrichments/sales-engagement';
const OVERVIEW = SCREENS.find((s) => s.name === 'overview');
const MAILBOXES = { route: 'mailboxes', name: 'mailboxes', ready: 'Last run as of' };

describe('admin tab: mailbox health', function () {
  this.timeout(180_000);
  let stack: BrowserApp;
  let refused: TrackedPerson;
  let throttled: TrackedPerson;
  let tracked: number;

  before(async () => {
    stack = await startSeededApp();
    const { api } = stack.app;
    const people = (await api<{ users: TrackedPerson[] }>('GET', `${ENRICHMENT}/tracked-users`)).body.users;
    tracked = people.length;
    [refused, throttled] = people as [TrackedPerson, TrackedPerson];
    const { faults } = stack.app.stack.graph;
    faults.deny(refused.address);
    faults.add({ kind: 'throttle', retryAfterSeconds: 0, path: '/calendarView', mailbox: throttled.address });
    const started = await api<Run>('POST', `${ENRICHMENT}/runs`);
    assert.equal(started.status, 202);
    await waitFor(async () => {
      const summary = await api<MailboxSummary>('GET', `${ENRICHMENT}/mailboxes/summary`);
      return summary.body.lastRun?.runId === started.body.runId ? true : undefined;
    }, 'the run with a refused and a throttled mailbox');
    faults.reset();
  });
  after(() => stack?.close());

  it('lists every tracked mailbox with its problem, filters by problem, and says so on the Overview', async () => {
    assert.ok(OVERVIEW);
    const { context, page } = await openPage(stack.browser);
    try {
      await show(page, stack.app.url, OVERVIEW);
      const line = page.getByTestId('mailbox-health-line');
      await line.waitFor();
      assert.equal(
        (await line.innerText()).replace(/\s+/g, ' ').trim(),
        `${tracked - 2} of ${tracked} tracked mailboxes were read completely: 1 without permission, 1 throttled. Read them again`,
      );
      await line.getByRole('link', { name: 'Read them again' }).click();
      await waitForText(page, MAILBOXES.ready);

      const items = page.getByTestId('mailbox');
      await waitFor(async () => ((await items.count()) === tracked ? true : undefined), 'every mailbox');
      const item = (person: TrackedPerson) => items.filter({ hasText: person.address });
      assert.equal(await item(refused).getAttribute('data-status'), 'permission');
      assert.match(
        await item(refused).innerText(),
        /No permission[\s\S]*Last complete read[\s\S]*denied access/,
      );
      assert.equal(await item(throttled).getAttribute('data-status'), 'throttled');
      assert.match(await item(throttled).innerText(), /Throttled[\s\S]*kept throttling/);
      assert.equal(await page.locator('[data-testid="mailbox"][data-status="ok"]').count(), tracked - 2);

      await page.getByRole('link', { name: 'Throttled (1)' }).click();
      await waitFor(
        async () => ((await items.count()) === 1 ? true : undefined),
        'only the throttled mailbox',
      );
      assert.equal(await items.first().getAttribute('data-status'), 'throttled');
      assert.match(page.url(), /#\/mailboxes\?status=throttled$/);
    } finally {
      await context.close();
    }
  });

  for (const variant of VARIANTS) {
    it(`shows the screen and the Overview line in ${variant.name}`, async () => {
      assert.ok(OVERVIEW);
      const { context, page } = await openPage(stack.browser, variant);
      try {
        for (const screen of [MAILBOXES, OVERVIEW]) {
          await show(page, stack.app.url, screen);
          if (screen === OVERVIEW) await page.getByTestId('mailbox-health-line').scrollIntoViewIfNeeded();
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          assert.ok(
            overflow <= 0,
            `${screen.name} is ${overflow}px wider than the ${variant.width}px viewport`,
          );
          await screenshot(
            page,
            `${screen.name === 'overview' ? 'overview-mailbox-health' : 'mailboxes'}-${variant.name}`,
          );
        }
      } finally {
        await context.close();
      }
    });
  }

  it('reads only the two mailboxes again from the screen, then shows every mailbox read and the run in Runs', async () => {
    const { context, page } = await openPage(stack.browser);
    try {
      await show(page, stack.app.url, MAILBOXES);
      const reread = page.getByTestId('reread');
      await reread.waitFor();
      assert.equal(await reread.getAttribute('data-state'), 'available');
      assert.match(await reread.innerText(), /Only these mailboxes are read, as of the last run/);
      const logged = stack.app.stack.graph.requestLog.length;
      await page.getByRole('button', { name: 'Read the 2 mailboxes again' }).click();
      const summary = page.getByTestId('mailbox-summary');
      await waitFor(
        async () =>
          (await summary.innerText()).includes(`All ${tracked} tracked mailboxes were read completely.`) ||
          undefined,
        'every mailbox read after the re-read',
      );
      assert.equal(await reread.count(), 0, 'nothing left to read again');
      assert.equal(await page.locator('[data-testid="mailbox"][data-status="ok"]').count(), tracked);
      const users = new Set(
        stack.app.stack.graph.requestLog
          .slice(logged)
          .flatMap((e) => /^\/users\/([^/?]+)\/(?:mailFolders|calendarView|messages)/.exec(e.url)?.[1] ?? []),
      );
      assert.equal(users.size, 2, `only the two mailboxes were read: ${[...users].join(', ')}`);
      await screenshot(page, 'mailboxes-after-reread-light');

      await page.goto(`${stack.app.url}/#/runs`);
      await waitForText(page, 'Failed mailboxes read again by');
      await screenshot(page, 'runs-after-reread-light');
    } finally {
      await context.close();
    }
  });
});
