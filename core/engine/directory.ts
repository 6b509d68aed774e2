import { normaliseDomain, normaliseEmail, parseDomainField } from './addresses.ts';
import { isAutomatedSender } from './automated-senders.ts';
import { HashIndex } from './hash-index.ts';
import { hash53, SEED_ADDRESS, SEED_CONTEXT, SEED_DOMAIN } from './hash.ts';
import { PUBLIC_MAIL_DOMAINS } from './public-domains.ts';

/** One business account of the customer dataset, with its contacts already grouped under it. */
export interface AccountInput {
  id: string;
  name: string;
  /** The mapped contact email field of each of the account's contacts (any case, any spacing). */
  contactEmails: readonly string[];
  /** The mapped domain field(s), when a domain field is mapped; each value may list several domains. */
  domains?: readonly string[];
}

export interface AccountDirectoryInput {
  accounts: readonly AccountInput[];
  /** The organization's own domains (verified domains); never matched to an account by domain. */
  orgDomains: readonly string[];
  /** The admin's exclusion list: addresses that are never an account's person. */
  excludedAddresses?: readonly string[];
  /** The admin's exclusion list: domains whose addresses (subdomains included) are never persons. */
  excludedDomains?: readonly string[];
}

export interface DirectoryAccount {
  readonly id: string;
  readonly name: string;
  /** Normalised domains used for domain matching (public, org and shared-suffix domains removed). */
  readonly domains: readonly string[];
}

const NONE: readonly number[] = Object.freeze([]);

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Who is a person of which account. Accounts are indexed 0..n-1 in AccountId order.
 *
 * - An explicit contact email of one or more accounts belongs to exactly those accounts (explicit
 *   wins over any domain match; it works on public and org domains too).
 * - Otherwise an address whose domain equals an account domain or is a subdomain of it belongs to
 *   that one account, unless the address's domain is (under) a public mail domain or an org domain.
 *   The most specific account domain wins; two accounts with the very same domain resolve to the
 *   one with the smaller AccountId, so a domain never makes an address a person of two accounts.
 * - Automated senders and the admin's excluded addresses and domains (a domain with its
 *   subdomains) are never anyone's person, explicit contacts included.
 */
export class AccountDirectory {
  readonly accounts: readonly DirectoryAccount[];
  /** Changes whenever anything that matching depends on changes. */
  readonly fingerprint: number;
  readonly #byId: ReadonlyMap<string, number>;
  /** Explicit contact (by address hash) → index into #explicitLists. */
  readonly #explicit = new HashIndex();
  readonly #explicitLists: (readonly number[])[] = [];
  /**
   * Domain (by hash) → account index + 1 for an account domain, or 0 for an excluded (public or
   * org) domain: one probe per label while walking an address's domain, no substrings allocated.
   */
  readonly #domains = new HashIndex();
  readonly #singles: (readonly number[])[] = [];
  readonly #excluded: ReadonlySet<string>;
  readonly #hasAccountDomains: boolean;
  /** Excluded addresses by address hash, excluded domains by domain hash. */
  readonly #excludedAddresses = new HashIndex();
  readonly #excludedDomains = new HashIndex();

  constructor(input: AccountDirectoryInput) {
    const merged = new Map<string, { name: string; emails: Set<string>; domains: Set<string> }>();
    for (const a of input.accounts) {
      let m = merged.get(a.id);
      if (m === undefined) {
        m = { name: a.name, emails: new Set(), domains: new Set() };
        merged.set(a.id, m);
      }
      for (const e of a.contactEmails) {
        const n = normaliseEmail(e);
        if (n !== '') m.emails.add(n);
      }
      for (const raw of a.domains ?? []) for (const d of parseDomainField(raw)) m.domains.add(d);
    }

    const excluded = new Set<string>(PUBLIC_MAIL_DOMAINS);
    const orgDomains: string[] = [];
    for (const raw of input.orgDomains) {
      const d = normaliseDomain(raw) ?? raw.trim().toLowerCase();
      if (d !== '' && !excluded.has(d)) {
        excluded.add(d);
        orgDomains.push(d);
      }
    }
    this.#excluded = excluded;
    const excludedAddresses = [
      ...new Set((input.excludedAddresses ?? []).map(normaliseEmail).filter((a) => a !== '')),
    ].sort(compareIds);
    const excludedDomains = [
      ...new Set((input.excludedDomains ?? []).map(normaliseDomain).filter((d) => d !== null)),
    ].sort(compareIds);
    for (const a of excludedAddresses) this.#excludedAddresses.set(hash53(a, SEED_ADDRESS), 0);
    for (const d of excludedDomains) this.#excludedDomains.set(hash53(d, SEED_DOMAIN), 0);

    const ids = [...merged.keys()].sort(compareIds);
    const accounts: DirectoryAccount[] = [];
    const byId = new Map<string, number>();
    const explicit = new Map<string, number[]>();
    const domains = new Map<string, number>();
    const singles = this.#singles;
    for (const [index, id] of ids.entries()) {
      const m = merged.get(id);
      if (m === undefined) continue;
      const single = Object.freeze([index]);
      singles.push(single);
      const kept = [...m.domains].filter((d) => !this.#isExcludedDomain(d)).sort(compareIds);
      accounts.push(Object.freeze({ id, name: m.name, domains: Object.freeze(kept) }));
      byId.set(id, index);
      for (const e of m.emails) {
        const list = explicit.get(e);
        if (list === undefined) explicit.set(e, [index]);
        else list.push(index);
      }
      for (const d of kept) if (!domains.has(d)) domains.set(d, index);
    }
    const frozenExplicit = new Map<string, readonly number[]>();
    for (const [e, list] of explicit) {
      const only = list.length === 1 ? singles[list[0] ?? 0] : undefined;
      const frozen = only ?? Object.freeze(list);
      frozenExplicit.set(e, frozen);
      this.#explicit.set(hash53(e, SEED_ADDRESS), this.#explicitLists.length);
      this.#explicitLists.push(frozen);
    }
    this.accounts = Object.freeze(accounts);
    this.#byId = byId;
    this.#hasAccountDomains = domains.size > 0;
    for (const [d, index] of domains) this.#domains.set(hash53(d, SEED_DOMAIN), index + 1);
    for (const d of excluded) this.#domains.set(hash53(d, SEED_DOMAIN), 0);
    this.fingerprint = hash53(
      JSON.stringify({
        accounts: accounts.map((a) => [a.id, a.name, a.domains]),
        explicit: [...frozenExplicit.entries()].sort((x, y) => compareIds(x[0], y[0])),
        org: orgDomains.sort(compareIds),
        excludedAddresses,
        excludedDomains,
      }),
      SEED_CONTEXT,
    );
  }

  get size(): number {
    return this.accounts.length;
  }

  /** Index of an AccountId, or -1. */
  indexOf(accountId: string): number {
    return this.#byId.get(accountId) ?? -1;
  }

  /**
   * The accounts (indices, ascending) the address is a person of; an empty array when none.
   * The address must already be trimmed and lower-cased. The returned arrays are shared and frozen.
   */
  accountsOf(address: string): readonly number[] {
    return this.accountsOfHashed(address, hash53(address, SEED_ADDRESS));
  }

  /** accountsOf, for a caller that already holds hash53(address, SEED_ADDRESS). */
  accountsOfHashed(address: string, addressHash: number): readonly number[] {
    if (this.#isNeverPerson(address, addressHash)) return NONE;
    const explicit = this.#explicit.get(addressHash);
    if (explicit >= 0) return this.#explicitLists[explicit] ?? NONE;
    if (!this.#hasAccountDomains) return NONE;
    const at = address.lastIndexOf('@');
    if (at < 0) return NONE;
    // Walk the domain from the most specific label up: the first account domain found wins, and
    // any public or org domain on the way (at any level) rules domain matching out.
    let found = -1;
    for (let from = at + 1; from < address.length;) {
      const hit = this.#domains.get(hash53(address, SEED_DOMAIN, from));
      if (hit === 0) return NONE;
      if (hit > 0 && found < 0) found = hit - 1;
      const dot = address.indexOf('.', from);
      if (dot < 0) break;
      from = dot + 1;
    }
    return found < 0 ? NONE : (this.#singles[found] ?? NONE);
  }

  #isNeverPerson(address: string, addressHash: number): boolean {
    if (isAutomatedSender(address) || this.#excludedAddresses.get(addressHash) >= 0) return true;
    if (this.#excludedDomains.size === 0) return false;
    const at = address.lastIndexOf('@');
    if (at < 0) return false;
    for (let from = at + 1; from < address.length;) {
      if (this.#excludedDomains.get(hash53(address, SEED_DOMAIN, from)) >= 0) return true;
      const dot = address.indexOf('.', from);
      if (dot < 0) break;
      from = dot + 1;
    }
    return false;
  }

  #isExcludedDomain(domain: string): boolean {
    let s = domain;
    for (;;) {
      if (this.#excluded.has(s)) return true;
      const dot = s.indexOf('.');
      if (dot < 0) return false;
      s = s.slice(dot + 1);
    }
  }
}

export function buildAccountDirectory(input: AccountDirectoryInput): AccountDirectory {
  return new AccountDirectory(input);
}
