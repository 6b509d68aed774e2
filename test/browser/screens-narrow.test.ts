import assert from 'node:assert/strict';
import type { BrowserApp } from './browser-support';
import { VARIANTS, renderAll, startSeededApp } from './screen-fixture';

describe('admin tab: every screen in a 320 px side panel', function () {
  let stack: BrowserApp;

  before(async () => {
    stack = await startSeededApp();
  });

  after(async () => {
    await stack?.close();
  });

  it('renders every screen light and dark', async () => {
    // The two colour schemes are independent browser contexts: rendered side by side.
    const outcomes = await Promise.allSettled(
      VARIANTS.filter((v) => v.width === 320).map((variant) => renderAll(stack, variant)),
    );
    assert.deepEqual(
      outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : [])),
      [],
    );
  });
});
