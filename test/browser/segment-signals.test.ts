import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { SIGNALS, type SignalName } from '../../core/engine';
import { SIGNAL_NAMES } from '../../core/results/signal-labels';
import type { MemberPage, RowPage, SegmentList, SegmentPreview } from '../../tab/web/src/api/types';
import { openPage, screenshot, type BrowserApp } from './browser-support';
import { waitFor, waitForFieldMessage, waitForText } from './page-helpers';
import { startSeededApp } from './screen-fixture';

const ENRICHMENT = '/api/enrichments/sales-engagement';
const NAME = 'Slipping, still in touch';

type Row = RowPage['rows'][number];
type SignalRule = { column: 'Signals'; operator: 'has' | 'hasNot'; value: SignalName };

const matches = (row: Row, rule: SignalRule) =>
  (row.Signals ?? []).includes(rule.value) === (rule.operator === 'has');

/** Picks an option of a dropdown by its exact name ("include" is part of "do not include"). */
async function choose(dropdown: Locator, option: string): Promise<void> {
  await dropdown.click();
  await dropdown.page().getByRole('option', { name: option, exact: true }).click();
  await waitFor(async () => ((await dropdown.innerText()) === option ? true : undefined), `${option} chosen`);
}

async function waitForLiveCount(page: Page, members: number, accounts: number): Promise<void> {
  const expected = `${members} of ${accounts} accounts match`;
  await waitFor(async () => {
    const shown = (await page.getByTestId('segment-live-count').innerText()).replace(/\s+/g, ' ');
    return shown === expected ? true : undefined;
  }, `the live count "${expected}"`);
}

/** The account names a rows table shows, on every page. */
async function namesOnEveryPage(page: Page, caption: string): Promise<string[]> {
  const names: string[] = [];
  const table = page.getByRole('table', { name: caption });
  const next = page.getByRole('navigation', { name: `${caption} pages` }).getByRole('button', {
    name: 'Next page',
  });
  for (;;) {
    await table.locator('tbody tr').first().waitFor();
    const shown = await table.locator('tbody tr td:first-child a').allInnerTexts();
    names.push(...shown);
    if (await next.isDisabled()) return names;
    await next.click();
    await waitFor(
      async () =>
        (await table.locator('tbody tr td:first-child a').first().innerText()) !== shown[0]
          ? true
          : undefined,
      'the next page of members',
    );
  }
}

describe('admin tab: a segment on risk signals, built in the rule editor', function () {
  this.timeout(240_000);
  let stack: BrowserApp;
  let rows: Row[];
  /** The signal shown by the most accounts that are not stale. */
  let signal: SignalName;

  before(async () => {
    stack = await startSeededApp();
    rows = [];
    let next: string | undefined;
    do {
      const page = (
        await stack.app.api<RowPage>(
          'GET',
          `${ENRICHMENT}/results/rows?pageSize=100${next ? `&page=${encodeURIComponent(next)}` : ''}`,
        )
      ).body;
      rows.push(...page.rows);
      next = page.nextPage;
    } while (next);
    const lively = rows.filter((row) => !row.Signals?.includes('Stale'));
    const showing = (s: SignalName) => lively.filter((row) => row.Signals?.includes(s)).length;
    signal = SIGNALS.filter((s) => s !== 'Stale').reduce((a, b) => (showing(b) > showing(a) ? b : a));
    assert.ok(showing(signal) > 0, 'an account that is not stale shows a signal');
    assert.ok(lively.length > showing(signal), 'some account that is not stale does not show it');
  });
  after(() => stack?.close());

  it('keeps the accounts with a signal and without Stale: the live count, the saved rules and the members agree with the rows', async () => {
    const notStale: SignalRule = { column: 'Signals', operator: 'hasNot', value: 'Stale' };
    const showing: SignalRule = { column: 'Signals', operator: 'has', value: signal };
    const members = (rules: SignalRule[]) => rows.filter((row) => rules.every((rule) => matches(row, rule)));
    const expected = members([notStale, showing]);

    const { context, page } = await openPage(stack.browser);
    try {
      await page.goto(`${stack.app.url}/tab/#/segments?new=1`);
      await waitForText(page, 'accounts match');
      const conditions = page.getByRole('group', { name: /^Condition on / });

      // Risk signals as the column: the value is a signal to choose, asked for at the field until it is.
      const first = conditions.nth(0);
      await choose(first.getByRole('combobox', { name: 'Column' }), 'Risk signals');
      const firstValue = first.getByRole('combobox', { name: 'Value' });
      await waitForFieldMessage(firstValue, 'Choose the risk signal members must show.');
      await waitForText(page, 'No count while a condition is incomplete');
      await choose(first.getByRole('combobox', { name: 'Operator' }), 'do not include');
      await waitForFieldMessage(firstValue, 'Choose the risk signal members must not show.');
      await choose(firstValue, SIGNAL_NAMES.Stale);
      await waitForLiveCount(page, members([notStale]).length, rows.length);

      await page.getByRole('button', { name: 'Add a condition' }).click();
      const second = conditions.nth(1);
      await choose(second.getByRole('combobox', { name: 'Column' }), 'Risk signals');
      assert.equal(await second.getByRole('combobox', { name: 'Operator' }).innerText(), 'include');
      await choose(second.getByRole('combobox', { name: 'Value' }), SIGNAL_NAMES[signal]);
      await waitForLiveCount(page, expected.length, rows.length);
      const preview = await stack.app.api<SegmentPreview>('POST', `${ENRICHMENT}/segments/preview`, {
        rules: { combinator: 'and', rules: [notStale, showing] },
      });
      assert.equal(preview.body.members, expected.length);

      await page.getByRole('textbox', { name: 'Name' }).fill(NAME);
      await screenshot(page, 'segment-builder-signals-light-wide');
      await page.getByRole('button', { name: 'Save segment' }).click();
      await page.waitForURL(/#\/segments\?segment=/);

      const saved = (await stack.app.api<SegmentList>('GET', `${ENRICHMENT}/segments`)).body.segments.find(
        (s) => s.name === NAME,
      );
      assert.ok(saved, 'the segment is saved');
      assert.deepEqual(saved.rules, { combinator: 'and', rules: [notStale, showing] });
      assert.equal(saved.members, expected.length);

      // Its members, by the API and on the screen, are exactly the rows that match.
      const api = await stack.app.api<MemberPage>(
        'GET',
        `${ENRICHMENT}/segments/${encodeURIComponent(saved.segmentId)}/members?sort=AccountId&order=asc&pageSize=100`,
      );
      assert.deepEqual(
        api.body.rows.map((row) => row.AccountId),
        expected.map((row) => row.AccountId).sort(),
      );
      const card = page.getByTestId(`segment-${saved.segmentId}`);
      assert.equal(await card.getByTestId('segment-members').innerText(), String(expected.length));
      assert.match(
        await card.innerText(),
        new RegExp(`Risk signals do not include Stale and Risk signals include ${SIGNAL_NAMES[signal]}`),
      );
      await waitForText(page, `${expected.length} ${expected.length === 1 ? 'member' : 'members'}`);
      assert.deepEqual(
        (await namesOnEveryPage(page, `Members of ${NAME}`)).sort(),
        expected.map((row) => row.AccountName).sort(),
      );
      await screenshot(page, 'segment-signals-members-light-wide');

      // Edited again, the editor shows the conditions as they were built.
      await page.getByRole('link', { name: 'Edit' }).click();
      await waitForText(page, `Edit “${NAME}”`);
      const shown = async (condition: Locator) =>
        Promise.all(
          ['Column', 'Operator', 'Value'].map((name) =>
            condition.getByRole('combobox', { name }).innerText(),
          ),
        );
      assert.deepEqual(await shown(conditions.nth(0)), [
        'Risk signals',
        'do not include',
        SIGNAL_NAMES.Stale,
      ]);
      assert.deepEqual(await shown(conditions.nth(1)), ['Risk signals', 'include', SIGNAL_NAMES[signal]]);
      await waitForLiveCount(page, expected.length, rows.length);
    } finally {
      await context.close();
    }
  });
});
