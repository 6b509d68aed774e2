import { MEETING, type ItemColumns } from './item-table.ts';

export const TO_ACCOUNT = 1;
export const FROM_ACCOUNT = 2;

/** The (item, account, direction) pairs of the counted items, grouped by item. */
export interface ItemPairs {
  /** Per item row: first pair index, or -1 when the item counts for no account. */
  readonly start: Int32Array;
  /** Per item row: one past its last pair index. */
  readonly end: Int32Array;
  readonly account: Int32Array;
  /** TO_ACCOUNT | FROM_ACCOUNT bits. */
  readonly dir: Uint8Array;
  readonly count: number;
}

function hasPair(pairs: ItemPairs, row: number, account: number, bit: number): boolean {
  const s = pairs.start[row] ?? -1;
  if (s < 0) return false;
  const e = pairs.end[row] ?? s;
  for (let j = s; j < e; j++)
    if (pairs.account[j] === account && ((pairs.dir[j] ?? 0) & bit) !== 0) return true;
  return false;
}

/**
 * Reply time of every From-account pair, in ms (NaN when none):
 * for a From-account email e of account A, p = the latest email of e's conversation sent strictly
 * before e among the reply candidates (every deduplicated, non-draft, in-window email of the
 * tracked mailboxes with that conversation: counted items and the kept non-counted ones, internal
 * emails included). When several emails share that latest instant, the pair is made if one of them
 * is a To-account email of A. If p is a To-account email of A, the reply time is e.sent − p.sent.
 */
export function replyTimes(items: ItemColumns, candidates: Float64Array, pairs: ItemPairs): Float64Array {
  const out = new Float64Array(pairs.count).fill(NaN);
  const relevant = new Set<number>();
  for (let r = 0; r < items.size; r++) {
    if (((items.flags[r] ?? 0) & MEETING) !== 0) continue;
    const conv = items.aux[r] ?? -1;
    if (conv < 0) continue;
    const s = pairs.start[r] ?? -1;
    if (s < 0) continue;
    const e = pairs.end[r] ?? s;
    for (let j = s; j < e; j++) {
      if (((pairs.dir[j] ?? 0) & FROM_ACCOUNT) !== 0) {
        relevant.add(conv);
        break;
      }
    }
  }
  if (relevant.size === 0) return out;

  // Entries of the relevant conversations: item rows (>= 0) and kept candidates (-1).
  const conv: number[] = [];
  const time: number[] = [];
  const row: number[] = [];
  for (let r = 0; r < items.size; r++) {
    if (((items.flags[r] ?? 0) & MEETING) !== 0) continue;
    const c = items.aux[r] ?? -1;
    if (c < 0 || !relevant.has(c)) continue;
    conv.push(c);
    time.push(items.time[r] ?? 0);
    row.push((pairs.start[r] ?? -1) >= 0 ? r : -1);
  }
  for (let i = 0; i < candidates.length; i += 2) {
    const c = candidates[i] ?? -1;
    if (!relevant.has(c)) continue;
    conv.push(c);
    time.push(candidates[i + 1] ?? 0);
    row.push(-1);
  }
  const order = Array.from({ length: conv.length }, (_, i) => i);
  order.sort((a, b) => (conv[a] ?? 0) - (conv[b] ?? 0) || (time[a] ?? 0) - (time[b] ?? 0));

  let i = 0;
  while (i < order.length) {
    const c = conv[order[i] ?? 0];
    let prevStart = -1;
    let prevEnd = -1;
    let prevTime = NaN;
    // One conversation: walk groups of equal instants.
    while (i < order.length && conv[order[i] ?? 0] === c) {
      const t = time[order[i] ?? 0] ?? 0;
      let g = i;
      while (g < order.length && conv[order[g] ?? 0] === c && time[order[g] ?? 0] === t) g++;
      if (prevStart >= 0) {
        for (let k = i; k < g; k++) {
          const e = row[order[k] ?? 0] ?? -1;
          if (e < 0) continue;
          const s = pairs.start[e] ?? -1;
          const end = pairs.end[e] ?? s;
          for (let j = s; j < end; j++) {
            if (((pairs.dir[j] ?? 0) & FROM_ACCOUNT) === 0) continue;
            const account = pairs.account[j] ?? -1;
            for (let q = prevStart; q < prevEnd; q++) {
              const p = row[order[q] ?? 0] ?? -1;
              if (p >= 0 && hasPair(pairs, p, account, TO_ACCOUNT)) {
                out[j] = t - prevTime;
                break;
              }
            }
          }
        }
      }
      prevStart = i;
      prevEnd = g;
      prevTime = t;
      i = g;
    }
  }
  return out;
}
