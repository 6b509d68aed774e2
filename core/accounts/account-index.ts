/**
 * Finds customer accounts by what a person types: any case and punctuation, with or without a
 * legal suffix ("Contoso", "contoso ltd", "CONTOSO, Inc."), by account id, by a unique prefix,
 * and with small typos ("contosso"). Built once per published run; lookups are in-memory.
 */

export interface IndexedAccount {
  id: string;
  name: string;
}

export type AccountMatch =
  | { kind: 'exact'; account: IndexedAccount }
  | { kind: 'several'; accounts: IndexedAccount[] }
  | { kind: 'none'; suggestions: IndexedAccount[] };

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

export class AccountIndex {
  readonly #byId = new Map<string, IndexedAccount>();
  readonly #byName = new Map<string, IndexedAccount[]>();
  readonly #names: string[] = [];
  readonly #byTrigram = new Map<string, number[]>();

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
        for (const gram of trigrams(name)) {
          const postings = this.#byTrigram.get(gram);
          if (postings) postings.push(index);
          else this.#byTrigram.set(gram, [index]);
        }
      }
      list.push(account);
    }
  }

  get size(): number {
    return this.#byId.size;
  }

  find(query: string, limit = 5): AccountMatch {
    const byId = this.#byId.get(query.trim().toLowerCase());
    if (byId) return { kind: 'exact', account: byId };
    const name = normaliseName(query);
    if (!name) return { kind: 'none', suggestions: [] };

    const exact = this.#byName.get(name);
    if (exact?.length === 1 && exact[0]) return { kind: 'exact', account: exact[0] };
    if (exact && exact.length > 1) return { kind: 'several', accounts: exact.slice(0, limit) };

    const scored = this.#candidates(name)
      .map((candidate) => ({ candidate, score: this.#closeness(name, candidate) }))
      .sort((x, y) => y.score - x.score || (x.candidate < y.candidate ? -1 : 1));

    const budget = typoBudget(name.length);
    const close = scored.filter(
      ({ candidate }) =>
        candidate.startsWith(`${name} `) ||
        (budget > 0 && editDistance(name, candidate, budget) <= budget) ||
        (budget > 0 &&
          editDistance(name, candidate.slice(0, name.length), budget) <= budget &&
          name.length >= 5),
    );
    const accountsOf = (names: { candidate: string }[]) =>
      names.flatMap(({ candidate }) => this.#byName.get(candidate) ?? []).slice(0, limit);
    if (close.length === 1) {
      const only = accountsOf(close);
      if (only.length === 1 && only[0]) return { kind: 'exact', account: only[0] };
      return { kind: 'several', accounts: only };
    }
    if (close.length > 1) return { kind: 'several', accounts: accountsOf(close) };
    return { kind: 'none', suggestions: accountsOf(scored.filter((s) => s.score > 0.3)) };
  }

  /** Names sharing enough trigrams with the query to be worth comparing. */
  #candidates(name: string): string[] {
    const grams = trigrams(name);
    const hits = new Map<number, number>();
    for (const gram of grams) {
      for (const index of this.#byTrigram.get(gram) ?? []) hits.set(index, (hits.get(index) ?? 0) + 1);
    }
    const needed = Math.max(1, Math.floor(grams.length * 0.3));
    return [...hits.entries()]
      .filter(([, count]) => count >= needed)
      .sort((x, y) => y[1] - x[1])
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
