/**
 * The plain-JSON form of a partial aggregate, so partials can cross process boundaries.
 * It is canonical: two partials holding the same information serialise to deep-equal JSON,
 * whatever order their activities and merges happened in.
 */
export const PARTIAL_FORMAT = 'account-engagement/partial@1';

export interface PartialAggregateJSON {
  format: typeof PARTIAL_FORMAT;
  /** EngineContext.key of the run the partial belongs to. */
  contextKey: number;
  /** T, epoch ms. */
  asOf: number;
  /** Activities read (copies, before deduplication), for progress and run statistics. */
  read: { emails: number; meetings: number };
  /** Relevant addresses referenced by items (tracked users and account persons), sorted. */
  addresses: string[];
  /** Counted items (and cancelled-meeting markers), columns sorted by (kind, hash). */
  items: {
    flags: number[];
    hash: number[];
    time: number[];
    /** Emails: conversation hash or -1. Meetings: end instant. */
    aux: number[];
    /** Index into addresses, or -1 (cancelled meetings). */
    sender: number[];
    /** Number of participants of each item; their address indices follow one another in parts. */
    partCount: number[];
    parts: number[];
  };
  /** Reply candidates that count for no account: flat [conversationHash, sent] pairs, sorted, unique. */
  replyCandidates: number[];
}

export class PartialFormatError extends Error {
  override readonly name = 'PartialFormatError';
}

function numbers(value: unknown, name: string, integer: boolean): number[] {
  if (!Array.isArray(value)) throw new PartialFormatError(`${name} must be an array`);
  for (const v of value as unknown[]) {
    if (typeof v !== 'number' || !(integer ? Number.isSafeInteger(v) : Number.isFinite(v))) {
      throw new PartialFormatError(`${name} must hold ${integer ? 'integers' : 'finite numbers'}`);
    }
  }
  return value as number[];
}

/** Structural validation of untrusted JSON; returns it typed or throws PartialFormatError. */
export function validatePartialJSON(value: unknown): PartialAggregateJSON {
  if (typeof value !== 'object' || value === null) throw new PartialFormatError('partial must be an object');
  const v = value as Record<string, unknown>;
  if (v.format !== PARTIAL_FORMAT) throw new PartialFormatError(`partial format must be ${PARTIAL_FORMAT}`);
  if (typeof v.contextKey !== 'number' || typeof v.asOf !== 'number') {
    throw new PartialFormatError('partial must carry contextKey and asOf');
  }
  const read = v.read as Record<string, unknown> | null | undefined;
  if (typeof read?.emails !== 'number' || typeof read.meetings !== 'number') {
    throw new PartialFormatError('partial must carry read counts');
  }
  if (!Array.isArray(v.addresses) || !(v.addresses as unknown[]).every((a) => typeof a === 'string')) {
    throw new PartialFormatError('addresses must be an array of strings');
  }
  const items = v.items as Record<string, unknown> | null | undefined;
  if (typeof items !== 'object' || items === null) throw new PartialFormatError('items must be an object');
  const flags = numbers(items.flags, 'items.flags', true);
  const n = flags.length;
  const cols = [
    numbers(items.hash, 'items.hash', true),
    numbers(items.time, 'items.time', false),
    numbers(items.aux, 'items.aux', false),
    numbers(items.sender, 'items.sender', true),
    numbers(items.partCount, 'items.partCount', true),
  ];
  if (cols.some((c) => c.length !== n)) throw new PartialFormatError('item columns must have equal lengths');
  const parts = numbers(items.parts, 'items.parts', true);
  const addressCount = (v.addresses as unknown[]).length;
  let total = 0;
  for (const c of cols[4] ?? []) total += c;
  if (total !== parts.length) throw new PartialFormatError('items.partCount must add up to items.parts');
  for (const p of parts)
    if (p < 0 || p >= addressCount) throw new PartialFormatError('part index out of range');
  for (const s of cols[3] ?? [])
    if (s < -1 || s >= addressCount) throw new PartialFormatError('sender out of range');
  for (const h of cols[0] ?? []) if (h < 0) throw new PartialFormatError('item hashes must be non-negative');
  const candidates = numbers(v.replyCandidates, 'replyCandidates', false);
  if (candidates.length % 2 !== 0) throw new PartialFormatError('replyCandidates must hold pairs');
  return value as PartialAggregateJSON;
}
