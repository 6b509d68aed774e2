import assert from 'node:assert/strict';
import { SIGNALS, type SignalName } from '../../core/engine';
import { SIGNAL_NAMES, signalLabels, signalThresholdsOf } from '../../core/results/signal-labels';
import { staleness } from '../../core/segments/segment-columns';
import type { AccountCard, Enrichment, RowPage } from '../../tab/web/src/api/types';
import { openPage, screenshot, type BrowserApp } from './browser-support';
import { waitFor, waitForFieldMessage, waitForText } from './page-helpers';
import { SCREENS, VARIANTS, show, startSeededApp } from './screen-fixture';

const ENRICHMENT = '/api/enrichments/sales-engagement';
const screen = (name: string) => SCREENS.find((s) => s.name === name) ?? assert.fail(name);

describe('admin tab: risk signals on the card, in the Customers list and in Settings', function () {
  this.timeout(240_000);
  let stack: BrowserApp;
  let enrichment: Enrichment;
  /** The signal most accounts show, its accounts, and the account showing the most signals. */
  let common: { signal: SignalName; total: number };
  let flagged: AccountCard;
  let calm: string;

  before(async () => {
    stack = await startSeededApp();
    enrichment = (await stack.app.api<Enrichment>('GET', ENRICHMENT)).body;
    const totals = await Promise.all(
      SIGNALS.map(async (signal) => ({
        signal,
        total: (await stack.app.api<RowPage>('GET', `${ENRICHMENT}/results/rows?signal=${signal}`)).body
          .total,
      })),
    );
    common = totals.reduce((a, b) => (b.total > a.total ? b : a));
    assert.ok(common.total > 0, 'some account shows a signal');
    const rows = (await stack.app.api<RowPage>('GET', `${ENRICHMENT}/results/rows?pageSize=100`)).body.rows;
    const cards = await Promise.all(
      rows.map(
        async (row) =>
          (await stack.app.api<AccountCard>('GET', `${ENRICHMENT}/accounts/${row.AccountId}`)).body,
      ),
    );
    flagged = cards.reduce((a, b) => (b.signals.length > a.signals.length ? b : a));
    calm = cards.find((card) => card.signals.length === 0)?.year.AccountId ?? assert.fail('a calm account');
  });
  after(() => stack?.close());

  it("shows an account's signals on its card with their meanings, and nothing for an account without", async () => {
    const { context, page } = await openPage(stack.browser);
    try {
      await show(page, stack.app.url, {
        ...screen('customer-card'),
        route: `customers/${flagged.year.AccountId}`,
      });
      const section = page.getByTestId('card-signals');
      const expected = signalLabels(flagged.signals, signalThresholdsOf(enrichment));
      for (const label of expected) {
        const item = section.getByTestId(`signal-${label.signal}`);
        assert.equal((await item.innerText()).replace(/\s+/g, ' ').trim(), `${label.name} ${label.meaning}`);
      }
      assert.equal(await section.locator('li').count(), expected.length);

      await show(page, stack.app.url, { ...screen('customer-card'), route: `customers/${calm}` });
      assert.equal(await page.getByTestId('card-signals').count(), 0);
    } finally {
      await context.close();
    }
  });

  it('filters the Customers list by signal, to exactly the accounts showing it', async () => {
    const { context, page } = await openPage(stack.browser);
    try {
      await show(page, stack.app.url, screen('customers'));
      await page.getByTestId('signal-filter').click();
      await page.getByRole('option', { name: SIGNAL_NAMES[common.signal] }).click();
      await waitForText(page, `${common.total} ${common.total === 1 ? 'customer' : 'customers'}`);
      const expected = (
        await stack.app.api<RowPage>('GET', `${ENRICHMENT}/results/rows?signal=${common.signal}&pageSize=20`)
      ).body.rows.map((r) => r.AccountName);
      const shown = await waitFor(async () => {
        const names = await page.locator('tbody tr td:first-child a').allInnerTexts();
        return names.length === expected.length ? names : undefined;
      }, 'the filtered rows');
      assert.deepEqual(shown, expected);
    } finally {
      await context.close();
    }
  });

  it("badges each Customers row with the account's signals (Stale by the stale mark), a calm account with none", async () => {
    const { context, page } = await openPage(stack.browser);
    try {
      const current = (await stack.app.api<Enrichment>('GET', ENRICHMENT)).body;
      const rows = (await stack.app.api<RowPage>('GET', `${ENRICHMENT}/results/rows?pageSize=20`)).body.rows;
      await show(page, stack.app.url, screen('customers'));
      const lines = page.getByRole('table', { name: 'Customers' }).locator('tbody tr');
      assert.equal(await lines.count(), rows.length);
      const seen = { badged: 0, marked: 0, calm: 0 };
      for (const [i, row] of rows.entries()) {
        const line = lines.nth(i);
        assert.equal(await line.getByRole('link').innerText(), row.AccountName);
        const marked = staleness(row, current.staleThresholdDays).stale;
        const expected = signalLabels(
          (row.Signals ?? []).filter((signal) => signal !== 'Stale' || !marked),
          signalThresholdsOf(current),
        );
        const badges = line.getByRole('list', { name: 'Risk signals' });
        // Each badge shows the signal's name; a screen reader hears what it means too.
        const shown = (await badges.count())
          ? await badges.getByRole('listitem').evaluateAll((items) =>
              items.map((item) => ({
                name: item.querySelector('[aria-hidden="true"]')?.textContent,
                said: item.querySelector('.visually-hidden')?.textContent,
              })),
            )
          : [];
        assert.deepEqual(
          shown,
          expected.map((label) => ({ name: label.name, said: `${label.name}: ${label.meaning}` })),
          row.AccountName,
        );
        assert.equal(await line.getByTestId('stale-mark').count(), marked ? 1 : 0, row.AccountName);
        if (expected.length) seen.badged += 1;
        if (marked) seen.marked += 1;
        if (!row.Signals?.length) seen.calm += 1;
      }
      assert.ok(
        seen.badged && seen.marked && seen.calm,
        `every kind of row on the page: ${JSON.stringify(seen)}`,
      );

      // The meaning shows on hover.
      const badge = lines.getByRole('listitem').first();
      const signal = (await badge.getByTestId(/^row-signal-/).getAttribute('data-testid'))?.slice(11);
      await badge.hover();
      const label = signalLabels([signal as SignalName], signalThresholdsOf(current))[0];
      await page.getByRole('tooltip', { name: label?.meaning ?? assert.fail(String(signal)) }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('saves the thresholds and which signals alert, naming a bad threshold at its field', async () => {
    const { context, page } = await openPage(stack.browser);
    try {
      await show(page, stack.app.url, screen('settings'));
      const section = page.getByTestId('signal-settings');
      const unanswered = section.getByRole('region', { name: 'Unanswered' });
      const emails = unanswered.getByRole('spinbutton', { name: 'Emails to them, at least' });
      await emails.fill('0');
      assert.match(await unanswered.innerText(), /Enter numbers|0 or more emails/);
      await page.getByRole('button', { name: 'Save settings' }).click();
      await waitForText(page, 'Not saved: see the fields below');
      await waitForFieldMessage(emails, '“Emails to them, at least” must be between 1 and 50');

      await emails.fill('4');
      await unanswered.getByText('4 or more emails to them in 30 days, no reply').waitFor();
      await section
        .getByRole('region', { name: 'Stale' })
        .getByRole('spinbutton', { name: 'Stale after (days)' })
        .fill('45');
      await section
        .getByRole('region', { name: 'Cooling' })
        .getByRole('checkbox', { name: 'Alert the owner in Teams' })
        .check();
      await page.getByRole('button', { name: 'Save settings' }).click();
      await waitForText(page, /Saved as version \d+/);
      const saved = (await stack.app.api<Enrichment>('GET', ENRICHMENT)).body;
      assert.deepEqual(saved.engagement.signals, {
        ...enrichment.engagement.signals,
        unansweredMinEmails: 4,
        alerts: ['Stale', 'Cooling'],
      });
      assert.equal(saved.staleThresholdDays, 45);
    } finally {
      await context.close();
    }
  });

  for (const variant of VARIANTS) {
    it(`looks right ${variant.name}: the card's signals, the row badges, the filter and the section fit the viewport`, async () => {
      const { context, page } = await openPage(stack.browser, variant);
      const fits = async (what: string) => {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${what}: ${overflow}px wider than the ${variant.width}px viewport`);
      };
      try {
        await show(page, stack.app.url, {
          ...screen('customer-card'),
          route: `customers/${flagged.year.AccountId}`,
        });
        const signals = page.getByTestId('card-signals');
        await signals.scrollIntoViewIfNeeded();
        await fits('card');
        await signals.screenshot({ path: `test-artifacts/card-signals-${variant.name}.png` });

        await show(page, stack.app.url, screen('customers'));
        // The row badges: none clipped, and each on one line.
        const badges = page.getByTestId(/^row-signal-/);
        assert.ok((await badges.count()) > 0, 'some row has a badge');
        const clipped = await badges.evaluateAll((all) =>
          all
            .filter((badge) => badge.scrollWidth > badge.clientWidth || badge.getClientRects().length !== 1)
            .map((badge) => badge.textContent),
        );
        assert.deepEqual(clipped, []);
        await fits('customers badges');
        await screenshot(page, `customers-signal-badges-${variant.name}`);

        await page.getByTestId('signal-filter').click();
        await page.getByRole('option', { name: SIGNAL_NAMES[common.signal] }).click();
        await waitForText(page, `${common.total} ${common.total === 1 ? 'customer' : 'customers'}`);
        await fits('customers');
        await screenshot(page, `customers-signal-filter-${variant.name}`);

        await show(page, stack.app.url, screen('settings'));
        const section = page.getByTestId('signal-settings');
        await section.scrollIntoViewIfNeeded();
        await fits('settings');
        await section.screenshot({ path: `test-artifacts/settings-signals-${variant.name}.png` });
      } finally {
        await context.close();
      }
    });
  }
});
