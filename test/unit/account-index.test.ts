import assert from 'node:assert/strict';
import { AccountIndex, editDistance, normaliseName } from '../../core/accounts/account-index';

const accounts = [
  { id: 'AC-00001', name: 'Contoso Ltd' },
  { id: 'AC-00002', name: 'Northwind Traders' },
  { id: 'AC-00003', name: 'Adventure Works' },
  { id: 'AC-00004', name: 'Adventure Works Cycles' },
  { id: 'AC-00005', name: 'Fabrikam, Inc.' },
  { id: 'AC-00006', name: "Margie's Travel" },
  { id: 'AC-00007', name: 'Contoso Pharmaceuticals' },
  { id: 'AC-00008', name: 'Tailspin Toys' },
  { id: 'AC-00009', name: 'Tailspin Toys' },
];

const index = new AccountIndex(accounts);

function exactId(query: string): string | undefined {
  const match = index.find(query);
  return match.kind === 'exact' ? match.account.id : undefined;
}

describe('account index', () => {
  it('normalises case, punctuation, accents and legal suffixes', () => {
    assert.equal(normaliseName('CONTOSO, Ltd.'), 'contoso');
    assert.equal(normaliseName('Fabrikam Inc'), 'fabrikam');
    assert.equal(normaliseName('Café Müller GmbH'), 'cafe muller');
    assert.equal(normaliseName('Co'), 'co', 'a name that is only a suffix keeps it');
  });

  it('finds an account whatever the case, punctuation or legal suffix', () => {
    for (const query of ['Contoso', 'contoso ltd', 'CONTOSO LIMITED', 'contoso, ltd.']) {
      assert.equal(exactId(query), 'AC-00001', query);
    }
    assert.equal(exactId('fabrikam'), 'AC-00005');
    assert.equal(exactId('margies travel'), 'AC-00006');
  });

  it('finds an account by its id', () => {
    assert.equal(exactId('ac-00002'), 'AC-00002');
  });

  it('forgives small typos', () => {
    assert.equal(exactId('contosso'), 'AC-00001');
    assert.equal(exactId('northwnd traders'), 'AC-00002');
    assert.equal(exactId('tailpsin toys'), undefined, 'two accounts share the name');
  });

  it('offers a choice when several accounts match', () => {
    const match = index.find('adventure');
    assert.equal(match.kind, 'several');
    assert.deepEqual(match.kind === 'several' && match.accounts.map((a) => a.id).sort(), [
      'AC-00003',
      'AC-00004',
    ]);
    const same = index.find('Tailspin Toys');
    assert.equal(same.kind, 'several');
  });

  it('suggests the closest accounts when nothing matches', () => {
    const match = index.find('northwind trading company');
    assert.deepEqual(match, { kind: 'none', suggestions: [{ id: 'AC-00002', name: 'Northwind Traders' }] });
    const none = index.find('zzzz qqqq');
    assert.deepEqual(none, { kind: 'none', suggestions: [] });
  });

  it('measures edit distance with transpositions and an early exit', () => {
    assert.equal(editDistance('contoso', 'contoso', 2), 0);
    assert.equal(editDistance('contoso', 'cnotoso', 2), 1);
    assert.equal(editDistance('contoso', 'fabrikam', 2), 3);
  });
});
