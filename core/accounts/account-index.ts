/**
 * Finds customer accounts by what a person types: any case and punctuation, with or without a
 * legal suffix ("Contoso", "contoso ltd", "CONTOSO, Inc."), by account id, by the start of names
 * ("Northwind", "blu"), and with small typos ("contosso"). When several match, all of them come
 * back, the closest first. Built once per published run; lookups are in-memory.
 */

export interface IndexedAccount {
  id: string;
  name: string;
}

/**
 * How close a match is to what was typed, closest first: the whole name; its first words; the
 * start of a word (3 characters or more); a typo of the whole name (1, then 2 edits); a typo of
 * its beginning (1, then 2 edits).
 */
export const CLOSENESS = {
  name: 0,
  words: 1,
  start: 2,
  typo1: 3,
  typo2: 4,
  startTypo1: 5,
  startTypo2: 6,
} as const;

export type Closeness = (typeof CLOSENESS)[keyof typeof CLOSENESS];

/** An account that matches what was typed, and how closely. */
export interface MatchedAccount extends IndexedAccount {
  closeness: Closeness;
}

export type AccountMatch =
  /** One account: by id, by name, or the only one close enough; `corrected` when found by a typo. */
  | { kind: 'exact'; account: IndexedAccount; corrected: boolean }
  /** Every account that matches, the closest first (ties by name, then id). */
  | { kind: 'several'; accounts: MatchedAccount[] }
  | { kind: 'none'; suggestions: IndexedAccount[] };

/**
 * Matches of the same group are equally good answers: one account alone in the best group that
 * has any is the answer; two or more there make a choice.
 */
const GROUPS: readonly (readonly Closeness[])[] = [
  [CLOSENESS.name],
  [CLOSENESS.words, CLOSENESS.start],
  [CLOSENESS.typo1, CLOSENESS.typo2],
  [CLOSENESS.startTypo1, CLOSENESS.startTypo2],
];

/** A prefix that stops inside a word matches from this many characters on ("blu" → Blue …). */
const MIN_START_LENGTH = 3;

const LEGAL_SUFFIXES = new Set([
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'plc',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'spa',
  'srl',
  'kk',
  'pty',
  'pte',
  'group',
  'holdings',
]);

/** Lower-case words without punctuation or accents. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The comparable form of a name: its words without trailing legal suffixes, joined by spaces. */
export function normaliseName(text: string): string {
  const list = words(text);
  while (list.length > 1 && LEGAL_SUFFIXES.has(list[list.length - 1] ?? '')) list.pop();
  return list.join(' ');
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prev2 = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  let cur = new Array<number>(cols).fill(0);
  for (let i = 1; i < rows; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[cols - 1] ?? max + 1;
}

function trigrams(text: string): string[] {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return [...grams];
}

/** Typos allowed for a name of this length: none for very short names, then 1, then 2. */
function typoBudget(length: number): number {
  return length < 4 ? 0 : length < 9 ? 1 : 2;
}

/** The first index of `sorted` whose value is at or after `value`. */
function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Matches ranked for a chooser: the closest first, then the higher scored (`score` gives an
 * account's engagement score, undefined when unknown: last), then as `find` ordered them.
 */
export function rankMatches<T extends MatchedAccount>(
  matches: readonly T[],
  score: (accountId: string) => number | undefined,
): T[] {
  return matches
    .map((match, order) => ({ match, order, score: score(match.id) ?? -1 }))
    .sort((a, b) => a.match.closeness - b.match.closeness || b.score - a.score || a.order - b.order)
    .map(({ match }) => match);
}

export class AccountIndex {
  readonly #byId = new Map<string, IndexedAccount>();
  readonly #byName = new Map<string, IndexedAccount[]>();
  readonly #names: string[] = [];
  readonly #byTrigram = new Map<string, number[]>();
  /** Trigrams of each name in `#names`. */
  readonly #gramCounts: number[] = [];
  /** The distinct names in order, for prefix lookups. */
  readonly #sorted: string[];

  constructor(accounts: Iterable<IndexedAccount>) {
    // Sorted so that ties in every ranking below resolve the same whatever order the rows came in.
    const sorted = [...accounts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const account of sorted) {
      this.#byId.set(account.id.toLowerCase(), account);
      const name = normaliseName(account.name);
      let list = this.#byName.get(name);
      if (!list) {
        list = [];
        this.#byName.set(name, list);
        const index = this.#names.push(name) - 1;
        const grams = trigrams(name);
        this.#gramCounts[index] = grams.length;
        for (const gram of grams) {
          const postings = this.#byTrigram.get(gram);
          if (postings) postings.push(index);
          else this.#byTrigram.set(gram, [index]);
        }
      }
      list.push(account);
    }
    this.#sorted = [...this.#names].sort();
  }

  get size(): number {
    return this.#byId.size;
  }

  /**
   * What `query` names: an account id, a name (any case, punctuation, accents or legal suffix),
   * the start of names, or a name with small typos. `suggestions` caps the names offered when
   * nothing matches; every match is returned when several do.
   */
  find(query: string, suggestions = 5): AccountMatch {
    const byId = this.#byId.get(query.trim().toLowerCase());
    if (byId) return { kind: 'exact', account: byId, corrected: false };
    const name = normaliseName(query);
    if (!name) return { kind: 'none', suggestions: [] };
    // One account of exactly that name is the answer whatever else is close: no need to rank the rest.
    const [named, ...sameName] = this.#byName.get(name) ?? [];
    if (named && !sameName.length) return { kind: 'exact', account: named, corrected: false };

    const closeness = new Map<string, Closeness>();
    const note = (candidate: string, value: Closeness) => {
      const known = closeness.get(candidate);
      if (known === undefined || value < known) closeness.set(candidate, value);
    };
    if (this.#byName.has(name)) note(name, CLOSENESS.name);
    // Every name that starts with the query, however many: they are the best matches after the name itself.
    for (let i = lowerBound(this.#sorted, name); i < this.#sorted.length; i++) {
      const candidate = this.#sorted[i] ?? '';
      if (!candidate.startsWith(name)) break;
      if (candidate === name) continue;
      if (candidate[name.length] === ' ') note(candidate, CLOSENESS.words);
      else if (name.length >= MIN_START_LENGTH) note(candidate, CLOSENESS.start);
    }
    const scored = this.#candidates(name)
      .map((candidate) => ({ candidate, score: this.#closeness(name, candidate) }))
      .sort((x, y) => y.score - x.score || (x.candidate < y.candidate ? -1 : 1));
    const budget = typoBudget(name.length);
    if (budget > 0) {
      for (const { candidate } of scored) {
        const whole = editDistance(name, candidate, budget);
        if (whole <= budget) note(candidate, whole <= 1 ? CLOSENESS.typo1 : CLOSENESS.typo2);
        if (name.length >= 5 && candidate.length > name.length) {
          const start = editDistance(name, candidate.slice(0, name.length), budget);
          if (start <= budget) note(candidate, start <= 1 ? CLOSENESS.startTypo1 : CLOSENESS.startTypo2);
        }
      }
    }

    const matches = [...closeness.entries()]
      .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([candidate, value]) =>
        (this.#byName.get(candidate) ?? []).map((account) => ({ ...account, closeness: value })),
      );
    if (!matches.length) {
      return {
        kind: 'none',
        suggestions: scored
          .filter((s) => s.score > 0.3)
          .flatMap(({ candidate }) => this.#byName.get(candidate) ?? [])
          .slice(0, suggestions),
      };
    }
    const best = GROUPS.map((group) => matches.filter((m) => group.includes(m.closeness))).find(
      (group) => group.length > 0,
    );
    const only = best?.length === 1 ? best[0] : undefined;
    if (only) {
      return {
        kind: 'exact',
        account: { id: only.id, name: only.name },
        corrected: only.closeness >= CLOSENESS.typo1,
      };
    }
    return { kind: 'several', accounts: matches };
  }

  /**
   * Names sharing enough trigrams with the query to be worth comparing, the most similar (Dice)
   * first: a short name one letter off comes before long names that merely contain the query.
   */
  #candidates(name: string): string[] {
    const grams = trigrams(name);
    const hits = new Map<number, number>();
    for (const gram of grams) {
      for (const index of this.#byTrigram.get(gram) ?? []) hits.set(index, (hits.get(index) ?? 0) + 1);
    }
    const needed = Math.max(1, Math.floor(grams.length * 0.3));
    return [...hits.entries()]
      .filter(([, count]) => count >= needed)
      .map(([index, count]) => [index, count / (grams.length + (this.#gramCounts[index] ?? 0))] as const)
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, 200)
      .map(([index]) => this.#names[index] ?? '');
  }

  /** Trigram similarity (Dice coefficient), 0..1. */
  #closeness(a: string, b: string): number {
    const ga = new Set(trigrams(a));
    const gb = trigrams(b);
    let shared = 0;
    for (const g of gb) if (ga.has(g)) shared++;
    return (2 * shared) / (ga.size + gb.length);
  }
}
