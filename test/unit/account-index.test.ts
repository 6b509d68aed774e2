import assert from 'node:assert/strict';
import {
  AccountIndex,
  CLOSENESS,
  editDistance,
  normaliseName,
  rankMatches,
} from '../../core/accounts/account-index';

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

  it('forgives small typos, and says when it did', () => {
    assert.equal(exactId('contosso'), 'AC-00001');
    assert.equal(exactId('northwnd traders'), 'AC-00002');
    assert.equal(exactId('tailpsin toys'), undefined, 'two accounts share the name');
    const corrected = (query: string) => {
      const match = index.find(query);
      return match.kind === 'exact' ? match.corrected : undefined;
    };
    assert.equal(corrected('contosso'), true);
    assert.equal(corrected('northwnd traders'), true);
    for (const query of ['Contoso', 'CONTOSO, LTD.', 'ac-00001', 'Northwind', 'contoso pharma']) {
      assert.equal(corrected(query), false, query);
    }
  });

  it('ranks every match by closeness: the name, its first words, the start of a word, then typos', () => {
    const blue = new AccountIndex([
      { id: 'B-1', name: 'Blue' },
      { id: 'B-2', name: 'Blue Yonder Airlines' },
      { id: 'B-3', name: 'Bluebird Media' },
      { id: 'B-4', name: 'Blua Corp' },
      { id: 'B-5', name: 'Blue Motors' },
      ...Array.from({ length: 300 }, (_, i) => ({ id: `X-${i}`, name: `Blue Holdings ${i}` })),
    ]);
    const match = blue.find('blue');
    assert.equal(match.kind, 'exact', 'the one account named Blue');
    const prefix = blue.find('blu');
    assert.equal(prefix.kind, 'several');
    assert.equal(prefix.kind === 'several' && prefix.accounts.length, 305, 'every name that starts so');
    assert.ok(prefix.kind === 'several' && prefix.accounts.every((a) => a.closeness === CLOSENESS.start));

    const yonder = new AccountIndex([
      { id: 'B-2', name: 'Blue Yonder Airlines' },
      { id: 'B-3', name: 'Bluebird Media' },
      { id: 'B-4', name: 'Blua Corp' },
      { id: 'B-5', name: 'Blue Motors' },
      ...Array.from({ length: 300 }, (_, i) => ({ id: `X-${i}`, name: `Blue Holdings ${i}` })),
    ]).find('Blue');
    assert.equal(yonder.kind, 'several');
    const ranked = yonder.kind === 'several' ? yonder.accounts : [];
    assert.equal(ranked.length, 304, 'all 302 "Blue …" names, "Bluebird" and the typo "Blua"');
    assert.deepEqual(
      ranked.slice(-2).map((a) => [a.id, a.closeness]),
      [
        ['B-3', CLOSENESS.start],
        ['B-4', CLOSENESS.typo1],
      ],
      'word starts before typos',
    );
    assert.ok(ranked.slice(0, -2).every((a) => a.closeness === CLOSENESS.words));
  });

  it('ranks equally close matches by score, the higher first, and closer ones before any', () => {
    const scores = new Map([
      ['A', 10],
      ['B', 90],
      ['C', 50],
      ['D', 99],
    ]);
    const ranked = rankMatches(
      [
        { id: 'A', name: 'Blue A', closeness: CLOSENESS.words },
        { id: 'B', name: 'Blue B', closeness: CLOSENESS.words },
        { id: 'C', name: 'Blue C', closeness: CLOSENESS.words },
        { id: 'D', name: 'Bluebird', closeness: CLOSENESS.start },
        { id: 'E', name: 'Blue E', closeness: CLOSENESS.words },
      ],
      (id) => scores.get(id),
    );
    assert.deepEqual(
      ranked.map((a) => a.id),
      ['B', 'C', 'A', 'E', 'D'],
      'by score within the closest (unknown last), then the next closeness whatever its score',
    );
  });

  it('takes the one closest account when the others only look like it', () => {
    const atlas = new AccountIndex([
      { id: 'A-1', name: 'Atlas Bank SA' },
      { id: 'A-2', name: 'Atlas Energy GmbH' },
      { id: 'A-3', name: 'Atlas Insurance' },
    ]);
    // "atlas bnk" is one edit from Atlas Bank, and only starts like the others (two edits).
    assert.deepEqual(atlas.find('atlas bnk'), {
      kind: 'exact',
      account: { id: 'A-1', name: 'Atlas Bank SA' },
      corrected: true,
    });
    assert.equal(atlas.find('atlas').kind, 'several');
    assert.equal(atlas.find('at').kind, 'none', 'two letters are not the start of a name');
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
    assert.deepEqual(same.kind === 'several' && same.accounts.map((a) => [a.id, a.closeness]), [
      ['AC-00008', CLOSENESS.name],
      ['AC-00009', CLOSENESS.name],
    ]);
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
