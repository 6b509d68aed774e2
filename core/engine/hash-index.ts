/**
 * An open-addressing map from 53-bit hashes (non-negative safe integers) to non-negative int32
 * values, in two typed arrays: 12 bytes per slot at most 50% load, no per-entry objects.
 */
export class HashIndex {
  #keys: Float64Array;
  #values: Int32Array;
  #mask: number;
  #size = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.#keys = new Float64Array(cap).fill(-1);
    this.#values = new Int32Array(cap);
    this.#mask = cap - 1;
  }

  get size(): number {
    return this.#size;
  }

  get byteLength(): number {
    return this.#keys.byteLength + this.#values.byteLength;
  }

  /** The value stored for key, or -1 (always -1 for a negative key). */
  get(key: number): number {
    if (key < 0) return -1;
    const keys = this.#keys;
    const mask = this.#mask;
    for (let i = (key >>> 0) & mask; ; i = (i + 1) & mask) {
      const k = keys[i] ?? -1;
      if (k === key) return this.#values[i] ?? -1;
      if (k === -1) return -1;
    }
  }

  /** Stores value for key (replacing any previous value). The key must be a non-negative safe integer. */
  set(key: number, value: number): void {
    if (!(key >= 0)) throw new RangeError(`hash keys must be non-negative, got ${key}`);
    if ((this.#size + 1) * 2 > this.#keys.length) this.#grow();
    const keys = this.#keys;
    const mask = this.#mask;
    for (let i = (key >>> 0) & mask; ; i = (i + 1) & mask) {
      const k = keys[i] ?? -1;
      if (k === key) {
        this.#values[i] = value;
        return;
      }
      if (k === -1) {
        keys[i] = key;
        this.#values[i] = value;
        this.#size++;
        return;
      }
    }
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    const cap = oldKeys.length * 2;
    const keys = new Float64Array(cap).fill(-1);
    const values = new Int32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const key = oldKeys[j] ?? -1;
      if (key === -1) continue;
      let i = (key >>> 0) & mask;
      while (keys[i] !== -1) i = (i + 1) & mask;
      keys[i] = key;
      values[i] = oldValues[j] ?? 0;
    }
    this.#keys = keys;
    this.#values = values;
    this.#mask = mask;
  }
}
