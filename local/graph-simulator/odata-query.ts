/**
 * OData query options as Graph reads them: option names are case-insensitive and may omit the '$';
 * `$filter` is parsed into a small expression tree that each endpoint evaluates with its own rules.
 */
import { badRequest } from './graph-http';

/** The value of a query option (`select` finds `$select`, `$SELECT`, `select`). */
export function queryOption(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) {
    const k = key.toLowerCase();
    if (k === `$${wanted}` || k === wanted) return value;
  }
  return undefined;
}

/** A plain (non-OData) parameter, case-insensitive: startDateTime, changeType. */
export function queryParam(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function parseSelect(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

export function parseTop(
  value: string | undefined,
  max: number,
  code: string,
  message: (n: string) => string,
): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value.trim())) throw badRequest(code, `Invalid value '${value}' for query option $top.`);
  const n = Number(value);
  if (n < 1 || n > max) throw badRequest(code, message(value));
  return n;
}

export function parseSkip(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value.trim()))
    throw badRequest('BadRequest', `Invalid value '${value}' for query option $skip.`);
  return Number(value);
}

export interface OrderBy {
  property: string;
  descending: boolean;
}

export function parseOrderBy(value: string | undefined): OrderBy[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((part) => {
    const [property = '', direction = 'asc', ...rest] = part.trim().split(/\s+/);
    const dir = direction.toLowerCase();
    if (rest.length > 0 || (dir !== 'asc' && dir !== 'desc')) {
      throw badRequest('BadRequest', `Invalid $orderby expression '${part.trim()}'.`);
    }
    return { property, descending: dir === 'desc' };
  });
}

/** Parses `Prefer: odata.maxpagesize=50, outlook.timezone="UTC"` into lower-cased names and values. */
export function parsePrefer(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(',')) {
    const [name = '', ...value] = part.split('=');
    const key = name.trim().toLowerCase();
    if (key)
      out.set(
        key,
        value
          .join('=')
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return out;
}

// ---- $filter ----

export type FilterValue =
  | { kind: 'string'; value: string }
  | { kind: 'datetime'; value: number; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export type ComparisonOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { type: 'compare'; property: string; op: ComparisonOp; value: FilterValue }
  | { type: 'in'; property: string; values: FilterValue[] }
  | { type: 'function'; name: string; property: string; value: FilterValue }
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; operand: FilterNode };

type Token = { t: 'string'; v: string } | { t: 'word'; v: string } | { t: 'punct'; v: '(' | ')' | ',' };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;
const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function invalidFilter(expression: string, detail: string): Error {
  return badRequest('BadRequest', `Invalid filter clause: ${detail} in '${expression}'.`);
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const ch = expression.charAt(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ t: 'punct', v: ch });
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= expression.length) throw invalidFilter(expression, 'unterminated string literal');
        const c = expression.charAt(i);
        if (c === "'") {
          if (expression.charAt(i + 1) === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ t: 'string', v: value });
    } else {
      let word = '';
      while (i < expression.length && !/[\s(),']/.test(expression.charAt(i))) {
        word += expression.charAt(i);
        i++;
      }
      tokens.push({ t: 'word', v: word });
    }
  }
  return tokens;
}

function literal(token: Token | undefined, expression: string): FilterValue {
  if (token === undefined) throw invalidFilter(expression, 'a value is missing');
  if (token.t === 'string') return { kind: 'string', value: token.v };
  if (token.t === 'word') {
    const v = token.v;
    const lower = v.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true' };
    if (lower === 'null') return { kind: 'null' };
    if (DATETIME.test(v)) {
      const withZone = /(Z|[+-]\d{2}:\d{2})$/i.test(v) ? v : `${v}Z`;
      const value = Date.parse(withZone);
      if (!Number.isNaN(value)) return { kind: 'datetime', value, text: v };
    }
    if (/^-?\d+(\.\d+)?$/.test(v)) return { kind: 'number', value: Number(v) };
  }
  throw invalidFilter(expression, `unexpected '${token.v}'`);
}

export function parseFilter(expression: string): FilterNode {
  const tokens = tokenize(expression);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const token = tokens[pos];
    return token?.t === 'word' ? token.v.toLowerCase() : undefined;
  };
  const expectPunct = (v: '(' | ')' | ','): void => {
    const token = tokens[pos];
    if (token?.t !== 'punct' || token.v !== v) throw invalidFilter(expression, `expected '${v}'`);
    pos++;
  };

  const primary = (): FilterNode => {
    const token = tokens[pos];
    if (token === undefined) throw invalidFilter(expression, 'the expression ends too early');
    if (token.t === 'punct' && token.v === '(') {
      pos++;
      const inner = orExpr();
      expectPunct(')');
      return inner;
    }
    if (token.t !== 'word') throw invalidFilter(expression, `unexpected '${token.v}'`);
    const next = tokens[pos + 1];
    if (next?.t === 'punct' && next.v === '(') {
      const name = token.v.toLowerCase();
      pos += 2;
      const propertyToken = tokens[pos];
      if (propertyToken?.t !== 'word') throw invalidFilter(expression, `${name} needs a property`);
      pos++;
      expectPunct(',');
      const value = literal(tokens[pos], expression);
      pos++;
      expectPunct(')');
      return { type: 'function', name, property: propertyToken.v, value };
    }
    pos++;
    const op = peekWord();
    if (op === 'in') {
      pos++;
      expectPunct('(');
      const values: FilterValue[] = [];
      for (;;) {
        values.push(literal(tokens[pos], expression));
        pos++;
        const sep = tokens[pos];
        if (sep?.t === 'punct' && sep.v === ',') {
          pos++;
          continue;
        }
        break;
      }
      expectPunct(')');
      return { type: 'in', property: token.v, values };
    }
    if (op === undefined || !COMPARISONS.has(op)) {
      throw invalidFilter(expression, `expected a comparison after '${token.v}'`);
    }
    pos++;
    const value = literal(tokens[pos], expression);
    pos++;
    return { type: 'compare', property: token.v, op: op as ComparisonOp, value };
  };
  const unary = (): FilterNode => {
    if (peekWord() === 'not') {
      pos++;
      return { type: 'not', operand: unary() };
    }
    return primary();
  };
  const andExpr = (): FilterNode => {
    let left = unary();
    while (peekWord() === 'and') {
      pos++;
      left = { type: 'and', left, right: unary() };
    }
    return left;
  };
  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (peekWord() === 'or') {
      pos++;
      left = { type: 'or', left, right: andExpr() };
    }
    return left;
  };

  if (tokens.length === 0) throw invalidFilter(expression, 'the expression is empty');
  const tree = orExpr();
  if (pos !== tokens.length) throw invalidFilter(expression, `unexpected '${tokens[pos]?.v ?? ''}'`);
  return tree;
}

/** The properties a filter names, left to right (for Outlook's $orderby-in-$filter rule). */
export function filterProperties(node: FilterNode): string[] {
  switch (node.type) {
    case 'and':
    case 'or':
      return [...filterProperties(node.left), ...filterProperties(node.right)];
    case 'not':
      return filterProperties(node.operand);
    default:
      return [node.property];
  }
}

export function compareValues(actual: number, op: ComparisonOp, expected: number): boolean {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'gt':
      return actual > expected;
    case 'ge':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'le':
      return actual <= expected;
  }
}

/** Picks the listed properties of an object (names matched case-insensitively), `null` when absent. */
export function project(
  source: Readonly<Record<string, unknown>>,
  select: readonly string[],
  canonical: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of select) {
    const property = canonical.get(name.toLowerCase()) ?? name;
    out[property] = source[property] ?? null;
  }
  return out;
}

export function canonicalNames(names: readonly string[]): Map<string, string> {
  return new Map(names.map((n) => [n.toLowerCase(), n]));
}
