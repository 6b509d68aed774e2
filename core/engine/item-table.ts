import { HashIndex } from './hash-index.ts';

/** Item flags. */
export const MEETING = 1;
export const CANCELLED = 2;

function grownFloat64(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}
function grownInt32(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
function grownUint32(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}
function grownUint8(a: Uint8Array, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(a);
  return b;
}

/** Read access to the columns (valid for rows 0..size-1 until the next write). */
export interface ItemColumns {
  readonly size: number;
  readonly flags: Uint8Array;
  readonly hash: Float64Array;
  readonly time: Float64Array;
  /** Emails: conversation hash or -1. Meetings: end instant. */
  readonly aux: Float64Array;
  readonly sender: Int32Array;
  readonly partOff: Uint32Array;
  readonly partLen: Uint32Array;
  readonly pool: Int32Array;
}

/**
 * The counted emails and meetings of a partial aggregate, one row per distinct item (deduplicated by
 * the 53-bit hash of internetMessageId / iCalUId), as columns of typed arrays. Participants are the
 * sorted local ids of the relevant addresses (tracked users and account persons) in a shared pool.
 *
 * Merging the same item seen again (another mailbox's copy) is a join: flags are OR-ed, the
 * participant lists are united, emails keep the earliest sent instant, meetings the earliest
 * (start, end) pair, so the result does not depend on the order copies arrive in.
 */
export class ItemTable {
  size = 0;
  flags: Uint8Array = new Uint8Array(64);
  hash: Float64Array = new Float64Array(64);
  time: Float64Array = new Float64Array(64);
  aux: Float64Array = new Float64Array(64);
  sender: Int32Array = new Int32Array(64);
  partOff: Uint32Array = new Uint32Array(64);
  partLen: Uint32Array = new Uint32Array(64);
  pool: Int32Array = new Int32Array(256);
  poolLen = 0;
  #garbage = 0;
  readonly #emails = new HashIndex();
  readonly #meetings = new HashIndex();
  readonly #senderOrder: (a: number, b: number) => number;

  /** senderOrder decides, deterministically, between two different senders of one item. */
  constructor(senderOrder: (a: number, b: number) => number) {
    this.#senderOrder = senderOrder;
  }

  get columns(): ItemColumns {
    return this;
  }

  /** Approximate bytes held (columns, pool and hash index). */
  get byteLength(): number {
    return (
      this.flags.byteLength +
      this.hash.byteLength +
      this.time.byteLength +
      this.aux.byteLength +
      this.sender.byteLength +
      this.partOff.byteLength +
      this.partLen.byteLength +
      this.pool.byteLength +
      this.#emails.byteLength +
      this.#meetings.byteLength
    );
  }

  /** Row of an item, or -1. */
  find(meeting: boolean, hash: number): number {
    return (meeting ? this.#meetings : this.#emails).get(hash);
  }

  /**
   * Adds one copy of an item. parts[0..n) must be sorted ascending without duplicates.
   * Returns the row.
   */
  upsert(
    flags: number,
    hash: number,
    time: number,
    aux: number,
    sender: number,
    parts: Int32Array,
    n: number,
  ): number {
    const meeting = (flags & MEETING) !== 0;
    const index = meeting ? this.#meetings : this.#emails;
    const row = index.get(hash);
    if (row < 0) {
      const r = this.#appendRow(flags, hash, time, aux, sender);
      if (n > 0) {
        const off = this.#reserve(n);
        const pool = this.pool;
        for (let i = 0; i < n; i++) pool[off + i] = parts[i] ?? 0;
        this.partOff[r] = off;
        this.partLen[r] = n;
      }
      index.set(hash, r);
      return r;
    }
    const f = (this.flags[row] ?? 0) | flags;
    this.flags[row] = f;
    const t = this.time[row] ?? time;
    const a = this.aux[row] ?? aux;
    if (meeting) {
      if (time < t || (time === t && aux < a)) {
        this.time[row] = time;
        this.aux[row] = aux;
      }
    } else {
      if (time < t) this.time[row] = time;
      if (aux > a) this.aux[row] = aux;
    }
    const s = this.sender[row] ?? -1;
    if (s !== sender && (s < 0 || (sender >= 0 && this.#senderOrder(sender, s) < 0)))
      this.sender[row] = sender;
    if ((f & CANCELLED) === 0 && n > 0) this.#uniteParts(row, parts, n);
    return row;
  }

  #appendRow(flags: number, hash: number, time: number, aux: number, sender: number): number {
    const r = this.size;
    if (r === this.flags.length) {
      const cap = r * 2;
      this.flags = grownUint8(this.flags, cap);
      this.hash = grownFloat64(this.hash, cap);
      this.time = grownFloat64(this.time, cap);
      this.aux = grownFloat64(this.aux, cap);
      this.sender = grownInt32(this.sender, cap);
      this.partOff = grownUint32(this.partOff, cap);
      this.partLen = grownUint32(this.partLen, cap);
    }
    this.flags[r] = flags;
    this.hash[r] = hash;
    this.time[r] = time;
    this.aux[r] = aux;
    this.sender[r] = sender;
    this.partOff[r] = 0;
    this.partLen[r] = 0;
    this.size = r + 1;
    return r;
  }

  #uniteParts(row: number, parts: Int32Array, n: number): void {
    const off = this.partOff[row] ?? 0;
    const len = this.partLen[row] ?? 0;
    let missing = 0;
    for (let i = 0, j = 0; i < n; i++) {
      const p = parts[i] ?? 0;
      while (j < len && (this.pool[off + j] ?? 0) < p) j++;
      if (j >= len || this.pool[off + j] !== p) missing++;
    }
    if (missing === 0) return;
    const size = len + missing;
    const at = this.#reserve(size);
    const pool = this.pool;
    const from = this.partOff[row] ?? 0; // #reserve may have compacted the pool
    let i = 0;
    let j = 0;
    let k = at;
    while (i < n || j < len) {
      const p = i < n ? (parts[i] ?? 0) : Infinity;
      const q = j < len ? (pool[from + j] ?? 0) : Infinity;
      if (p < q) {
        pool[k++] = p;
        i++;
      } else {
        if (p === q) i++;
        pool[k++] = q;
        j++;
      }
    }
    this.#garbage += len;
    this.partOff[row] = at;
    this.partLen[row] = size;
  }

  /** Room for n more pool entries; returns their offset. */
  #reserve(n: number): number {
    if (this.poolLen + n > this.pool.length) {
      if (this.#garbage * 2 > this.poolLen) this.#compact();
      if (this.poolLen + n > this.pool.length) {
        let cap = this.pool.length * 2;
        while (cap < this.poolLen + n) cap *= 2;
        this.pool = grownInt32(this.pool, cap);
      }
    }
    const at = this.poolLen;
    this.poolLen += n;
    return at;
  }

  #compact(): void {
    const pool = new Int32Array(this.pool.length);
    let k = 0;
    for (let r = 0; r < this.size; r++) {
      const off = this.partOff[r] ?? 0;
      const len = this.partLen[r] ?? 0;
      pool.set(this.pool.subarray(off, off + len), k);
      this.partOff[r] = k;
      k += len;
    }
    this.pool = pool;
    this.poolLen = k;
    this.#garbage = 0;
  }
}
