import { normaliseEmail } from './addresses.ts';
import { hash53, SEED_CONTEXT } from './hash.ts';

/**
 * The tracked users: each address (mail, UPN, aliases) maps to one user id (the Entra object id).
 * Users are indexed 0..n-1 in user-id order; distinct-user counts count users, not addresses.
 */
export class TrackedUsers {
  readonly userIds: readonly string[];
  readonly fingerprint: number;
  readonly #byAddress: ReadonlyMap<string, number>;

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
    this.#byAddress = byAddress;
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
    return this.#byAddress.get(address) ?? -1;
  }
}

/** From `address → user id` pairs (a `Map<string, string>` works as is). */
export function buildTrackedUsers(
  entries: Iterable<readonly [address: string, userId: string]>,
): TrackedUsers {
  return new TrackedUsers(entries);
}
