import { NUMERIC_COLUMNS } from '../../../../../core/results/columns';
import { SIGNAL_NAMES, SIGNALS, type SignalName } from '../../../../../core/results/signal-labels';
import {
  OPERATORS_BY_TYPE,
  columnLabel,
  ruleColumnType,
  type RuleColumnType,
} from '../../../../../core/segments/segment-columns';
import type { FieldProblem } from '../../api/client';
import type { Rule, RuleGroup } from '../../api/types';

export { columnLabel };

/** A condition as the editor holds it: values as typed, so that unfinished input survives. */
export interface EditCondition {
  kind: 'condition';
  id: number;
  column: string;
  operator: string;
  value: string;
  /** The upper bound of `between`. */
  value2: string;
  /** False for a condition just added and not changed yet: its problems wait until it is (or until a save). */
  touched?: boolean;
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

export const MEASURE_COLUMNS: readonly string[] = NUMERIC_COLUMNS;

export const typeOf = (column: string): RuleColumnType => ruleColumnType(column) ?? 'numeric';

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
  has: 'include',
  hasNot: 'do not include',
};

const isSignal = (value: string): value is SignalName => (SIGNALS as readonly string[]).includes(value);

/** A value as an admin reads it: a signal by its name ("Single-threaded"), anything else as it is. */
export const valueLabel = (value: string): string => (isSignal(value) ? SIGNAL_NAMES[value] : value);

export const takesNoValue = (operator: string): boolean => operator === 'isNull' || operator === 'isNotNull';

let nextId = 1;
const id = () => nextId++;

export function newCondition(column = 'EngagementScore', operator = 'ge', value = ''): EditCondition {
  return { kind: 'condition', id: id(), column, operator, value, value2: '' };
}

/** A condition the admin has just added: nothing to complain about until it is changed. */
export const addedCondition = (): EditCondition => ({ ...newCondition(), touched: false });

export function newGroup(combinator: 'and' | 'or' = 'and', rules: EditNode[] = [newCondition()]): EditGroup {
  return { kind: 'group', id: id(), combinator, rules };
}

/**
 * A condition with another column: the operator and the value stay when the new column takes them
 * (same type: a number stays a number, a text a text), else the first operator and no value.
 */
export function withColumn(condition: EditCondition, column: string): EditCondition {
  const compatible = typeOf(column) === typeOf(condition.column);
  const keepOperator = operatorsOf(column).includes(condition.operator);
  return {
    ...condition,
    column,
    operator: keepOperator ? condition.operator : (operatorsOf(column)[0] ?? 'eq'),
    value: compatible && keepOperator ? condition.value : '',
    value2: compatible && keepOperator ? condition.value2 : '',
  };
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

/**
 * One line per rule set, for lists, in the columns' names for admins: "Engagement score is at
 * least 70 and Days since the last email is more than 30".
 */
export function describeRules(group: RuleGroup): string {
  const parts = group.rules.map((rule) => {
    if ('combinator' in rule && rule.combinator) return `(${describeRules(rule as RuleGroup)})`;
    const c = rule as { column: string; operator: string; value?: unknown };
    const label = OPERATOR_LABELS[c.operator] ?? c.operator;
    const column = columnLabel(c.column);
    if (takesNoValue(c.operator)) return `${column} ${label}`;
    const value = Array.isArray(c.value)
      ? `${String(c.value[0])} and ${String(c.value[1])}`
      : valueLabel(String(c.value));
    return `${column} ${label} ${value}`;
  });
  return parts.join(group.combinator === 'and' ? ' and ' : ' or ');
}

const isNumber = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));
const isDate = (text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) && !Number.isNaN(Date.parse(text.trim()));

const signalProblem = (c: EditCondition) =>
  `Choose the risk signal members ${c.operator === 'hasNot' ? 'must not show' : 'must show'}.`;

/** What is wrong with a condition as typed, as a sentence naming the field and the fix; undefined when fine. */
export function conditionProblem(c: EditCondition): string | undefined {
  if (takesNoValue(c.operator)) return undefined;
  const column = columnLabel(c.column);
  switch (typeOf(c.column)) {
    case 'numeric':
      if (c.operator === 'between') {
        if (!isNumber(c.value) || !isNumber(c.value2)) return `Enter both bounds of ${column} as numbers.`;
        if (Number(c.value) > Number(c.value2))
          return `The first bound of ${column} must not be greater than the second: swap them.`;
        return undefined;
      }
      return isNumber(c.value) ? undefined : `Enter a number for ${column}.`;
    case 'text':
      return c.value.trim()
        ? undefined
        : `Enter what ${column} ${OPERATOR_LABELS[c.operator] ?? c.operator}.`;
    case 'date':
      return isDate(c.value) ? undefined : `Enter a date for ${column}, such as 2026-03-01.`;
    case 'signal':
      return isSignal(c.value) ? undefined : signalProblem(c);
  }
}

/**
 * Every condition's problem, by its path as the API names it (`rules.rules.1`); with `touchedOnly`,
 * only those of conditions changed since they were added (what the fields show before a save).
 */
export function ruleProblems(
  group: EditGroup,
  options: { touchedOnly?: boolean } = {},
  path = 'rules',
): FieldProblem[] {
  return group.rules.flatMap((node, i) => {
    const at = `${path}.rules.${i}`;
    if (node.kind === 'group') return ruleProblems(node, options, at);
    if (options.touchedOnly && node.touched === false) return [];
    const message = conditionProblem(node);
    return message ? [{ field: at, message }] : [];
  });
}

/** The condition or group at an API field path (`rules.rules.0.rules.2.value`), and its own path. */
export function nodeAt(group: EditGroup, field: string): { node: EditNode; path: string } | undefined {
  const parts = field.split('.');
  if (parts[0] !== 'rules') return undefined;
  let node: EditNode = group;
  let path = 'rules';
  for (let i = 1; i + 1 < parts.length && parts[i] === 'rules' && node.kind === 'group'; i += 2) {
    const child: EditNode | undefined = node.rules[Number(parts[i + 1])];
    if (!child) break;
    node = child;
    path = `${path}.rules.${parts[i + 1]}`;
  }
  return { node, path };
}

/** The API's problems with the rules, as sentences at the path of their condition or group. */
export function apiRuleMessages(group: EditGroup, problems: readonly FieldProblem[]): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const problem of problems) {
    const found = nodeAt(group, problem.field);
    if (!found) continue;
    const message =
      found.node.kind === 'condition'
        ? friendlyConditionMessage(found.node, problem.message)
        : friendlyGroupMessage(problem.message);
    messages[found.path] =
      messages[found.path] && messages[found.path] !== message
        ? `${messages[found.path]} ${message}`
        : message;
  }
  return messages;
}

/**
 * A message the API gave for a condition, as a sentence naming the field and the fix: the API's
 * own wording (zod's "Invalid input: expected number, received null") is never shown as it is.
 */
export function friendlyConditionMessage(c: EditCondition, message: string): string {
  const column = columnLabel(c.column);
  const text = message.toLowerCase();
  if (/first bound/.test(text))
    return `The first bound of ${column} must not be greater than the second: swap them.`;
  if (/not an operator|operator/.test(text)) return `Choose how to compare ${column}.`;
  if (/not a column|column/.test(text)) return 'Choose a column for this condition.';
  if (/date/.test(text)) return `Enter a date for ${column}, such as 2026-03-01.`;
  if (/too big|<=/.test(text)) return `The value of ${column} is too long: shorten it.`;
  switch (typeOf(c.column)) {
    case 'numeric':
      return c.operator === 'between'
        ? `Enter both bounds of ${column} as numbers.`
        : `Enter a number for ${column}.`;
    case 'text':
      return `Enter what ${column} ${OPERATOR_LABELS[c.operator] ?? c.operator}.`;
    case 'date':
      return `Enter a date for ${column}, such as 2026-03-01.`;
    case 'signal':
      return signalProblem(c);
  }
}

/** A message the API gave for a group of conditions, as a sentence. */
export function friendlyGroupMessage(message: string): string {
  const text = message.toLowerCase();
  if (/at least one rule/.test(text)) return 'Add a condition to this group, or remove the group.';
  if (/nest/.test(text)) return `Groups nest at most ${MAX_DEPTH} deep: move this group up a level.`;
  if (/conditions/.test(text)) return 'A segment has at most 50 conditions: remove some.';
  return 'Choose whether members match all or any of these conditions.';
}

/** A message the API gave for the name or description, as a sentence. */
export function friendlyTextMessage(field: 'name' | 'description', message: string): string {
  const text = message.toLowerCase();
  const what = field === 'name' ? 'the name' : 'the description';
  if (/too big|<=/.test(text)) {
    return `Shorten ${what}: at most ${field === 'name' ? 100 : 500} characters.`;
  }
  if (field === 'name' && /too small|>=|required|expected string/.test(text))
    return 'Enter a name for the segment.';
  return `Check ${what}.`;
}
