import type { SqlParameter } from '@azure/cosmos';
import { columnType, type SegmentColumn } from '../results/columns';
import { SIGNAL_COLUMN } from '../segments/segment-columns';
import { isGroup, type Condition, type RuleGroup } from '../segments/segment-rules';
import { DAY_MS } from '../time/durations';

/** A WHERE clause fragment and the parameters it names. */
export interface CompiledRules {
  clause: string;
  parameters: SqlParameter[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * How a date condition compares, with the instant in the stored form (`toISOString`) so that ISO
 * strings compare as instants. A day stands for the whole UTC day: `before` a day is before its
 * first instant, `after` a day is from the next day's first instant on; `after` a date-time is
 * strictly after it.
 */
export function dateComparison(
  operator: 'before' | 'after',
  value: string,
): { op: '<' | '>' | '>='; bound: string } {
  if (DATE_ONLY.test(value)) {
    const day = Date.parse(`${value}T00:00:00.000Z`);
    return operator === 'before'
      ? { op: '<', bound: new Date(day).toISOString() }
      : { op: '>=', bound: new Date(day + DAY_MS).toISOString() };
  }
  return { op: operator === 'before' ? '<' : '>', bound: new Date(Date.parse(value)).toISOString() };
}

/** `c.<column>`; the name comes from the allow-list, never from the request. */
export function columnPath(column: SegmentColumn): string {
  if (!columnType(column)) throw new Error(`Not a segment column: ${column}`);
  return `c.${column}`;
}

class Compiler {
  readonly parameters: SqlParameter[] = [];

  constructor(private readonly prefix: string) {}

  private param(value: string | number): string {
    const name = `${this.prefix}${this.parameters.length}`;
    this.parameters.push({ name, value });
    return name;
  }

  /**
   * A group as it reads inside an AND (`within` 'and', the rules' place in the WHERE clause) or
   * an OR. Parentheses only where precedence needs them: an OR group inside an AND. Nested
   * parentheses are costly to parse for the embedded Cosmos DB server, so none are added beyond.
   */
  group(group: RuleGroup, within: 'and' | 'or'): string {
    const joined = group.rules
      .map((rule) => (isGroup(rule) ? this.group(rule, group.combinator) : this.condition(rule)))
      .join(group.combinator === 'and' ? ' AND ' : ' OR ');
    return group.combinator === 'or' && within === 'and' && group.rules.length > 1 ? `(${joined})` : joined;
  }

  private condition(condition: Condition): string {
    if (condition.column === SIGNAL_COLUMN) {
      const signal = this.param(condition.value);
      return condition.operator === 'has'
        ? `ARRAY_CONTAINS(c.${SIGNAL_COLUMN}, ${signal})`
        : `IS_ARRAY(c.${SIGNAL_COLUMN}) AND NOT ARRAY_CONTAINS(c.${SIGNAL_COLUMN}, ${signal})`;
    }
    const c = columnPath(condition.column);
    switch (condition.operator) {
      case 'eq':
      case 'ne':
        if (typeof condition.value === 'number') {
          return condition.operator === 'eq'
            ? `${c} = ${this.param(condition.value)}`
            : `IS_NUMBER(${c}) AND ${c} != ${this.param(condition.value)}`;
        }
        return condition.operator === 'eq'
          ? `LOWER(${c}) = ${this.param(condition.value.toLowerCase())}`
          : `IS_STRING(${c}) AND LOWER(${c}) != ${this.param(condition.value.toLowerCase())}`;
      case 'gt':
        return `${c} > ${this.param(condition.value)}`;
      case 'ge':
        return `${c} >= ${this.param(condition.value)}`;
      case 'lt':
        return `${c} < ${this.param(condition.value)}`;
      case 'le':
        return `${c} <= ${this.param(condition.value)}`;
      case 'between':
        return `${c} >= ${this.param(condition.value[0])} AND ${c} <= ${this.param(condition.value[1])}`;
      case 'isNull':
        return `IS_NULL(${c})`;
      case 'isNotNull':
        return `IS_NUMBER(${c})`;
      case 'contains':
        return `CONTAINS(LOWER(${c}), ${this.param(condition.value.toLowerCase())})`;
      case 'startsWith':
        return `STARTSWITH(LOWER(${c}), ${this.param(condition.value.toLowerCase())})`;
      case 'before':
      case 'after': {
        const { op, bound } = dateComparison(condition.operator, condition.value);
        return `${c} ${op} ${this.param(bound)}`;
      }
    }
  }
}

/**
 * Rules → a parameterised Cosmos DB SQL condition over a row `c`, to be joined to others with
 * AND. Every value is a parameter (`@p0`, `@p1`, …); column names come only from the allow-list.
 * A comparison never matches a null; only `isNull` does (see docs/segments.md). Neither signal
 * operator matches a row of a run before signals existed (it has no Signals).
 */
export function compileRules(rules: RuleGroup, prefix = '@p'): CompiledRules {
  const compiler = new Compiler(prefix);
  const clause = compiler.group(rules, 'and');
  return { clause, parameters: compiler.parameters };
}

/** Where the Year rows of one run of an output entity are, for one tenant. */
export interface RowScope {
  tenantId: string;
  entity: string;
  runId: string;
  /** Only these accounts (a seller's own). */
  accountIds?: readonly string[];
}

/** The full WHERE clause: the scope's Year rows, and the rules when given. */
export function segmentWhere(scope: RowScope, rules?: RuleGroup): CompiledRules {
  const compiled = rules ? compileRules(rules) : { clause: '', parameters: [] };
  const accounts = scope.accountIds ? [{ name: '@accounts', value: [...scope.accountIds] }] : [];
  return {
    clause: [
      'c.tenantId = @tenant',
      "c.type = 'row'",
      'c.entity = @entity',
      'c.runId = @run',
      "c.AggregationLevel = 'Year'",
      ...(compiled.clause ? [compiled.clause] : []),
      ...(accounts.length ? ['ARRAY_CONTAINS(@accounts, c.AccountId)'] : []),
    ].join(' AND '),
    parameters: [
      { name: '@tenant', value: scope.tenantId },
      { name: '@entity', value: scope.entity },
      { name: '@run', value: scope.runId },
      ...compiled.parameters,
      ...accounts,
    ],
  };
}
