import { normaliseEmail } from './addresses.ts';
import { HashIndex } from './hash-index.ts';
import { hash53, SEED_ADDRESS, SEED_CONTEXT } from './hash.ts';

/**
 * The tracked users: each address (mail, UPN, aliases) maps to one user id (the Entra object id).
 * Users are indexed 0..n-1 in user-id order; distinct-user counts count users, not addresses.
 */
export class TrackedUsers {
  readonly userIds: readonly string[];
  readonly fingerprint: number;
  /** Address hash → user index. */
  readonly #byAddress = new HashIndex();

  constructor(entries: Iterable<readonly [address: string, userId: string]>) {
    const pairs: [string, string][] = [];
    for (const [address, userId] of entries) {
      const a = normaliseEmail(address);
      if (a !== '') pairs.push([a, userId]);
    }
    const ids = [...new Set(pairs.map((p) => p[1]))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const index = new Map(ids.map((id, i) => [id, i] as const));
    const byAddress = new Map<string, number>();
    for (const [a, id] of pairs) {
      const i = index.get(id);
      if (i !== undefined && !byAddress.has(a)) byAddress.set(a, i);
    }
    this.userIds = Object.freeze(ids);
    for (const [a, i] of byAddress) this.#byAddress.set(hash53(a, SEED_ADDRESS), i);
    this.fingerprint = hash53(
      JSON.stringify([...byAddress.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))),
      SEED_CONTEXT,
    );
  }

  get size(): number {
    return this.userIds.length;
  }

  /** The user index of a trimmed, lower-cased address, or -1 when it is not a tracked user's. */
  indexOf(address: string): number {
    return this.#byAddress.get(hash53(address, SEED_ADDRESS));
  }

  /** indexOf, for a caller that already holds hash53(address, SEED_ADDRESS). */
  indexOfHashed(addressHash: number): number {
    return this.#byAddress.get(addressHash);
  }
}

/** From `address → user id` pairs (a `Map<string, string>` works as is). */
export function buildTrackedUsers(
  entries: Iterable<readonly [address: string, userId: string]>,
): TrackedUsers {
  return new TrackedUsers(entries);
}
