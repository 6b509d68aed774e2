import {
  PRIVATE_SENSITIVITIES,
  type Activity,
  type EmailActivity,
  type MeetingActivity,
} from './activity.ts';
import type { EngineContext } from './context.ts';
import { HashIndex } from './hash-index.ts';
import { hash53, SEED_ADDRESS, SEED_CONVERSATION, SEED_EMAIL, SEED_MEETING } from './hash.ts';
import { CANCELLED, ItemTable, MEETING, type ItemColumns } from './item-table.ts';
import {
  PARTIAL_FORMAT,
  PartialFormatError,
  validatePartialJSON,
  type PartialAggregateJSON,
} from './partial-json.ts';

/** At most this many addresses that are neither tracked nor an account person are remembered. */
const NON_MATCHING_CACHE_SIZE = 4_096;

/** Slots of the recent-address cache (a power of two). */
const RECENT_ADDRESSES = 1_024;

/** Address roles. */
const TRACKED = 1;
const PERSON = 2;

/** Sorts ids[0..n) ascending in place and removes duplicates; returns the new length. */
function sortUnique(ids: Int32Array, n: number): number {
  if (n < 2) return n;
  if (n <= 32) {
    for (let i = 1; i < n; i++) {
      const v = ids[i] ?? 0;
      let j = i - 1;
      while (j >= 0 && (ids[j] ?? 0) > v) {
        ids[j + 1] = ids[j] ?? 0;
        j--;
      }
      ids[j + 1] = v;
    }
  } else {
    ids.subarray(0, n).sort();
  }
  let k = 1;
  for (let i = 1; i < n; i++) if (ids[i] !== ids[k - 1]) ids[k++] = ids[i] ?? 0;
  return k;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a partial aggregate holds, for the run's statistics and the memory model. */
export interface AggregatorFootprint {
  /** Distinct counted emails and meetings (plus cancelled-meeting markers and future meetings). */
  items: number;
  /** Relevant addresses interned (tracked users and account persons seen). */
  addresses: number;
  /** Participant ids stored over all items. */
  participantSlots: number;
  /** Reply candidates kept for emails that count for no account. */
  replyCandidates: number;
  /** Non-matching addresses currently cached (bounded). */
  cachedNonMatching: number;
  /** Rough bytes held by the typed arrays (excludes strings and Map overhead). */
  approxBytes: number;
}

/** Read-only view for finalisation (internal to the engine). */
export interface AggregateView {
  readonly context: EngineContext;
  readonly addresses: readonly string[];
  /** Per address: tracked user index or -1. */
  readonly addressUser: readonly number[];
  /** Per address: account indices it is a person of. */
  readonly addressAccounts: readonly (readonly number[])[];
  readonly items: ItemColumns;
  /** Flat [conversationHash, sent] pairs. */
  readonly replyCandidates: Float64Array;
  readonly read: { readonly emails: number; readonly meetings: number };
}

/**
 * A mergeable partial aggregate. Feed it the activities of any subset of the tracked mailboxes
 * (one at a time, duplicates across mailboxes welcome), merge partials in any grouping and order,
 * and finalise the result: the rows are the same as for one pass over everything.
 *
 * State kept (see docs/metrics.md, "Memory model"):
 * - one row per distinct counted email / meeting (hash of its id, instant, conversation hash or
 *   end, sender, the relevant participants as small ints) — nothing for activity that counts for
 *   no account, except:
 * - one [conversation hash, sent] pair per in-window, non-draft email with a conversation that
 *   counts for no account, because it may sit between a seller's email and a customer's reply;
 * - the relevant addresses seen (tracked users and account persons) and a bounded cache of
 *   non-matching addresses.
 */
export class Aggregator {
  readonly context: EngineContext;
  /** Relevant addresses by hash → local id. */
  readonly #ids = new HashIndex(256);
  /** Recently seen addresses that match nothing, by hash. */
  #nonMatching = new HashIndex(NON_MATCHING_CACHE_SIZE);
  readonly #addresses: string[] = [];
  readonly #addressUser: number[] = [];
  readonly #addressAccounts: (readonly number[])[] = [];
  /** Per address: TRACKED | PERSON bits. */
  readonly #addressRole: number[] = [];
  readonly #items: ItemTable;
  /**
   * The last address seen per slot and its local id (or -1). A mailbox's own address and its
   * frequent correspondents recur in nearly every item; comparing the string with the cached one
   * costs a fraction of hashing it and probing the tables.
   */
  readonly #recentText: string[] = new Array<string>(RECENT_ADDRESSES).fill('');
  readonly #recentId = new Int32Array(RECENT_ADDRESSES).fill(-1);
  #candidates = new Float64Array(256);
  #candidateLen = 0;
  #readEmails = 0;
  #readMeetings = 0;
  #scratch = new Int32Array(64);
  #n = 0;

  constructor(context: EngineContext) {
    this.context = context;
    const addresses = this.#addresses;
    this.#items = new ItemTable((a, b) => compareStrings(addresses[a] ?? '', addresses[b] ?? ''));
  }

  /** Folds one activity in. */
  add(activity: Activity): void {
    if (activity.kind === 'email') this.#addEmail(activity);
    else this.#addMeeting(activity);
  }

  #addEmail(e: EmailActivity): void {
    this.#readEmails++;
    if (e.isDraft) return;
    const t = e.sent;
    const w = this.context.window;
    if (!(t >= w.start && t < w.asOf)) return;
    const sender = this.#qualify(e.from, e.recipients);
    const c = e.conversationId;
    const conv = c === null || c === '' ? -1 : hash53(c, SEED_CONVERSATION);
    if (sender >= 0) this.#items.upsert(0, hash53(e.id, SEED_EMAIL), t, conv, sender, this.#scratch, this.#n);
    else if (conv >= 0) this.#pushCandidate(conv, t);
  }

  #addMeeting(m: MeetingActivity): void {
    this.#readMeetings++;
    if (m.isAllDay) return;
    const t = m.start;
    if (!(t >= this.context.window.start) || !Number.isFinite(t)) return;
    const organizer = this.#qualify(m.organizer, m.attendees);
    if (organizer < 0) return;
    const end = Number.isFinite(m.end) ? m.end : t;
    const hash = hash53(m.id, SEED_MEETING);
    // A private or confidential copy withholds the meeting as a cancelled one does: in any calendar
    // it counts nowhere, is no next meeting, and its attendees are not kept.
    const withheld =
      m.isCancelled ||
      (!this.context.countPrivateMeetings &&
        m.sensitivity !== undefined &&
        PRIVATE_SENSITIVITIES.has(m.sensitivity));
    if (withheld) this.#items.upsert(MEETING | CANCELLED, hash, t, end, organizer, this.#scratch, 0);
    else this.#items.upsert(MEETING, hash, t, end, organizer, this.#scratch, this.#n);
  }

  /**
   * Resolves the sender and the other participants. Leaves the relevant other participants in
   * scratch[0..#n), sorted and unique, and returns the sender's id when the activity counts for at
   * least one account in at least one direction; otherwise -1.
   */
  #qualify(sender: string | null, others: readonly string[]): number {
    this.#n = 0;
    if (sender === null) return -1;
    const s = this.#resolve(sender);
    if (s < 0) return -1;
    const senderRole = this.#addressRole[s] ?? 0;
    let othersRole = 0;
    let n = 0;
    for (const o of others) {
      const id = this.#resolve(o);
      if (id < 0) continue;
      if (n === this.#scratch.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.#scratch);
        this.#scratch = grown;
      }
      this.#scratch[n++] = id;
      othersRole |= this.#addressRole[id] ?? 0;
    }
    const to = (senderRole & TRACKED) !== 0 && (othersRole & PERSON) !== 0;
    const from = (senderRole & PERSON) !== 0 && (othersRole & TRACKED) !== 0;
    if (!to && !from) return -1;
    this.#n = sortUnique(this.#scratch, n);
    return s;
  }

  /** Local id of a relevant address, or -1: the recent-address cache first. */
  #resolve(address: string): number {
    const n = address.length;
    const slot =
      (n * 37 + address.charCodeAt(n >> 1) * 7 + address.charCodeAt(n >> 2)) & (RECENT_ADDRESSES - 1);
    if (this.#recentText[slot] === address) return this.#recentId[slot] ?? -1;
    const id = this.#resolveHashed(address);
    this.#recentText[slot] = address;
    this.#recentId[slot] = id;
    return id;
  }

  /**
   * Local id of a relevant address, or -1, past the cache. Addresses are found by their 53-bit
   * hash in typed-array tables (one probe, usually one cache line) rather than in a Map keyed by
   * string, whose lookups touch three separate pieces of memory.
   */
  #resolveHashed(address: string): number {
    const h = hash53(address, SEED_ADDRESS);
    const known = this.#ids.get(h);
    if (known >= 0) return known;
    if (this.#nonMatching.get(h) >= 0) return -1;
    const { tracked, directory } = this.context;
    const user = tracked.indexOfHashed(h);
    const accounts = directory.accountsOfHashed(address, h);
    if (user < 0 && accounts.length === 0) {
      // A bounded cache: replaced wholesale when full (cheaper than evicting entry by entry).
      if (this.#nonMatching.size >= NON_MATCHING_CACHE_SIZE)
        this.#nonMatching = new HashIndex(NON_MATCHING_CACHE_SIZE);
      this.#nonMatching.set(h, 0);
      return -1;
    }
    const id = this.#addresses.length;
    this.#addresses.push(address);
    this.#addressUser.push(user);
    this.#addressAccounts.push(accounts);
    this.#addressRole.push((user >= 0 ? TRACKED : 0) | (accounts.length > 0 ? PERSON : 0));
    this.#ids.set(h, id);
    return id;
  }

  #pushCandidate(conv: number, t: number): void {
    const len = this.#candidateLen;
    if (len + 2 > this.#candidates.length) {
      const grown = new Float64Array(this.#candidates.length * 2);
      grown.set(this.#candidates);
      this.#candidates = grown;
    }
    this.#candidates[len] = conv;
    this.#candidates[len + 1] = t;
    this.#candidateLen = len + 2;
  }

  /** Merges another partial of the same run into this one (the other is left unchanged). */
  absorb(other: Aggregator): this {
    if (other === this) throw new Error('a partial cannot absorb itself');
    if (other.context.key !== this.context.key) {
      throw new Error(
        'partials of different runs (dataset, tracked users or as-of instant) cannot be merged',
      );
    }
    const remap = other.#addresses.map((a) => this.#resolve(a));
    const src = other.#items;
    for (let r = 0; r < src.size; r++) {
      const flags = src.flags[r] ?? 0;
      let n = 0;
      if ((flags & CANCELLED) === 0) {
        const off = src.partOff[r] ?? 0;
        const len = src.partLen[r] ?? 0;
        if (this.#scratch.length < len) this.#scratch = new Int32Array(len * 2);
        for (let i = 0; i < len; i++) {
          const id = remap[src.pool[off + i] ?? 0] ?? -1;
          if (id >= 0) this.#scratch[n++] = id;
        }
        n = sortUnique(this.#scratch, n);
      }
      const sender = src.sender[r] ?? -1;
      this.#items.upsert(
        flags,
        src.hash[r] ?? 0,
        src.time[r] ?? 0,
        src.aux[r] ?? 0,
        sender >= 0 ? (remap[sender] ?? -1) : -1,
        this.#scratch,
        n,
      );
    }
    for (let i = 0; i < other.#candidateLen; i += 2) {
      this.#pushCandidate(other.#candidates[i] ?? 0, other.#candidates[i + 1] ?? 0);
    }
    this.#readEmails += other.#readEmails;
    this.#readMeetings += other.#readMeetings;
    return this;
  }

  /** A new partial holding both (neither input changes). Associative and commutative. */
  static merge(a: Aggregator, b: Aggregator): Aggregator {
    return new Aggregator(a.context).absorb(a).absorb(b);
  }

  /** A new partial holding all of them (none changes); an empty partial when there are none. */
  static mergeAll(partials: Iterable<Aggregator>, context: EngineContext): Aggregator {
    const merged = new Aggregator(context);
    for (const p of partials) merged.absorb(p);
    return merged;
  }

  /** Canonical plain-JSON form (see PartialAggregateJSON). */
  toJSON(): PartialAggregateJSON {
    const t = this.#items;
    const used = new Uint8Array(this.#addresses.length);
    for (let r = 0; r < t.size; r++) {
      if (((t.flags[r] ?? 0) & CANCELLED) !== 0) continue;
      used[t.sender[r] ?? 0] = 1;
      const off = t.partOff[r] ?? 0;
      const end = off + (t.partLen[r] ?? 0);
      for (let i = off; i < end; i++) used[t.pool[i] ?? 0] = 1;
    }
    const kept: number[] = [];
    for (let i = 0; i < used.length; i++) if (used[i] === 1) kept.push(i);
    kept.sort((a, b) => compareStrings(this.#addresses[a] ?? '', this.#addresses[b] ?? ''));
    const renumber = new Int32Array(this.#addresses.length).fill(-1);
    kept.forEach((old, i) => (renumber[old] = i));

    const rows = Array.from({ length: t.size }, (_, r) => r);
    rows.sort(
      (a, b) =>
        ((t.flags[a] ?? 0) & MEETING) - ((t.flags[b] ?? 0) & MEETING) || (t.hash[a] ?? 0) - (t.hash[b] ?? 0),
    );
    const items: PartialAggregateJSON['items'] = {
      flags: [],
      hash: [],
      time: [],
      aux: [],
      sender: [],
      partCount: [],
      parts: [],
    };
    for (const r of rows) {
      const flags = t.flags[r] ?? 0;
      const cancelled = (flags & CANCELLED) !== 0;
      items.flags.push(flags);
      items.hash.push(t.hash[r] ?? 0);
      items.time.push(t.time[r] ?? 0);
      items.aux.push(t.aux[r] ?? 0);
      items.sender.push(cancelled ? -1 : (renumber[t.sender[r] ?? 0] ?? -1));
      if (cancelled) {
        items.partCount.push(0);
        continue;
      }
      const off = t.partOff[r] ?? 0;
      const len = t.partLen[r] ?? 0;
      const parts: number[] = [];
      for (let i = off; i < off + len; i++) parts.push(renumber[t.pool[i] ?? 0] ?? -1);
      parts.sort((a, b) => a - b);
      items.partCount.push(len);
      for (const p of parts) items.parts.push(p);
    }

    const c = this.#candidates;
    const order = Array.from({ length: this.#candidateLen / 2 }, (_, i) => 2 * i);
    order.sort((a, b) => (c[a] ?? 0) - (c[b] ?? 0) || (c[a + 1] ?? 0) - (c[b + 1] ?? 0));
    const replyCandidates: number[] = [];
    for (const i of order) {
      const conv = c[i] ?? 0;
      const sent = c[i + 1] ?? 0;
      const n = replyCandidates.length;
      if (n >= 2 && replyCandidates[n - 2] === conv && replyCandidates[n - 1] === sent) continue;
      replyCandidates.push(conv, sent);
    }
    return {
      format: PARTIAL_FORMAT,
      contextKey: this.context.key,
      asOf: this.context.window.asOf,
      read: { emails: this.#readEmails, meetings: this.#readMeetings },
      addresses: kept.map((i) => this.#addresses[i] ?? ''),
      items,
      replyCandidates,
    };
  }

  /** Rebuilds a partial from its JSON form; it must belong to the same run as the context. */
  static fromJSON(json: unknown, context: EngineContext): Aggregator {
    const p = validatePartialJSON(json);
    if (p.contextKey !== context.key || p.asOf !== context.window.asOf) {
      throw new PartialFormatError(
        'the partial belongs to another run (dataset, tracked users or as-of instant)',
      );
    }
    const agg = new Aggregator(context);
    const ids = p.addresses.map((a) => {
      const id = agg.#resolve(a);
      if (id < 0)
        throw new PartialFormatError(`address ${a} is neither tracked nor an account person in this run`);
      return id;
    });
    const { flags, hash, time, aux, sender, partCount, parts } = p.items;
    let k = 0;
    for (let r = 0; r < flags.length; r++) {
      const count = partCount[r] ?? 0;
      if (agg.#scratch.length < count) agg.#scratch = new Int32Array(count * 2);
      for (let i = 0; i < count; i++) agg.#scratch[i] = ids[parts[k + i] ?? 0] ?? 0;
      k += count;
      const n = sortUnique(agg.#scratch, count);
      const s = sender[r] ?? -1;
      agg.#items.upsert(
        (flags[r] ?? 0) & (MEETING | CANCELLED),
        hash[r] ?? 0,
        time[r] ?? 0,
        aux[r] ?? 0,
        s >= 0 ? (ids[s] ?? -1) : -1,
        agg.#scratch,
        n,
      );
    }
    for (let i = 0; i < p.replyCandidates.length; i += 2) {
      agg.#pushCandidate(p.replyCandidates[i] ?? 0, p.replyCandidates[i + 1] ?? 0);
    }
    agg.#readEmails = p.read.emails;
    agg.#readMeetings = p.read.meetings;
    return agg;
  }

  footprint(): AggregatorFootprint {
    const t = this.#items;
    let slots = 0;
    for (let r = 0; r < t.size; r++) slots += t.partLen[r] ?? 0;
    return {
      items: t.size,
      addresses: this.#addresses.length,
      participantSlots: slots,
      replyCandidates: this.#candidateLen / 2,
      cachedNonMatching: this.#nonMatching.size,
      approxBytes:
        t.byteLength +
        this.#candidates.byteLength +
        this.#scratch.byteLength +
        this.#ids.byteLength +
        this.#nonMatching.byteLength,
    };
  }

  /** Read-only view used by finalisation. */
  view(): AggregateView {
    return {
      context: this.context,
      addresses: this.#addresses,
      addressUser: this.#addressUser,
      addressAccounts: this.#addressAccounts,
      items: this.#items.columns,
      replyCandidates: this.#candidates.subarray(0, this.#candidateLen),
      read: { emails: this.#readEmails, meetings: this.#readMeetings },
    };
  }
}

/** merge(a, b): a new partial holding both. Associative and commutative; inputs unchanged. */
export function mergeAggregates(a: Aggregator, b: Aggregator): Aggregator {
  return Aggregator.merge(a, b);
}
