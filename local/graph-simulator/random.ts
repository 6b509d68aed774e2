/**
 * Deterministic pseudo-random numbers and identifiers. Everything the generator produces is derived
 * from a seed and a stream key, so any part of a tenant can be regenerated on its own.
 */

/** 53-bit string hash (cyrb53). */
export function hashString(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The key of a stream: its parts joined unambiguously. */
export function streamKey(parts: readonly (string | number)[]): string {
  return parts.map((p) => String(p)).join('\u001f');
}

/** Small fast generator (sfc32) seeded from a string key. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(key: string) {
    const h1 = hashString(key, 1);
    const h2 = hashString(key, 2);
    this.a = h1 >>> 0;
    this.b = Math.floor(h1 / 4294967296) >>> 0;
    this.c = h2 >>> 0;
    this.d = Math.floor(h2 / 4294967296) >>> 0 || 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson-distributed count (Knuth for small means, normal approximation above). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > limit);
    return k - 1;
  }

  /** Distinct picks, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }
}

/** A generator for one named stream of a seeded tenant. */
export function streamRandom(...parts: (string | number)[]): Random {
  return new Random(streamKey(parts));
}

/** Hex string of the requested length derived from the key (two hash passes, then a mixer). */
export function hexDigest(key: string, length: number): string {
  const h1 = hashString(key, 7919);
  const h2 = hashString(key, 104729);
  let a = h1 >>> 0;
  let b = Math.floor(h1 / 4294967296) >>> 0;
  let c = h2 >>> 0;
  let d = Math.floor(h2 / 4294967296) >>> 0;
  let out = '';
  while (out.length < length) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    out += (t >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Bytes mixed from two 53-bit hashes, without hashing text again: for identifiers of items whose
 * parts are already hashed (a message's key and its mailbox owner).
 */
export function mixBytes(a: number, b: number, length: number): Buffer {
  const aLo = a >>> 0;
  const aHi = Math.floor(a / 4294967296) >>> 0;
  const bLo = b >>> 0;
  const bHi = Math.floor(b / 4294967296) >>> 0;
  const words = Math.ceil(length / 4);
  const out = Buffer.allocUnsafe(words * 4);
  for (let i = 0; i < words; i++) {
    const word = fmix32(
      (aLo + Math.imul(i, 0x9e3779b9)) ^
        fmix32(aHi ^ Math.imul(i + 1, 0x85ebca6b)) ^
        fmix32(bLo + i) ^
        fmix32(bHi ^ Math.imul(i + 7, 0x27d4eb2d)),
    );
    out.writeUInt32BE(word, i * 4);
  }
  return out.subarray(0, length);
}

/** A GUID-shaped identifier (version 4 layout) derived from the key. */
export function deterministicGuid(...parts: (string | number)[]): string {
  const h = hexDigest(streamKey(parts), 32);
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** URL-safe base64 of a hex digest, for Exchange-looking item identifiers. */
export function base64Digest(key: string, bytes: number): string {
  return Buffer.from(hexDigest(key, bytes * 2), 'hex').toString('base64url');
}
