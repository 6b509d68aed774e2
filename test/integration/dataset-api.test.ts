import assert from 'node:assert/strict';
import { Items } from '@azure/cosmos';
import sinon from 'sinon';
import { loadDataset, type DatasetSummary } from '../../core/datasets/dataset-library';
import { ensureContainers, type Containers } from '../../core/store/containers';
import { ABANDONED_IMPORT_MS } from '../../core/store/dataset-repository';
import { validEnrichment } from '../support/configuration';
import { startTestApp, type TestApp } from '../support/test-app';

interface ApiError {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

const ACCOUNTS =
  'AccountId,Name,Website,Owner\nA1,Contoso,contoso.com,ana@fabrikam.com\nA2,Litware,litware.com,ana@fabrikam.com\n';
const CONTACTS =
  'ContactId,AccountId,Mail,Title\nC1,A1,kim@contoso.com,CTO\nC2,A2,lee@litware.com,\nC3,A1,max@contoso.com,CFO\n';

const csvUpload = (accounts: string, contacts: string) => ({
  format: 'csv',
  accounts: { name: 'accounts.csv', text: accounts },
  contacts: { name: 'contacts.csv', text: contacts },
});

function problems(body: unknown): string[] {
  return ((body as ApiError).error.fields ?? []).map((f) => `${f.field}: ${f.message}`);
}

describe('dataset API', function () {
  let app: TestApp;
  let containers: Containers;
  let tenantId: string;

  /** Every stored document of the tenant's datasets container, as `type:datasetId`. */
  async function storedDocuments(): Promise<string[]> {
    const { resources } = await containers.datasets.items
      .query<{ type: string; datasetId: string }>('SELECT c.type, c.datasetId FROM c', {
        partitionKey: tenantId,
      })
      .fetchAll();
    return resources.map((d) => `${d.type}:${d.datasetId}`).sort();
  }

  before(async () => {
    app = await startTestApp();
    containers = await ensureContainers(app.stack.cosmos.client, 'engagement');
    tenantId = app.stack.graph.tenant.tenant.id;
  });
  after(async () => {
    sinon.restore();
    await app?.close();
  });
  afterEach(() => sinon.restore());

  it('has the demo customers preloaded, whole', async () => {
    const list = await app.api<{ datasets: DatasetSummary[] }>('GET', '/api/datasets');
    assert.equal(list.status, 200);
    const demo = list.body.datasets.find((d) => d.datasetId === 'demo');
    assert.ok(demo);
    assert.equal(demo.name, 'Demo customers');
    assert.equal(demo.importedBy, null);
    const customers = await loadDataset(containers, tenantId, 'demo');
    assert.ok(customers);
    const generated = (await import('../../local/graph-simulator')).demoTenant({ seed: 42 }).customers;
    assert.equal(demo.accountCount, generated.accounts.length);
    assert.equal(demo.contactCount, generated.contacts.length);
    assert.deepEqual(customers.accounts, generated.accounts);
    assert.deepEqual(customers.contacts, generated.contacts);
    assert.deepEqual(demo.suggestedMapping, {
      emailField: 'Email',
      domainField: 'Domain',
      ownerField: 'OwnerEmail',
    });
  });

  it('previews an upload: columns, sample values, a suggested mapping; nothing stored', async () => {
    const before = await storedDocuments();
    const answer = await app.api<DatasetSummary>('POST', '/api/datasets/preview', {
      upload: csvUpload(ACCOUNTS, CONTACTS),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.accountCount, 2);
    assert.equal(answer.body.contactCount, 3);
    assert.deepEqual(
      answer.body.columns.contacts.find((c) => c.name === 'Mail'),
      {
        name: 'Mail',
        samples: ['kim@contoso.com', 'lee@litware.com', 'max@contoso.com'],
        filled: 3,
      },
    );
    assert.deepEqual(answer.body.columns.contacts.find((c) => c.name === 'Title')?.filled, 2);
    assert.deepEqual(answer.body.suggestedMapping, {
      emailField: 'Mail',
      domainField: 'Website',
      ownerField: 'Owner',
    });
    assert.deepEqual(await storedDocuments(), before);
  });

  it('imports CSV and JSON datasets that read back exactly', async () => {
    const csv = await app.api<DatasetSummary>('POST', '/api/datasets', {
      name: 'Key accounts',
      upload: csvUpload(ACCOUNTS, CONTACTS),
    });
    assert.equal(csv.status, 201, JSON.stringify(csv.body));
    assert.equal(csv.body.datasetId, 'key-accounts');
    assert.equal(csv.body.format, 'csv');
    assert.deepEqual(csv.body.files, ['accounts.csv', 'contacts.csv']);
    assert.equal(csv.body.importedBy?.email, 'admin@fabrikam.com');
    const stored = await loadDataset(containers, tenantId, 'key-accounts');
    assert.deepEqual(stored?.contacts[1], {
      ContactId: 'C2',
      AccountId: 'A2',
      Mail: 'lee@litware.com',
      Title: '',
    });

    const dataset = {
      accounts: [{ AccountId: 'X1', Name: 'Fourth Coffee', Employees: 40 }],
      contacts: [{ ContactId: 'Y1', AccountId: 'X1', Email: 'jo@fourthcoffee.com', Vip: true }],
    };
    const json = await app.api<DatasetSummary>('POST', '/api/datasets', {
      name: 'Coffee',
      datasetId: 'coffee-2026',
      upload: { format: 'json', file: { name: 'coffee.json', text: JSON.stringify(dataset) } },
    });
    assert.equal(json.status, 201, JSON.stringify(json.body));
    assert.deepEqual(await loadDataset(containers, tenantId, 'coffee-2026'), {
      accounts: [{ AccountId: 'X1', Name: 'Fourth Coffee', Employees: '40' }],
      contacts: [{ ContactId: 'Y1', AccountId: 'X1', Email: 'jo@fourthcoffee.com', Vip: 'true' }],
    });
    const read = await app.api<DatasetSummary>('GET', '/api/datasets/coffee-2026');
    assert.deepEqual(read.body, json.body);
    assert.equal((await app.api('GET', '/api/datasets/nothing')).status, 404);
  });

  it('refuses every kind of bad file, naming the file and row, and stores nothing', async () => {
    const before = await storedDocuments();
    const cases: [what: string, upload: unknown, expected: RegExp[]][] = [
      [
        'wrong delimiter',
        csvUpload('AccountId;Name\nA1;Contoso\n', CONTACTS),
        [/^accounts: accounts\.csv does not use commas: its header is "AccountId;Name"/],
      ],
      [
        'missing header',
        csvUpload('A1,Contoso\nA2,Litware\n', CONTACTS),
        [
          /^accounts: accounts\.csv has no "AccountId", "Name" column in its header row \(found: A1, Contoso\)/,
        ],
      ],
      [
        'duplicate ids',
        csvUpload(
          'AccountId,Name\nA1,Contoso\nA2,Litware\nA1,Contoso again\n',
          'ContactId,AccountId\nC1,A1\nC1,A2\n',
        ),
        [
          /^accounts: accounts\.csv line 4: AccountId "A1" appears more than once \(first at accounts\.csv line 2\)$/,
          /^contacts: contacts\.csv line 3: ContactId "C1" appears more than once \(first at contacts\.csv line 2\)$/,
        ],
      ],
      [
        'contacts of unknown accounts',
        csvUpload(ACCOUNTS, 'ContactId,AccountId,Mail\nC1,A1,kim@contoso.com\nC2,A9,x@fabrikam.com\n'),
        [
          /^contacts: contacts\.csv line 3: contact "C2" belongs to AccountId "A9", which is not an account of the dataset$/,
        ],
      ],
      ['empty file', csvUpload('', CONTACTS), [/^accounts: accounts\.csv is empty: it needs a header row$/]],
      [
        'no accounts',
        csvUpload('AccountId,Name\n', CONTACTS),
        [/^accounts: accounts\.csv has a header row but no accounts$/],
      ],
      [
        'uneven rows',
        csvUpload('AccountId,Name\nA1,Contoso,extra\n', CONTACTS),
        [/^accounts: accounts\.csv is not valid CSV: .*line 2/],
      ],
      [
        'malformed JSON',
        { format: 'json', file: { name: 'customers.json', text: '{"accounts": [' } },
        [/^file: customers\.json is not valid JSON/],
      ],
      [
        'JSON of the wrong shape',
        { format: 'json', file: { name: 'customers.json', text: '{"accounts": {}}' } },
        [/^file: customers\.json: accounts must be an array of account objects/],
      ],
    ];
    for (const [what, upload, expected] of cases) {
      const answer = await app.api('POST', '/api/datasets', { name: `Bad ${what}`, upload });
      assert.equal(answer.status, 422, `${what}: ${JSON.stringify(answer.body)}`);
      const found = problems(answer.body);
      assert.equal(found.length, expected.length, `${what}: ${found.join(' | ')}`);
      expected.forEach((pattern, i) => assert.match(found[i] ?? '', pattern, what));
      assert.match((answer.body as ApiError).error.message, /^The dataset cannot be imported: /);
    }
    assert.deepEqual(await storedDocuments(), before, 'nothing was stored');
  });

  it('answers malformed requests with 400 and uploads over 25 MB with 413, accepting what lies between', async () => {
    const malformed = await app.api('POST', '/api/datasets', {
      name: 'X',
      upload: { format: 'xml', file: {} },
    });
    assert.equal(malformed.status, 400);
    assert.match(problems(malformed.body).join(' '), /format must be "csv" .* or "json"/);

    const big = await app.api<ApiError>('POST', '/api/datasets', {
      name: 'Huge',
      upload: { format: 'json', file: { text: 'x'.repeat(26 * 1024 * 1024) } },
    });
    assert.equal(big.status, 413);
    assert.match(big.body.error.message, /larger than the 25 MB this request accepts/);

    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `A${i},Account number ${i} with a longer name`,
    ).join('\n');
    const large = await app.api<DatasetSummary>('POST', '/api/datasets', {
      name: 'Many accounts',
      upload: csvUpload(`AccountId,Name\n${rows}\n`, 'ContactId,AccountId\n'),
    });
    assert.equal(large.status, 201, JSON.stringify(large.body).slice(0, 300));
    assert.equal(large.body.accountCount, 40_000);
    assert.equal((await loadDataset(containers, tenantId, 'many-accounts'))?.accounts.length, 40_000);
  });

  it('replaces a dataset in one step and removes the records it replaced', async () => {
    const duplicate = await app.api('POST', '/api/datasets', {
      name: 'Key accounts',
      upload: csvUpload(ACCOUNTS, CONTACTS),
    });
    assert.equal(duplicate.status, 409);
    const replaced = await app.api<DatasetSummary>('PUT', '/api/datasets/key-accounts', {
      name: 'Key accounts (2027)',
      upload: csvUpload(
        'AccountId,Name\nB1,Northwind\n',
        'ContactId,AccountId,Mail\nD1,B1,ann@northwind.com\n',
      ),
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(replaced.body.name, 'Key accounts (2027)');
    assert.deepEqual(await loadDataset(containers, tenantId, 'key-accounts'), {
      accounts: [{ AccountId: 'B1', Name: 'Northwind' }],
      contacts: [{ ContactId: 'D1', AccountId: 'B1', Mail: 'ann@northwind.com' }],
    });
    const chunks = (await storedDocuments()).filter((d) => d === 'dataset-chunk:key-accounts');
    assert.equal(chunks.length, 2, 'one accounts chunk and one contacts chunk, nothing of the old import');
  });

  it('leaves nothing behind when storing fails halfway', async () => {
    const before = await storedDocuments();
    const realCreate = Items.prototype.create;
    // The accounts chunk is written, the contacts chunk too, then the connection fails before the
    // dataset is made visible.
    const create = sinon.stub(Items.prototype, 'create').callThrough();
    create.onSecondCall().callsFake(async function (this: Items, ...args: Parameters<Items['create']>) {
      await realCreate.apply(this, args);
      throw new Error('connection reset');
    });
    const answer = await app.api('POST', '/api/datasets', {
      name: 'Interrupted',
      upload: csvUpload(ACCOUNTS, CONTACTS),
    });
    sinon.restore();
    assert.equal(answer.status, 500);
    assert.deepEqual(await storedDocuments(), before);
    assert.equal((await app.api('GET', '/api/datasets/interrupted')).status, 404);
    const retry = await app.api('POST', '/api/datasets', {
      name: 'Interrupted',
      upload: csvUpload(ACCOUNTS, CONTACTS),
    });
    assert.equal(retry.status, 201);
  });

  it("removes an abandoned import's records, but not an import still being written", async () => {
    const orphan = (id: string, writtenAt: number) => ({
      id,
      tenantId,
      type: 'dataset-chunk',
      datasetId: 'ghost',
      importId: id,
      part: 'accounts',
      seq: 0,
      writtenAt,
      records: [{ AccountId: 'G1', Name: 'Ghost' }],
    });
    await containers.datasets.items.create(orphan('abandoned', Date.now() - ABANDONED_IMPORT_MS - 60_000));
    await containers.datasets.items.create(orphan('in-progress', Date.now()));
    const answer = await app.api('POST', '/api/datasets', {
      name: 'Sweeper',
      upload: csvUpload(ACCOUNTS, CONTACTS),
    });
    assert.equal(answer.status, 201);
    const ids = (
      await containers.datasets.items
        .query<{ id: string }>('SELECT c.id FROM c WHERE c.datasetId = "ghost"', { partitionKey: tenantId })
        .fetchAll()
    ).resources.map((r) => r.id);
    assert.deepEqual(ids, ['in-progress']);
  });

  it('deletes a dataset no enrichment uses, and names the enrichments that use one', async () => {
    const created = await app.api(
      'POST',
      '/api/enrichments',
      validEnrichment({ name: 'Coffee watch', datasetId: 'coffee-2026', mapping: { emailField: 'Email' } }),
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const inUse = await app.api<ApiError>('DELETE', '/api/datasets/coffee-2026');
    assert.equal(inUse.status, 409);
    assert.match(inUse.body.error.message, /used by "Coffee watch"/);

    assert.equal((await app.api('DELETE', '/api/datasets/key-accounts')).status, 204);
    assert.equal((await app.api('GET', '/api/datasets/key-accounts')).status, 404);
    assert.equal(await loadDataset(containers, tenantId, 'key-accounts'), undefined);
    assert.ok(!(await storedDocuments()).some((d) => d.endsWith(':key-accounts')), 'its records are gone');
    assert.equal((await app.api('DELETE', '/api/datasets/key-accounts')).status, 404);
  });
});
