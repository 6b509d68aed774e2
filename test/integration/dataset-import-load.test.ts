import assert from 'node:assert/strict';
import { uploadsInProgress } from '../../server/dataset-upload-parser';
import { startTestApp, type TestApp } from '../support/test-app';

/** Accounts and contacts CSV of `accounts` accounts, three contacts each. */
function bigCsvUpload(accounts: number) {
  const accountLines = ['AccountId,Name,Website'];
  const contactLines = ['ContactId,AccountId,Email,Title'];
  for (let a = 0; a < accounts; a++) {
    accountLines.push(`A${a},Account ${a},account-${a}.example.com`);
    for (let c = 0; c < 3; c++) contactLines.push(`C${a}-${c},A${a},p${c}@account-${a}.example.com,Buyer`);
  }
  return {
    format: 'csv',
    accounts: { name: 'accounts.csv', text: `${accountLines.join('\n')}\n` },
    contacts: { name: 'contacts.csv', text: `${contactLines.join('\n')}\n` },
  };
}

const SMALL = {
  format: 'csv',
  accounts: { text: 'AccountId,Name\nA1,Contoso\n' },
  contacts: { text: 'ContactId,AccountId\nC1,A1\n' },
};

describe('dataset import under load', function () {
  let app: TestApp;
  let tenantId: string;

  before(async () => {
    app = await startTestApp();
    tenantId = app.stack.graph.tenant.tenant.id;
  });
  after(async () => {
    await app?.close();
  });

  async function untilUploading(): Promise<void> {
    while (uploadsInProgress(tenantId) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('answers other requests while a big import runs, and refuses a second import of the tenant meanwhile', async () => {
    const order: string[] = [];
    const big = app
      .api<{ accountCount: number }>('POST', '/api/datasets', { name: 'Big', upload: bigCsvUpload(60_000) })
      .then((answer) => {
        order.push('import');
        return answer;
      });
    await untilUploading();
    const health = await fetch(`${app.url}/api/health/live`);
    order.push('health');
    assert.equal(health.status, 200);

    const second = await app.api<{ error: { code: string; message: string } }>('POST', '/api/datasets', {
      name: 'Second',
      upload: SMALL,
    });
    order.push('second');
    assert.equal(second.status, 429, JSON.stringify(second.body));
    assert.equal(second.headers.get('retry-after'), '5');
    assert.equal(second.body.error.code, 'TooManyRequests');
    assert.match(second.body.error.message, /another dataset import is running .*try again in a moment/i);
    const preview = await app.api('POST', '/api/datasets/preview', { upload: SMALL });
    assert.equal(preview.status, 429, 'a preview waits for the running import too');

    const first = await big;
    assert.equal(first.status, 201, JSON.stringify(first.body).slice(0, 300));
    assert.equal(first.body.accountCount, 60_000);
    assert.deepEqual(order, ['health', 'second', 'import'], 'answered while the import was in progress');

    assert.equal(uploadsInProgress(tenantId), 0);
    const later = await app.api('POST', '/api/datasets', { name: 'Second', upload: SMALL });
    assert.equal(later.status, 201, 'the tenant imports again once the first import is done');
  });

  it('frees the slot of an import that fails', async () => {
    const bad = await app.api('POST', '/api/datasets', {
      name: 'Bad',
      upload: { ...SMALL, accounts: { text: 'AccountId;Name\n' } },
    });
    assert.equal(bad.status, 422);
    const malformed = await app.api('POST', '/api/datasets', { name: 'Bad', upload: { format: 'xml' } });
    assert.equal(malformed.status, 400);
    assert.equal(uploadsInProgress(tenantId), 0);
    assert.equal((await app.api('POST', '/api/datasets/preview', { upload: SMALL })).status, 200);
  });
});
