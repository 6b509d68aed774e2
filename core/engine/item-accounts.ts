import type { AggregateView } from './aggregator.ts';
import { CANCELLED, MEETING } from './item-table.ts';
import type { ItemPairs } from './replies.ts';
import { FROM_ACCOUNT, TO_ACCOUNT } from './score.ts';

/**
 * Which accounts, in which directions, one item counts for, from the union of its copies'
 * participants: To account A when the sender (organizer) is tracked and a participant is a person
 * of A; From account A when the sender is a person of A and a participant is tracked.
 */
export class ItemAccounts {
  /** After resolve(): the accounts touched, and their direction bits in `dir`. */
  readonly accounts: Int32Array;
  readonly dir: Uint8Array;
  count = 0;
  readonly #view: AggregateView;

  constructor(view: AggregateView) {
    const n = view.context.directory.size;
    this.accounts = new Int32Array(n);
    this.dir = new Uint8Array(n);
    this.#view = view;
  }

  /** Resolves item row r; returns the number of accounts it counts for. */
  resolve(r: number): number {
    const { items, addressUser, addressAccounts } = this.#view;
    const { accounts, dir } = this;
    for (let i = 0; i < this.count; i++) dir[accounts[i] ?? 0] = 0;
    let n = 0;
    const s = items.sender[r] ?? -1;
    if (s >= 0) {
      const off = items.partOff[r] ?? 0;
      const end = off + (items.partLen[r] ?? 0);
      if ((addressUser[s] ?? -1) >= 0) {
        for (let i = off; i < end; i++) {
          const list = addressAccounts[items.pool[i] ?? 0];
          if (list === undefined) continue;
          for (let k = 0; k < list.length; k++) {
            const a = list[k] ?? 0;
            if (dir[a] === 0) accounts[n++] = a;
            dir[a] = (dir[a] ?? 0) | TO_ACCOUNT;
          }
        }
      }
      const own = addressAccounts[s];
      if (own !== undefined && own.length > 0) {
        let anyTracked = false;
        for (let i = off; i < end && !anyTracked; i++)
          anyTracked = (addressUser[items.pool[i] ?? 0] ?? -1) >= 0;
        if (anyTracked) {
          for (let k = 0; k < own.length; k++) {
            const a = own[k] ?? 0;
            if (dir[a] === 0) accounts[n++] = a;
            dir[a] = (dir[a] ?? 0) | FROM_ACCOUNT;
          }
        }
      }
    }
    this.count = n;
    return n;
  }
}

/** The pairs, plus how many distinct emails / meetings counted for at least one account. */
export interface CountedPairs extends ItemPairs {
  /** Item row of each pair. */
  readonly row: Int32Array;
  readonly emails: number;
  readonly meetings: number;
}

/**
 * The (item, account, direction) pairs of the non-cancelled items that started inside the window,
 * grouped by item, in item-row order (a sequential pass over the columns).
 */
export function buildPairs(view: AggregateView, resolver: ItemAccounts): CountedPairs {
  const { items } = view;
  const { start: windowStart, asOf } = view.context.window;
  const start = new Int32Array(items.size).fill(-1);
  const end = new Int32Array(items.size).fill(-1);
  let cap = Math.max(16, items.size + (items.size >> 2));
  let row = new Int32Array(cap);
  let account = new Int32Array(cap);
  let dir = new Uint8Array(cap);
  let count = 0;
  let emails = 0;
  let meetings = 0;
  for (let r = 0; r < items.size; r++) {
    const t = items.time[r] ?? 0;
    if (((items.flags[r] ?? 0) & CANCELLED) !== 0 || !(t >= windowStart && t < asOf)) continue;
    const n = resolver.resolve(r);
    if (n === 0) continue;
    if (((items.flags[r] ?? 0) & MEETING) !== 0) meetings++;
    else emails++;
    if (count + n > cap) {
      while (count + n > cap) cap *= 2;
      const grownRow = new Int32Array(cap);
      grownRow.set(row);
      row = grownRow;
      const grownAccount = new Int32Array(cap);
      grownAccount.set(account);
      account = grownAccount;
      const grownDir = new Uint8Array(cap);
      grownDir.set(dir);
      dir = grownDir;
    }
    start[r] = count;
    for (let i = 0; i < n; i++) {
      const a = resolver.accounts[i] ?? 0;
      row[count] = r;
      account[count] = a;
      dir[count] = resolver.dir[a] ?? 0;
      count++;
    }
    end[r] = count;
  }
  return { start, end, row, account, dir, count, emails, meetings };
}
