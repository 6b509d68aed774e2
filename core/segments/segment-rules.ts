import { z } from 'zod';
import { DATE_COLUMNS, NUMERIC_COLUMNS, TEXT_COLUMNS } from '../results/columns';
import { SIGNALS } from '../engine/signals';
import {
  OPERATORS_BY_TYPE,
  RULE_COLUMNS,
  SIGNAL_COLUMN,
  SIGNAL_OPERATORS,
  TEXT_OPERATORS,
  type RuleColumnType,
} from './segment-columns';

/** Groups nest at most this deep, the top group being depth 1. */
export const MAX_DEPTH = 4;
/** Conditions in one rule set, across all its groups. */
export const MAX_CONDITIONS = 50;
export const MAX_TEXT_VALUE = 200;

/** A condition carries no combinator: that key is what tells a group from a condition. */
const noCombinator = z.undefined().optional().meta({ not: {} });

function operatorError(type: RuleColumnType) {
  return (issue: { code: string; input?: unknown }) => {
    if (issue.code !== 'invalid_union') return undefined;
    const input = issue.input as { column?: unknown; operator?: unknown } | undefined;
    const allowed = OPERATORS_BY_TYPE[type].join(', ');
    return input?.operator === undefined
      ? `is required: one of ${allowed}`
      : `${JSON.stringify(input.operator)} is not an operator of the ${type} column ${String(input.column)}; use one of ${allowed}`;
  };
}

const numericColumn = z.enum(NUMERIC_COLUMNS);
const finite = z.number();

const numericCondition = z.discriminatedUnion(
  'operator',
  [
    z.strictObject({
      combinator: noCombinator,
      column: numericColumn,
      operator: z.enum(['eq', 'ne', 'gt', 'ge', 'lt', 'le']),
      value: finite,
    }),
    z.strictObject({
      combinator: noCombinator,
      column: numericColumn,
      operator: z.literal('between'),
      /** Inclusive bounds, the lower first. */
      value: z
        .tuple([finite, finite])
        .refine(([low, high]) => low <= high, 'the first bound must not be greater than the second'),
    }),
    z.strictObject({
      combinator: noCombinator,
      column: numericColumn,
      operator: z.enum(['isNull', 'isNotNull']),
      value: z.null().optional(),
    }),
  ],
  { error: operatorError('numeric') },
);

const textCondition = z.discriminatedUnion(
  'operator',
  [
    z.strictObject({
      combinator: noCombinator,
      column: z.enum(TEXT_COLUMNS),
      operator: z.enum(TEXT_OPERATORS),
      /** Compared without regard to case. */
      value: z.string().trim().min(1).max(MAX_TEXT_VALUE),
    }),
  ],
  { error: operatorError('text') },
);

/** A day (`2026-03-01`, UTC) or an instant with its offset (`2026-03-01T12:00:00Z`). */
export const dateValueSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone',
});

const dateColumn = z.enum(DATE_COLUMNS);

const dateCondition = z.discriminatedUnion(
  'operator',
  [
    z.strictObject({
      combinator: noCombinator,
      column: dateColumn,
      operator: z.enum(['before', 'after']),
      value: dateValueSchema,
    }),
    z.strictObject({
      combinator: noCombinator,
      column: dateColumn,
      operator: z.literal('isNull'),
      value: z.null().optional(),
    }),
  ],
  { error: operatorError('date') },
);

/** Whether the Year row has the risk signal (rows of runs before signals have none: never a match). */
const signalCondition = z.discriminatedUnion(
  'operator',
  [
    z.strictObject({
      combinator: noCombinator,
      column: z.literal(SIGNAL_COLUMN),
      operator: z.enum(SIGNAL_OPERATORS),
      value: z.enum(SIGNALS, { error: `must be a signal: one of ${SIGNALS.join(', ')}` }),
    }),
  ],
  { error: operatorError('signal') },
);

export const conditionSchema = z.discriminatedUnion(
  'column',
  [numericCondition, textCondition, dateCondition, signalCondition],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const column = (issue.input as { column?: unknown } | undefined)?.column;
      const columns = RULE_COLUMNS.join(', ');
      return column === undefined
        ? `is required: a condition names a column (${columns}); a group names a combinator ("and" or "or")`
        : `${JSON.stringify(column)} is not a column a segment can use; use one of ${columns}`;
    },
  },
);

export type Condition = z.infer<typeof conditionSchema>;

export interface RuleGroup {
  combinator: 'and' | 'or';
  rules: Rule[];
}

export type Rule = Condition | RuleGroup;

const groupObject = z.strictObject({
  combinator: z.enum(['and', 'or'], { error: 'must be "and" or "or"' }),
  get rules() {
    return z.array(ruleSchema).min(1, 'a group needs at least one rule').max(MAX_CONDITIONS);
  },
});

const ruleSchema: z.ZodType<Rule> = z.discriminatedUnion('combinator', [groupObject, conditionSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be "and" or "or"' : undefined),
});

export function isGroup(rule: Rule): rule is RuleGroup {
  return 'combinator' in rule && rule.combinator !== undefined;
}

/**
 * Refuses groups nested deeper than MAX_DEPTH before the tree is walked recursively, so that no
 * request, however deep, can exhaust the stack. Walks iteratively and names the first such group.
 */
function refuseDeepGroups(value: unknown, ctx: z.core.$RefinementCtx): unknown {
  const stack: { node: unknown; depth: number; path: (string | number)[] }[] = [
    { node: value, depth: 1, path: [] },
  ];
  while (stack.length) {
    const { node, depth, path } = stack.pop() as (typeof stack)[number];
    const rules = (node as { rules?: unknown } | null)?.rules;
    if (typeof node !== 'object' || !Array.isArray(rules)) continue;
    if (depth > MAX_DEPTH) {
      ctx.addIssue({ code: 'custom', path, message: `groups nest at most ${MAX_DEPTH} deep` });
      break;
    }
    rules.forEach((child, i) => stack.push({ node: child, depth: depth + 1, path: [...path, 'rules', i] }));
  }
  return value;
}

function countConditions(group: RuleGroup): number {
  return group.rules.reduce((n, rule) => n + (isGroup(rule) ? countConditions(rule) : 1), 0);
}

/**
 * A segment's rules: an AND/OR group of conditions and nested groups over the Year rows of the
 * output entity's visible run. See docs/segments.md for operators and null rules.
 */
export const ruleGroupSchema = z.preprocess(
  refuseDeepGroups,
  groupObject.superRefine((group, ctx) => {
    const conditions = countConditions(group);
    if (conditions > MAX_CONDITIONS) {
      ctx.addIssue({
        code: 'custom',
        message: `has ${conditions} conditions; a segment has at most ${MAX_CONDITIONS}`,
      });
    }
  }),
);

export const segmentDefinitionSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).optional(),
  rules: ruleGroupSchema,
});

export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;
