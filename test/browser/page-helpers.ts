import type { Locator, Page } from 'playwright-core';

/** Waits until `check` returns a value that is not undefined (polling; Playwright's own waits cover the DOM). */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The text that describes a control (its `aria-describedby`), which is where a Fluent Field puts its
 * validation message: what a screen reader reads for the control, so "the error is at the field".
 */
export async function describedText(control: Locator): Promise<string> {
  return control.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/** Waits until the control's description contains `text`, and returns it. */
export function waitForFieldMessage(control: Locator, text: string | RegExp): Promise<string> {
  return waitFor(
    async () => {
      const described = await describedText(control);
      return (typeof text === 'string' ? described.includes(text) : text.test(described))
        ? described
        : undefined;
    },
    `the field message ${String(text)}`,
  );
}

/** The page's visible text, whitespace collapsed. */
export async function pageText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

/** Waits until the main region's text contains `text`. */
export function waitForText(page: Page, text: string | RegExp): Promise<string> {
  return waitFor(
    async () => {
      const shown = await pageText(page);
      return (typeof text === 'string' ? shown.includes(text) : text.test(shown)) ? shown : undefined;
    },
    `the text ${String(text)}`,
  );
}

/** The wizard's current step title. */
export async function waitForStep(page: Page, title: string): Promise<void> {
  await page.locator('#wizard-step-title', { hasText: title }).waitFor();
}
