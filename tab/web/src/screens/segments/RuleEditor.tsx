import {
  Button,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, GroupListRegular } from '@fluentui/react-icons';
import { SIGNAL_NAMES, SIGNALS } from '../../../../../core/results/signal-labels';
import { RULE_COLUMNS } from '../../../../../core/segments/segment-columns';
import {
  MAX_DEPTH,
  OPERATOR_LABELS,
  addedCondition,
  columnLabel,
  newGroup,
  operatorsOf,
  replaceNode,
  takesNoValue,
  typeOf,
  valueLabel,
  withColumn,
  type EditCondition,
  type EditGroup,
} from './rule-model';

const useStyles = makeStyles({
  group: {
    display: 'grid',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  nested: { backgroundColor: tokens.colorNeutralBackground1 },
  condition: {
    display: 'grid',
    gap: tokens.spacingHorizontalS,
    gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1.3fr) minmax(0, 1.5fr) auto',
    alignItems: 'end',
    '& .fui-Dropdown, & .fui-Input': { minWidth: 0 },
    '@media (max-width: 640px)': { gridTemplateColumns: 'minmax(0, 1fr) auto' },
  },
  wide: { '@media (max-width: 640px)': { gridColumn: '1 / -1' } },
  between: { display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

const label = columnLabel;

/** Problems as sentences, by the path of their condition or group (`rules.rules.1`). */
export type RuleMessages = Readonly<Record<string, string>>;

function ConditionEditor(props: {
  condition: EditCondition;
  path: string;
  messages: RuleMessages;
  onChange(next: EditCondition | undefined): void;
  removable: boolean;
}) {
  const styles = useStyles();
  const { condition } = props;
  const type = typeOf(condition.column);
  const operators = operatorsOf(condition.column);
  const message = props.messages[props.path];
  const set = (change: Partial<EditCondition>) => props.onChange({ ...condition, ...change, touched: true });
  return (
    <div className={styles.condition} role="group" aria-label={`Condition on ${label(condition.column)}`}>
      <Field label="Column" className={styles.wide}>
        <Dropdown
          value={label(condition.column)}
          selectedOptions={[condition.column]}
          onOptionSelect={(_, d) =>
            props.onChange({ ...withColumn(condition, d.optionValue ?? condition.column), touched: true })
          }
        >
          {RULE_COLUMNS.map((column) => (
            <Option key={column} value={column} text={label(column)}>
              {label(column)}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Operator" className={styles.wide}>
        <Dropdown
          value={OPERATOR_LABELS[condition.operator] ?? condition.operator}
          selectedOptions={[condition.operator]}
          onOptionSelect={(_, d) => set({ operator: d.optionValue ?? condition.operator })}
        >
          {operators.map((operator) => (
            <Option key={operator} value={operator}>
              {OPERATOR_LABELS[operator] ?? operator}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label="Value" validationMessage={message} className={styles.wide}>
        {takesNoValue(condition.operator) ? (
          <Input value="" disabled placeholder="no value" />
        ) : type === 'signal' ? (
          <Dropdown
            value={valueLabel(condition.value)}
            selectedOptions={condition.value ? [condition.value] : []}
            placeholder="Choose a signal"
            onOptionSelect={(_, d) => set({ value: d.optionValue ?? condition.value })}
          >
            {SIGNALS.map((signal) => (
              <Option key={signal} value={signal}>
                {SIGNAL_NAMES[signal]}
              </Option>
            ))}
          </Dropdown>
        ) : condition.operator === 'between' ? (
          <div className={styles.between}>
            <Input
              type="number"
              value={condition.value}
              onChange={(_, d) => set({ value: d.value })}
              aria-label="From"
            />
            and
            <Input
              type="number"
              value={condition.value2}
              onChange={(_, d) => set({ value2: d.value })}
              aria-label="To"
            />
          </div>
        ) : (
          <Input
            type={type === 'numeric' ? 'number' : type === 'date' ? 'date' : 'text'}
            value={condition.value}
            onChange={(_, d) => set({ value: d.value })}
          />
        )}
      </Field>
      <Tooltip content="Remove the condition" relationship="label">
        <Button
          appearance="subtle"
          icon={<DeleteRegular />}
          disabled={!props.removable}
          onClick={() => props.onChange(undefined)}
        />
      </Tooltip>
    </div>
  );
}

/** An AND/OR group of conditions and nested groups. */
export function GroupEditor(props: {
  group: EditGroup;
  path: string;
  depth: number;
  messages: RuleMessages;
  onChange(next: EditGroup | undefined): void;
}) {
  const styles = useStyles();
  const { group } = props;
  const replace = (id: number, next: EditGroup['rules'][number] | undefined) =>
    props.onChange(replaceNode(group, id, next));
  const nestedMessage = props.messages[props.path];
  return (
    <div
      className={mergeClasses(styles.group, props.depth > 1 && styles.nested)}
      role="group"
      aria-label={props.depth > 1 ? 'Group of conditions' : 'Rules'}
    >
      <Field label="Members match" validationMessage={nestedMessage}>
        <RadioGroup
          layout="horizontal"
          value={group.combinator}
          onChange={(_, d) => props.onChange({ ...group, combinator: d.value as 'and' | 'or' })}
        >
          <Radio value="and" label="all of these" />
          <Radio value="or" label="any of these" />
        </RadioGroup>
      </Field>
      {group.rules.map((node, i) =>
        node.kind === 'group' ? (
          <GroupEditor
            key={node.id}
            group={node}
            path={`${props.path}.rules.${i}`}
            depth={props.depth + 1}
            messages={props.messages}
            onChange={(next) => replace(node.id, next && next.rules.length ? next : undefined)}
          />
        ) : (
          <ConditionEditor
            key={node.id}
            condition={node}
            path={`${props.path}.rules.${i}`}
            messages={props.messages}
            removable={group.rules.length > 1 || props.depth > 1}
            onChange={(next) => replace(node.id, next)}
          />
        ),
      )}
      <div className={styles.actions}>
        <Button
          icon={<AddRegular />}
          onClick={() => props.onChange({ ...group, rules: [...group.rules, addedCondition()] })}
        >
          Add a condition
        </Button>
        {props.depth < MAX_DEPTH && (
          <Button
            icon={<GroupListRegular />}
            onClick={() =>
              props.onChange({
                ...group,
                rules: [
                  ...group.rules,
                  newGroup(group.combinator === 'and' ? 'or' : 'and', [addedCondition()]),
                ],
              })
            }
          >
            Add a group
          </Button>
        )}
        {props.depth > 1 && (
          <Button appearance="subtle" icon={<DeleteRegular />} onClick={() => props.onChange(undefined)}>
            Remove the group
          </Button>
        )}
      </div>
    </div>
  );
}
