import {
  DATE_COLUMNS,
  NUMERIC_COLUMNS,
  OPERATORS_BY_TYPE,
  TEXT_COLUMNS,
  type ColumnType,
} from '../../../../../core/segments/segment-columns';
import type { Rule, RuleGroup } from '../../api/types';

/** A condition as the editor holds it: values as typed, so that unfinished input survives. */
export interface EditCondition {
  kind: 'condition';
  id: number;
  column: string;
  operator: string;
  value: string;
  /** The upper bound of `between`. */
  value2: string;
}

export interface EditGroup {
  kind: 'group';
  id: number;
  combinator: 'and' | 'or';
  rules: EditNode[];
}

export type EditNode = EditCondition | EditGroup;

/** Groups nest at most this deep, the top group being depth 1 (as the API allows). */
export const MAX_DEPTH = 4;

export const SEGMENT_COLUMNS: readonly string[] = [...NUMERIC_COLUMNS, ...TEXT_COLUMNS, ...DATE_COLUMNS];
export const MEASURE_COLUMNS: readonly string[] = NUMERIC_COLUMNS;

export function typeOf(column: string): ColumnType {
  if ((TEXT_COLUMNS as readonly string[]).includes(column)) return 'text';
  if ((DATE_COLUMNS as readonly string[]).includes(column)) return 'date';
  return 'numeric';
}

export const operatorsOf = (column: string): readonly string[] => OPERATORS_BY_TYPE[typeOf(column)];

export const OPERATOR_LABELS: Record<string, string> = {
  eq: 'is',
  ne: 'is not',
  gt: 'is more than',
  ge: 'is at least',
  lt: 'is less than',
  le: 'is at most',
  between: 'is between',
  isNull: 'is empty',
  isNotNull: 'is not empty',
  contains: 'contains',
  startsWith: 'starts with',
  before: 'is before',
  after: 'is after',
};

export const takesNoValue = (operator: string): boolean => operator === 'isNull' || operator === 'isNotNull';

let nextId = 1;
const id = () => nextId++;

export function newCondition(column = 'EngagementScore', operator = 'ge', value = ''): EditCondition {
  return { kind: 'condition', id: id(), column, operator, value, value2: '' };
}

export function newGroup(combinator: 'and' | 'or' = 'and', rules: EditNode[] = [newCondition()]): EditGroup {
  return { kind: 'group', id: id(), combinator, rules };
}

/** A number as typed; text that is no number goes as NaN (JSON null), which the API refuses by name. */
const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function conditionRule(c: EditCondition): Rule {
  if (takesNoValue(c.operator)) return { column: c.column, operator: c.operator } as Rule;
  const type = typeOf(c.column);
  const value =
    type !== 'numeric'
      ? c.value
      : c.operator === 'between'
        ? [numberOf(c.value), numberOf(c.value2)]
        : numberOf(c.value);
  return { column: c.column, operator: c.operator, value } as Rule;
}

/** The editor's tree as the API's rules. */
export function toRules(group: EditGroup): RuleGroup {
  return {
    combinator: group.combinator,
    rules: group.rules.map((node) => (node.kind === 'group' ? toRules(node) : conditionRule(node))),
  };
}

/** The API's rules as the editor's tree (to edit a saved segment). */
export function fromRules(group: RuleGroup): EditGroup {
  return newGroup(
    group.combinator,
    group.rules.map((rule): EditNode => {
      if ('combinator' in rule && rule.combinator) return fromRules(rule as RuleGroup);
      const c = rule as { column: string; operator: string; value?: unknown };
      const [low, high] = Array.isArray(c.value) ? c.value : [c.value, ''];
      return {
        ...newCondition(c.column, c.operator, low === null || low === undefined ? '' : String(low)),
        value2: high === null || high === undefined ? '' : String(high),
      };
    }),
  );
}

/** Replaces the node with `id` anywhere in the tree (or removes it when `next` is undefined). */
export function replaceNode(group: EditGroup, nodeId: number, next: EditNode | undefined): EditGroup {
  const rules: EditNode[] = [];
  for (const node of group.rules) {
    if (node.id === nodeId) {
      if (next) rules.push(next);
    } else {
      rules.push(node.kind === 'group' ? replaceNode(node, nodeId, next) : node);
    }
  }
  return { ...group, rules };
}

/** One line per rule set, for lists: "EngagementScore is at least 70 and DaysSinceLastEmail is more than 30". */
export function describeRules(group: RuleGroup): string {
  const parts = group.rules.map((rule) => {
    if ('combinator' in rule && rule.combinator) return `(${describeRules(rule as RuleGroup)})`;
    const c = rule as { column: string; operator: string; value?: unknown };
    const label = OPERATOR_LABELS[c.operator] ?? c.operator;
    if (takesNoValue(c.operator)) return `${c.column} ${label}`;
    const value = Array.isArray(c.value)
      ? `${String(c.value[0])} and ${String(c.value[1])}`
      : String(c.value);
    return `${c.column} ${label} ${value}`;
  });
  return parts.join(group.combinator === 'and' ? ' and ' : ' or ');
}
