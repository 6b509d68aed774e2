import { HashIndex } from './hash-index.ts';
import { MEETING, type ItemColumns } from './item-table.ts';

import { FROM_ACCOUNT, TO_ACCOUNT } from './score.ts';

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

  // Every email conversation gets an id in one pass over the items; only those that hold a
  // From-account email matter, and they are numbered again densely.
  const nCandidates = candidates.length / 2;
  const ids = new HashIndex();
  const convOf = new Int32Array(items.size + nCandidates);
  // Ids are handed out in order, at most one per item.
  const hasFrom = new Uint8Array(items.size);
  for (let r = 0; r < items.size; r++) {
    const conv = items.aux[r] ?? -1;
    if (((items.flags[r] ?? 0) & MEETING) !== 0 || conv < 0) {
      convOf[r] = -1;
      continue;
    }
    const c = ids.intern(conv);
    convOf[r] = c;
    if (hasFrom[c] === 1) continue;
    const s = pairs.start[r] ?? -1;
    const e = pairs.end[r] ?? s;
    for (let j = s; j >= 0 && j < e; j++) {
      if (((pairs.dir[j] ?? 0) & FROM_ACCOUNT) !== 0) {
        hasFrom[c] = 1;
        break;
      }
    }
  }
  const dense = new Int32Array(ids.size);
  let nConv = 0;
  for (let c = 0; c < ids.size; c++) dense[c] = hasFrom[c] === 1 ? nConv++ : -1;
  if (nConv === 0) return out;

  // Bucket the entries (item rows, or -1 for kept candidates) by conversation: counting sort.
  const offsets = new Int32Array(nConv + 1);
  for (let r = 0; r < items.size; r++) {
    const id = convOf[r] ?? -1;
    const c = id >= 0 ? (dense[id] ?? -1) : -1;
    convOf[r] = c;
    if (c >= 0) offsets[c + 1] = (offsets[c + 1] ?? 0) + 1;
  }
  for (let i = 0; i < nCandidates; i++) {
    const id = ids.get(candidates[2 * i] ?? -1);
    const c = id >= 0 ? (dense[id] ?? -1) : -1;
    convOf[items.size + i] = c;
    if (c >= 0) offsets[c + 1] = (offsets[c + 1] ?? 0) + 1;
  }
  for (let c = 0; c < nConv; c++) offsets[c + 1] = (offsets[c + 1] ?? 0) + (offsets[c] ?? 0);
  const total = offsets[nConv] ?? 0;
  const time = new Float64Array(total);
  const row = new Int32Array(total);
  const fill = offsets.slice(0, nConv);
  for (let r = 0; r < items.size; r++) {
    const c = convOf[r] ?? -1;
    if (c < 0) continue;
    const k = fill[c] ?? 0;
    fill[c] = k + 1;
    time[k] = items.time[r] ?? 0;
    row[k] = (pairs.start[r] ?? -1) >= 0 ? r : -1;
  }
  for (let i = 0; i < nCandidates; i++) {
    const c = convOf[items.size + i] ?? -1;
    if (c < 0) continue;
    const k = fill[c] ?? 0;
    fill[c] = k + 1;
    time[k] = candidates[2 * i + 1] ?? 0;
    row[k] = -1;
  }

  for (let c = 0; c < nConv; c++) {
    const from = offsets[c] ?? 0;
    const to = offsets[c + 1] ?? 0;
    sortByTime(time, row, from, to);
    let prevStart = -1;
    let prevEnd = -1;
    let prevTime = NaN;
    // Walk groups of equal instants; each group is compared with the one before it.
    for (let i = from; i < to;) {
      const t = time[i] ?? 0;
      let g = i;
      while (g < to && time[g] === t) g++;
      for (let k = i; k < g && prevStart >= 0; k++) {
        const e = row[k] ?? -1;
        if (e < 0) continue;
        const s = pairs.start[e] ?? -1;
        const end = pairs.end[e] ?? s;
        for (let j = s; j < end; j++) {
          if (((pairs.dir[j] ?? 0) & FROM_ACCOUNT) === 0) continue;
          const account = pairs.account[j] ?? -1;
          for (let q = prevStart; q < prevEnd; q++) {
            const p = row[q] ?? -1;
            if (p >= 0 && hasPair(pairs, p, account, TO_ACCOUNT)) {
              out[j] = t - prevTime;
              break;
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

/** Sorts time[from..to) ascending, moving row along (insertion sort: conversations are short). */
function sortByTime(time: Float64Array, row: Int32Array, from: number, to: number): void {
  if (to - from > 64) {
    const idx = Array.from({ length: to - from }, (_, i) => from + i);
    idx.sort((a, b) => (time[a] ?? 0) - (time[b] ?? 0));
    const t = idx.map((i) => time[i] ?? 0);
    const r = idx.map((i) => row[i] ?? 0);
    time.set(t, from);
    row.set(r, from);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const tv = time[i] ?? 0;
    const rv = row[i] ?? 0;
    let j = i - 1;
    while (j >= from && (time[j] ?? 0) > tv) {
      time[j + 1] = time[j] ?? 0;
      row[j + 1] = row[j] ?? 0;
      j--;
    }
    time[j + 1] = tv;
    row[j + 1] = rv;
  }
}
