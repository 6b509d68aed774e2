import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestAppOptions } from '../support/test-app';
import { tempDir } from '../support/temp-dir';

export const ARTIFACTS_DIR = path.resolve('test-artifacts');

/** The base64 SHA-256 of a certificate's SubjectPublicKeyInfo, as Chromium's SPKI allow-list takes it. */
export function spkiHash(certificatePem: string): string {
  const key = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(key).digest('base64');
}

export interface BrowserApp {
  app: TestApp;
  browser: Browser;
  /** The stack's local certificate (the Graph simulator's and Cosmos DB's). */
  certificate: string;
  close(): Promise<void>;
}

/**
 * The real product on ephemeral ports and one headless Chromium that trusts only the stack's own
 * certificate (by its SPKI hash), never every certificate. Playwright gives every launch a fresh
 * temporary profile (it refuses a `--user-data-dir` argument).
 */
export async function startBrowserApp(
  overrides: Record<string, string> = {},
  options: Omit<TestAppOptions, 'dataDir'> = {},
): Promise<BrowserApp> {
  const data = tempDir('browser-stack');
  const app = await startTestApp({ LOCAL_DATA_DIR: data.path, ...overrides }, options);
  const certificate = readFileSync(path.join(data.path, 'tls', 'localhost.crt'), 'utf8');
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--ignore-certificate-errors-spki-list=${spkiHash(certificate)}`,
      ],
    });
  } catch (error) {
    await app.close();
    data.cleanup();
    throw error;
  }
  return {
    app,
    browser,
    certificate,
    async close() {
      await browser.close();
      await app.close();
      data.cleanup();
    },
  };
}

export interface PageOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
}

/** A fresh browser context (own storage) and page at the given viewport and colour scheme. */
export async function openPage(
  browser: Browser,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  return { context, page };
}

/** Saves a full-page screenshot to test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  // Grow the viewport to the whole page rather than stitching (Chromium without a GPU leaves
  // stitched full-page shots partly blank), then restore it.
  const viewport = page.viewportSize() ?? { width: 1280, height: 860 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  await page.screenshot({ path: file });
  await page.setViewportSize(viewport);
  return file;
}
