/**
 * Advanced queries on directory objects (aad-advanced-queries.md): what needs the
 * `ConsistencyLevel: eventual` header and `$count=true`, Graph's refusal without them, and `$search`
 * with its clause syntax and tokenized matching (search-query-parameter.md, "Using $search on
 * directory object collections").
 */
import { badRequest, type SimRequest } from './graph-http';
import { queryOption, type FilterNode } from './odata-query';

/** The `ConsistencyLevel: eventual` header. */
export function hasEventualConsistency(request: SimRequest): boolean {
  return request.headers['consistencylevel']?.trim().toLowerCase() === 'eventual';
}

function countsTrue(request: SimRequest): boolean {
  return queryOption(request.query, 'count')?.trim().toLowerCase() === 'true';
}

/** Both advanced query parameters: the header and `$count=true`. */
export function isAdvancedQuery(request: SimRequest): boolean {
  return hasEventualConsistency(request) && countsTrue(request);
}

/**
 * Refuses `feature` unless the request is an advanced query, in the words Graph uses for an
 * operator that needs the advanced query parameters (aad-advanced-queries.md, "Error handling").
 */
export function requireAdvancedQuery(request: SimRequest, feature: string): void {
  if (isAdvancedQuery(request)) return;
  throw badRequest(
    'Request_UnsupportedQuery',
    `${feature} is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}

/**
 * `$search` on a directory collection: without the header, the refusal the advanced-queries page
 * shows word for word; without `$count=true`, the refusal of any advanced-only query, since the
 * List users, List groups, List members and List transitive members pages require both with
 * `$search` (the advanced-queries page itself exempts `$search` from `$count`: the stricter reading).
 */
export function requireSearchHeaders(request: SimRequest): void {
  if (!hasEventualConsistency(request)) {
    throw badRequest(
      'Request_UnsupportedQuery',
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  }
  requireAdvancedQuery(request, '$search');
}

/** The operator of a `$filter` that only advanced queries support (`ne`, `not`), if any. */
export function advancedOnlyOperator(node: FilterNode): string | undefined {
  switch (node.type) {
    case 'and':
    case 'or':
      return advancedOnlyOperator(node.left) ?? advancedOnlyOperator(node.right);
    case 'not':
      return 'not';
    case 'compare':
      return node.op === 'ne' ? 'ne' : undefined;
    default:
      return undefined;
  }
}

// ---- $search ----

export type SearchNode =
  | { type: 'clause'; property: string; text: string }
  | { type: 'and' | 'or'; left: SearchNode; right: SearchNode };

type SearchToken = { t: 'clause'; v: string } | { t: 'word'; v: string } | { t: 'paren'; v: '(' | ')' };

function invalidSearch(expression: string, detail: string): Error {
  return badRequest('Request_UnsupportedQuery', `Invalid $search query: ${detail} in '${expression}'.`);
}

function searchTokensOf(expression: string): SearchToken[] {
  const tokens: SearchToken[] = [];
  let i = 0;
  while (i < expression.length) {
    const ch = expression.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ t: 'paren', v: ch });
      i++;
    } else if (ch === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= expression.length) throw invalidSearch(expression, 'a clause is not closed with "');
        const c = expression.charAt(i);
        if (c === '\\' && i + 1 < expression.length) {
          value += expression.charAt(i + 1);
          i += 2;
          continue;
        }
        if (c === '"') {
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ t: 'clause', v: value });
    } else {
      let word = '';
      while (i < expression.length && !/[\s()"]/.test(expression.charAt(i))) {
        word += expression.charAt(i);
        i++;
      }
      tokens.push({ t: 'word', v: word });
    }
  }
  return tokens;
}

/**
 * `"property:text"` clauses joined by upper-case AND and OR outside the quotes, with parentheses;
 * inside a clause a backslash escapes a double quote or a backslash.
 */
export function parseSearch(expression: string): SearchNode {
  const tokens = searchTokensOf(expression);
  let pos = 0;
  const primary = (): SearchNode => {
    const token = tokens[pos];
    if (token === undefined) throw invalidSearch(expression, 'the expression ends too early');
    if (token.t === 'paren' && token.v === '(') {
      pos++;
      const inner = orExpr();
      const close = tokens[pos];
      if (close?.t !== 'paren' || close.v !== ')') throw invalidSearch(expression, "expected ')'");
      pos++;
      return inner;
    }
    if (token.t !== 'clause') {
      throw invalidSearch(expression, `expected a clause in double quotes, not '${token.v}'`);
    }
    pos++;
    const colon = token.v.indexOf(':');
    if (colon <= 0) throw invalidSearch(expression, `"${token.v}" does not name a property`);
    return { type: 'clause', property: token.v.slice(0, colon).trim(), text: token.v.slice(colon + 1) };
  };
  const operator = (): string | undefined => {
    const token = tokens[pos];
    if (token?.t !== 'word') return undefined;
    if (token.v !== 'AND' && token.v !== 'OR') {
      throw invalidSearch(expression, `'${token.v}' is not an operator (AND and OR, upper case)`);
    }
    return token.v;
  };
  const andExpr = (): SearchNode => {
    let left = primary();
    while (operator() === 'AND') {
      pos++;
      left = { type: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): SearchNode => {
    let left = andExpr();
    while (operator() === 'OR') {
      pos++;
      left = { type: 'or', left, right: andExpr() };
    }
    return left;
  };
  if (tokens.length === 0) throw invalidSearch(expression, 'the expression is empty');
  const tree = orExpr();
  if (pos !== tokens.length) throw invalidSearch(expression, `unexpected '${tokens[pos]?.v ?? ''}'`);
  return tree;
}

/**
 * The words Entra ID extracts for `$search`: split at spaces, where a lower-case letter meets an
 * upper-case one, and between letters, numbers and symbols (each symbol a token of its own); words
 * separated only by symbols are also joined ("hello.world" gives hello, ".", world, helloworld).
 * Lower-cased.
 */
export function searchTokens(text: string): string[] {
  const out = new Set<string>();
  for (const word of text.split(/\s+/u)) {
    if (word === '') continue;
    for (const part of word.match(/\p{L}+|\p{N}+|[^\p{L}\p{N}]/gu) ?? []) {
      for (const piece of part.split(/(?<=\p{Ll})(?=\p{Lu})/u)) out.add(piece.toLowerCase());
    }
    const joined = word.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (joined.length > 1) out.add(joined.join('').toLowerCase());
  }
  return [...out];
}

/** Where `$search` tokenizes (displayName, description); other string properties match as startswith. */
const TOKENIZED = new Set(['displayName', 'description']);

/**
 * A predicate for a parsed `$search`. `property` gives the canonical name of a searchable property
 * (undefined refuses the clause). A tokenized clause matches when every token of its text starts a
 * token of the value, in any order; any other clause when the value starts with the text; both
 * case-insensitively.
 */
export function compileSearch(
  node: SearchNode,
  property: (name: string) => string | undefined,
  unsupported: (name: string) => Error,
): (object: Readonly<Record<string, unknown>>) => boolean {
  if (node.type !== 'clause') {
    const l = compileSearch(node.left, property, unsupported);
    const r = compileSearch(node.right, property, unsupported);
    return node.type === 'and' ? (o) => l(o) && r(o) : (o) => l(o) || r(o);
  }
  const name = property(node.property);
  if (name === undefined) throw unsupported(node.property);
  if (TOKENIZED.has(name)) {
    const wanted = searchTokens(node.text);
    return (o) => {
      const value = o[name];
      if (typeof value !== 'string' || wanted.length === 0) return false;
      const words = searchTokens(value);
      return wanted.every((w) => words.some((v) => v.startsWith(w)));
    };
  }
  const prefix = node.text.trim().toLowerCase();
  return (o) => {
    const value = o[name];
    return typeof value === 'string' && value.toLowerCase().startsWith(prefix);
  };
}
