import assert from 'node:assert/strict';
import {
  checkMapping,
  DatasetError,
  datasetColumns,
  mappingProblems,
  parseDatasetCsvPair,
  parseDatasetJson,
  readDatasetCsv,
} from '../../core/datasets/customer-dataset';
import { previewDataset, SAMPLE_VALUES, suggestMapping } from '../../core/datasets/dataset-preview';
import { readUpload, type DatasetUpload } from '../../core/datasets/dataset-upload';
import { slugOf } from '../../core/config/slug';

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    return error.problems.map((p) => `${p.part}: ${p.message}`);
  }
  assert.fail('expected the dataset to be refused');
}

const csv = (accounts: string, contacts: string, names = true): DatasetUpload => ({
  format: 'csv',
  accounts: { ...(names ? { name: 'accounts.csv' } : {}), text: accounts },
  contacts: { ...(names ? { name: 'contacts.csv' } : {}), text: contacts },
});

const ACCOUNTS =
  'AccountId,Name,Domain,OwnerEmail\nA1,Contoso,contoso.com,ana@fabrikam.com\nA2,Litware,litware.com,ben@fabrikam.com\n';
const CONTACTS =
  'ContactId,AccountId,Email\nC1,A1,kim@contoso.com\nC2,A2,lee@litware.com\nC3,A1,max@contoso.com\n';

describe('customer datasets', () => {
  describe('CSV files', () => {
    it('keeps the line each record starts on, skipping empty lines', () => {
      const read = readDatasetCsv('AccountId,Name\nA1,Contoso\n\nA2,Litware\n', 'a.csv', ['AccountId']);
      assert.deepEqual(read.records, [
        { AccountId: 'A1', Name: 'Contoso' },
        { AccountId: 'A2', Name: 'Litware' },
      ]);
      assert.deepEqual(read.lines, [2, 4]);
    });

    it('stores names without NUL, stray controls or bidi overrides, in CSV and in JSON', () => {
      const reversed = 'Contoso \u202Eevil.exe\u202C Ltd\u0000';
      const fromCsv = readDatasetCsv(`AccountId,Name\nA1,"${reversed}"\n`, 'a.csv', ['AccountId']);
      assert.deepEqual(fromCsv.records, [{ AccountId: 'A1', Name: 'Contoso evil.exe Ltd' }]);
      const fromJson = parseDatasetJson(
        JSON.stringify({
          accounts: [{ AccountId: 'A1', Name: reversed }],
          contacts: [{ ContactId: 'C1', AccountId: 'A1', Email: 'kim@contoso.com\u2066' }],
        }),
      );
      assert.equal(fromJson.accounts[0]?.Name, 'Contoso evil.exe Ltd');
      assert.equal(fromJson.contacts[0]?.Email, 'kim@contoso.com');
    });

    it('explains a file that is not comma-separated, lacks its header, or repeats a column', () => {
      assert.deepEqual(
        problems(() => readDatasetCsv('AccountId;Name\nA1;Contoso\n', 'a.csv', ['AccountId'])),
        ['file: a.csv does not use commas: its header is "AccountId;Name"; save it as comma-separated'],
      );
      assert.match(
        problems(() => readDatasetCsv('A1,Contoso\nA2,Litware\n', 'a.csv', ['AccountId', 'Name']))[0] ?? '',
        /a\.csv has no "AccountId", "Name" column in its header row \(found: A1, Contoso\); the first row must name the columns/,
      );
      assert.deepEqual(
        problems(() => readDatasetCsv('AccountId,Name,Name\n', 'a.csv', [])),
        ['file: a.csv names the column "Name" more than once in its header row'],
      );
      assert.deepEqual(
        problems(() => readDatasetCsv('  \n', 'a.csv', [])),
        ['file: a.csv is empty: it needs a header row'],
      );
    });

    it('keeps the command line behaviour: the first problem as the message', () => {
      assert.throws(
        () => parseDatasetCsvPair(ACCOUNTS, 'ContactId,AccountId,Email\nC1,A9,x@y.com\n'),
        /customer dataset contact 1: contact "C1" belongs to AccountId "A9", which is not an account of the dataset/,
      );
      assert.equal(parseDatasetCsvPair(ACCOUNTS, CONTACTS).contacts.length, 3);
    });
  });

  describe('uploads', () => {
    it('reads CSV and JSON uploads', () => {
      const fromCsv = readUpload(csv(ACCOUNTS, CONTACTS));
      assert.equal(fromCsv.accounts.length, 2);
      assert.equal(fromCsv.contacts[2]?.Email, 'max@contoso.com');
      const fromJson = readUpload({ format: 'json', file: { text: JSON.stringify(fromCsv) } });
      assert.deepEqual(fromJson, fromCsv);
    });

    it('reports every problem of both files at once, each naming its file and line', () => {
      const found = problems(() =>
        readUpload(
          csv(
            'AccountId,Name\nA1,Contoso\nA2,\nA1,Again\n,Nameless\n',
            'ContactId,AccountId,Email\nC1,A1,kim@contoso.com\nC1,A2,lee@litware.com\nC2,A7,x@y.com\n',
          ),
        ),
      );
      assert.deepEqual(found, [
        'accounts: accounts.csv line 3: account "A2" has no Name',
        'accounts: accounts.csv line 4: AccountId "A1" appears more than once (first at accounts.csv line 2)',
        'accounts: accounts.csv line 5: the account has no AccountId',
        'contacts: contacts.csv line 3: ContactId "C1" appears more than once (first at contacts.csv line 2)',
        'contacts: contacts.csv line 4: contact "C2" belongs to AccountId "A7", which is not an account of the dataset',
      ]);
    });

    it('reports file-level problems of both files together', () => {
      const found = problems(() => readUpload(csv('AccountId;Name\nA1;X\n', '')));
      assert.deepEqual(found, [
        'accounts: accounts.csv does not use commas: its header is "AccountId;Name"; save it as comma-separated',
        'contacts: contacts.csv is empty: it needs a header row',
      ]);
    });

    it('refuses a dataset without accounts, and names files it was not told the names of', () => {
      assert.deepEqual(
        problems(() => readUpload(csv('AccountId,Name\n', 'ContactId,AccountId\n', false))),
        ['accounts: accounts CSV has a header row but no accounts'],
      );
      assert.deepEqual(
        problems(() =>
          readUpload({ format: 'json', file: { name: 'c.json', text: '{"accounts":[],"contacts":[]}' } }),
        ),
        ['file: c.json has no accounts'],
      );
    });

    it('names the JSON record at fault and malformed JSON', () => {
      const text = JSON.stringify({
        accounts: [{ AccountId: 'A1', Name: 'X' }],
        contacts: [{ ContactId: 'C1', AccountId: 'A2' }],
      });
      assert.deepEqual(
        problems(() => readUpload({ format: 'json', file: { name: 'c.json', text } })),
        [
          'contacts: c.json contacts[0]: contact "C1" belongs to AccountId "A2", which is not an account of the dataset',
        ],
      );
      assert.match(
        problems(() => readUpload({ format: 'json', file: { name: 'c.json', text: '{"accounts": [' } }))[0] ??
          '',
        /^file: c\.json is not valid JSON/,
      );
      assert.deepEqual(
        problems(() => parseDatasetJson('', 'c.json')),
        ['file: c.json is empty'],
      );
    });
  });

  describe('mapping', () => {
    const dataset = readUpload(csv(ACCOUNTS, CONTACTS));

    it('names every mapped field that is not a column, with the columns there are', () => {
      const found = mappingProblems(datasetColumns(dataset), {
        emailField: 'Mail',
        domainField: 'Website',
        ownerField: 'Owner',
      });
      assert.deepEqual(
        found.map((p) => p.field),
        ['emailField', 'domainField', 'ownerField'],
      );
      assert.match(
        found[0]?.message ?? '',
        /"Mail" is not a contact field \(contact fields: ContactId, AccountId, Email\)/,
      );
      assert.deepEqual(
        mappingProblems(datasetColumns(dataset), { emailField: 'Email', domainField: 'Domain' }),
        [],
      );
    });

    it('keeps checkMapping throwing the first problem', () => {
      assert.throws(() => checkMapping(dataset, { emailField: 'Mail' }), DatasetError);
      assert.doesNotThrow(() => checkMapping(dataset, { emailField: 'Email', ownerField: 'OwnerEmail' }));
    });
  });

  describe('preview', () => {
    it('shows each column with a few distinct values and how many records fill it', () => {
      const dataset = readUpload(
        csv(
          ACCOUNTS,
          'ContactId,AccountId,Email,Phone\nC1,A1,kim@contoso.com,\nC2,A1,kim@contoso.com,1\nC3,A1,a@b.io,2\nC4,A1,c@d.io,3\nC5,A1,e@f.io,4\n',
        ),
      );
      const preview = previewDataset(dataset);
      assert.equal(preview.accountCount, 2);
      assert.equal(preview.contactCount, 5);
      const email = preview.columns.contacts.find((c) => c.name === 'Email');
      assert.deepEqual(email, { name: 'Email', samples: ['kim@contoso.com', 'a@b.io', 'c@d.io'], filled: 5 });
      assert.equal(email?.samples.length, SAMPLE_VALUES);
      assert.deepEqual(preview.columns.contacts.find((c) => c.name === 'Phone')?.filled, 4);
      assert.deepEqual(preview.suggestedMapping, {
        emailField: 'Email',
        domainField: 'Domain',
        ownerField: 'OwnerEmail',
      });
    });

    it('suggests only columns whose values look right', () => {
      const column = (name: string, samples: string[]) => ({ name, samples, filled: samples.length });
      assert.deepEqual(
        suggestMapping({
          accounts: [column('Website', ['https://www.contoso.com/about']), column('Owner', ['Ana Diaz'])],
          contacts: [column('EmailOptIn', ['yes']), column('E-mail', ['kim@contoso.com'])],
        }),
        { emailField: 'E-mail', domainField: 'Website' },
      );
    });
  });

  it('makes ids from names', () => {
    assert.equal(slugOf('EMEA Sales 2'), 'emea-sales-2');
    assert.equal(slugOf('  Ventes Île-de-France  '), 'ventes-ile-de-france');
    assert.equal(slugOf('!!!'), '');
    assert.equal(slugOf('x'.repeat(100)).length, 64);
  });
});
