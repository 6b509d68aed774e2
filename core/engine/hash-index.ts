/**
 * An open-addressing map from 53-bit hashes (non-negative safe integers) to non-negative int32
 * values. Key and value share one Float64Array slot pair, so a lookup usually touches one cache
 * line; at most 50% load, 16 bytes per slot, no per-entry objects.
 */
export class HashIndex {
  #slots: Float64Array;
  #mask: number;
  #size = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.#slots = new Float64Array(cap * 2).fill(-1);
    this.#mask = cap - 1;
  }

  get size(): number {
    return this.#size;
  }

  get byteLength(): number {
    return this.#slots.byteLength;
  }

  /** The value stored for key, or -1 (always -1 for a negative key). */
  get(key: number): number {
    if (key < 0) return -1;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = (key >>> 0) & mask; ; i = (i + 1) & mask) {
      const k = slots[2 * i] ?? -1;
      if (k === key) return slots[2 * i + 1] ?? -1;
      if (k === -1) return -1;
    }
  }

  /** Stores value for key (replacing any previous value). The key must be a non-negative safe integer. */
  set(key: number, value: number): void {
    const at = this.#slotFor(key);
    if (this.#slots[at] === -1) this.#claim(at, key);
    this.#slots[at + 1] = value;
  }

  /** The value stored for key; when there is none, stores and returns the number of keys before it. */
  intern(key: number): number {
    const at = this.#slotFor(key);
    if (this.#slots[at] !== -1) return this.#slots[at + 1] ?? -1;
    const value = this.#size;
    this.#claim(at, key);
    this.#slots[at + 1] = value;
    return value;
  }

  /** Where key's pair is, or the empty pair it would take (after growing, so there is room). */
  #slotFor(key: number): number {
    if (!(key >= 0)) throw new RangeError(`hash keys must be non-negative, got ${key}`);
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#grow();
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = (key >>> 0) & mask; ; i = (i + 1) & mask) {
      const k = slots[2 * i] ?? -1;
      if (k === key || k === -1) return 2 * i;
    }
  }

  #claim(at: number, key: number): void {
    this.#slots[at] = key;
    this.#size++;
  }

  #grow(): void {
    const old = this.#slots;
    const cap = (this.#mask + 1) * 2;
    const slots = new Float64Array(cap * 2).fill(-1);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const key = old[j] ?? -1;
      if (key === -1) continue;
      let i = (key >>> 0) & mask;
      while (slots[2 * i] !== -1) i = (i + 1) & mask;
      slots[2 * i] = key;
      slots[2 * i + 1] = old[j + 1] ?? 0;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}
