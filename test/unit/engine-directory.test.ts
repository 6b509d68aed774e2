import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hash53 } from '../../core/engine/hash.ts';
import {
  buildAccountDirectory,
  buildTrackedUsers,
  normaliseDomain,
  parseDomainField,
  PUBLIC_MAIL_DOMAINS,
} from '../../core/engine/index.ts';
import { CONTEXT } from './engine-fixtures.test.ts';

const ids = (accounts: readonly number[]): string[] =>
  accounts.map((i) => CONTEXT.directory.accounts[i]?.id ?? '?');
const of = (address: string): string[] => ids(CONTEXT.directory.accountsOf(address));

describe('engine account directory', () => {
  it('orders accounts by AccountId and normalises contact emails (trim, case)', () => {
    assert.deepEqual(
      CONTEXT.directory.accounts.map((a) => a.id),
      ['A1', 'A2', 'A3', 'A4'],
    );
    assert.deepEqual(of('bob@contoso.com'), ['A1']);
  });

  it('matches an account domain and its subdomains', () => {
    assert.deepEqual(of('dave@contoso.com'), ['A1']);
    assert.deepEqual(of('eve@eu.sales.contoso.com'), ['A1']);
    assert.deepEqual(of('x@northwind.io'), ['A2'], 'a URL with www. in the domain field still matches');
    assert.deepEqual(of('x@notcontoso.com'), [], 'a suffix that is not a subdomain does not match');
    assert.deepEqual(of('x@contoso.com.evil.net'), []);
  });

  it('lets an explicit contact win over a domain match', () => {
    // zed@contoso.com is on Contoso's domain but an explicit contact of Northwind only.
    assert.deepEqual(of('zed@contoso.com'), ['A2']);
  });

  it('puts an address in several accounts only through explicit contacts', () => {
    assert.deepEqual(of('pat@advisors.net'), ['A1', 'A2']);
    const twoSameDomain = buildAccountDirectory({
      accounts: [
        { id: 'B2', name: 'Second', contactEmails: [], domains: ['shared.com'] },
        { id: 'B1', name: 'First', contactEmails: [], domains: ['shared.com'] },
      ],
      orgDomains: [],
    });
    // Two accounts listing the very same domain: the smaller AccountId gets the domain persons.
    assert.deepEqual(twoSameDomain.accountsOf('a@shared.com'), [0]);
    assert.equal(twoSameDomain.accounts[0]?.id, 'B1');
  });

  it('prefers the most specific account domain', () => {
    const d = buildAccountDirectory({
      accounts: [
        { id: 'P', name: 'Parent', contactEmails: [], domains: ['contoso.com'] },
        { id: 'S', name: 'Subsidiary', contactEmails: [], domains: ['eu.contoso.com'] },
      ],
      orgDomains: [],
    });
    assert.deepEqual(d.accountsOf('a@eu.contoso.com'), [1]);
    assert.deepEqual(d.accountsOf('a@x.eu.contoso.com'), [1]);
    assert.deepEqual(d.accountsOf('a@us.contoso.com'), [0]);
  });

  it('never matches public mail domains by domain, but explicit contacts on them count', () => {
    assert.ok(PUBLIC_MAIL_DOMAINS.has('gmail.com'));
    assert.deepEqual(of('someone@gmail.com'), [], 'Solo lists gmail.com as its domain: ignored');
    assert.deepEqual(of('sam.solo@gmail.com'), ['A3']);
    assert.deepEqual(CONTEXT.directory.accounts[2]?.domains, []);
  });

  it("never matches the organization's own domains (or their subdomains) by domain", () => {
    assert.deepEqual(of('colleague@fabrikam.com'), []);
    assert.deepEqual(of('colleague@eu.fabrikam.com'), []);
    const d = buildAccountDirectory({
      accounts: [{ id: 'C', name: 'Contoso', contactEmails: [], domains: ['contoso.com'] }],
      orgDomains: ['partners.contoso.com'],
    });
    assert.deepEqual(d.accountsOf('x@partners.contoso.com'), [], 'org subdomain under an account domain');
    assert.deepEqual(d.accountsOf('x@contoso.com'), [0]);
  });

  it('merges accounts listed twice under one AccountId', () => {
    const d = buildAccountDirectory({
      accounts: [
        { id: 'X', name: 'X Corp', contactEmails: ['a@x.com'] },
        { id: 'X', name: 'X again', contactEmails: ['b@x.com'] },
      ],
      orgDomains: [],
    });
    assert.equal(d.size, 1);
    assert.equal(d.accounts[0]?.name, 'X Corp');
    assert.deepEqual(d.accountsOf('b@x.com'), [0]);
  });

  it('changes its fingerprint when matching would change', () => {
    const base = { accounts: [{ id: 'X', name: 'X', contactEmails: ['a@x.com'] }], orgDomains: [] };
    const same = buildAccountDirectory(base).fingerprint;
    assert.equal(buildAccountDirectory(base).fingerprint, same);
    assert.notEqual(
      buildAccountDirectory({ ...base, accounts: [{ id: 'X', name: 'X', contactEmails: ['b@x.com'] }] })
        .fingerprint,
      same,
    );
  });
});

describe('engine domain normalisation', () => {
  it('accepts the forms admins type and rejects unusable domains', () => {
    assert.equal(normaliseDomain(' https://www.Contoso.com/about?x=1 '), 'contoso.com');
    assert.equal(normaliseDomain('@contoso.com.'), 'contoso.com');
    assert.equal(normaliseDomain('contoso.com:443'), 'contoso.com');
    assert.equal(normaliseDomain('com'), null, 'a single label would match a whole top-level domain');
    assert.equal(normaliseDomain('co.uk'), null, 'a shared registry suffix');
    assert.equal(normaliseDomain('not a domain'), null);
    assert.deepEqual(parseDomainField('contoso.com; contoso.de, www.contoso.fr | contoso.com'), [
      'contoso.com',
      'contoso.de',
      'contoso.fr',
    ]);
  });
});

describe('engine tracked users', () => {
  it('maps every address of a user to one user index and ignores case', () => {
    const t = buildTrackedUsers([
      ['Ana@Fabrikam.com', 'U1'],
      ['ana.diaz@fabrikam.com', 'U1'],
      ['ben@fabrikam.com', 'U2'],
    ]);
    assert.equal(t.size, 2);
    assert.equal(t.indexOf('ana@fabrikam.com'), t.indexOf('ana.diaz@fabrikam.com'));
    assert.equal(t.indexOf('nobody@fabrikam.com'), -1);
    const fromMap = buildTrackedUsers(new Map([['x@fabrikam.com', 'U9']]));
    assert.deepEqual(fromMap.userIds, ['U9']);
  });
});

describe('engine hashing', () => {
  it('hashes a suffix in place exactly as the sliced suffix', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.nat(45),
        fc.integer({ min: 0, max: 0xfff }),
        (s, from, seed) => {
          assert.equal(hash53(s, seed, from), hash53(s.slice(from), seed));
          const h = hash53(s, seed);
          assert.ok(Number.isSafeInteger(h) && h >= 0);
        },
      ),
    );
  });
});
