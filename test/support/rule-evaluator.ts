import { isGroup, type Condition, type RuleGroup } from '../../core/segments/segment-rules';
import { DAY_MS } from '../../core/time/durations';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

type Row = Record<string, unknown>;

function dateMatches(operator: 'before' | 'after', value: string, stored: unknown): boolean {
  if (typeof stored !== 'string') return false;
  const at = Date.parse(stored);
  if (DATE_ONLY.test(value)) {
    const day = Date.parse(`${value}T00:00:00Z`);
    return operator === 'before' ? at < day : at >= day + DAY_MS;
  }
  const instant = Date.parse(value);
  return operator === 'before' ? at < instant : at > instant;
}

function conditionMatches(condition: Condition, row: Row): boolean {
  const v = row[condition.column];
  const number = typeof v === 'number' ? v : undefined;
  const text = typeof v === 'string' ? v.toLowerCase() : undefined;
  switch (condition.operator) {
    case 'eq':
    case 'ne': {
      const equal =
        typeof condition.value === 'number'
          ? number === condition.value
          : text === condition.value.toLowerCase();
      const comparable = typeof condition.value === 'number' ? number !== undefined : text !== undefined;
      return condition.operator === 'eq' ? equal : comparable && !equal;
    }
    case 'gt':
      return number !== undefined && number > condition.value;
    case 'ge':
      return number !== undefined && number >= condition.value;
    case 'lt':
      return number !== undefined && number < condition.value;
    case 'le':
      return number !== undefined && number <= condition.value;
    case 'between':
      return number !== undefined && number >= condition.value[0] && number <= condition.value[1];
    case 'isNull':
      return v === null;
    case 'isNotNull':
      return number !== undefined;
    case 'contains':
      return text !== undefined && text.includes(condition.value.toLowerCase());
    case 'startsWith':
      return text !== undefined && text.startsWith(condition.value.toLowerCase());
    case 'before':
    case 'after':
      return dateMatches(condition.operator, condition.value, v);
    case 'has':
      return Array.isArray(v) && v.includes(condition.value);
    case 'hasNot':
      return Array.isArray(v) && !v.includes(condition.value);
  }
}

/** The documented meaning of a rule set (docs/segments.md), in memory: the oracle the compiled queries are checked against. */
export function evaluateRules(group: RuleGroup, row: Row): boolean {
  const results = group.rules.map((rule) =>
    isGroup(rule) ? evaluateRules(rule, row) : conditionMatches(rule, row),
  );
  return group.combinator === 'and' ? results.every(Boolean) : results.some(Boolean);
}
