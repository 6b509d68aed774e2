import {
  Body1,
  Button,
  Card,
  Field,
  Input,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular, SaveRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ApiProblem } from '../../api/client';
import { api } from '../../api/operations';
import type { Segment } from '../../api/types';
import { useResource } from '../../api/use-resource';
import { formatCount } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { ProblemBar } from '../../ui/ProblemBar';
import { useDebounced } from '../../ui/use-debounced';
import { GroupEditor } from './RuleEditor';
import {
  apiRuleMessages,
  friendlyTextMessage,
  fromRules,
  newCondition,
  newGroup,
  ruleProblems,
  toRules,
  type EditGroup,
} from './rule-model';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  count: {
    display: 'flex',
    alignItems: 'baseline',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
  },
  countValue: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Build or change a segment's rules, with the live number of accounts they match. */
export function SegmentBuilder(props: {
  enrichmentId: string;
  segment?: Segment;
  onSaved(segment: Segment): void;
  onCancel(): void;
}) {
  const styles = useStyles();
  const [name, setName] = useState(props.segment?.name ?? '');
  const [description, setDescription] = useState(props.segment?.description ?? '');
  const [group, setGroup] = useState<EditGroup>(() =>
    props.segment
      ? fromRules(props.segment.rules)
      : newGroup('and', [newCondition('EngagementScore', 'ge', '70')]),
  );
  const [saving, setSaving] = useState(false);
  const [saveProblem, setSaveProblem] = useState<ApiProblem>();
  const [triedToSave, setTriedToSave] = useState(false);

  const rules = toRules(group);
  // Rules that cannot be right are checked here: no count is asked for (or shown) while any is.
  const invalid = ruleProblems(group);
  const valid = invalid.length === 0;
  const settled = useDebounced(JSON.stringify(rules), 300);
  const settledValid = useDebounced(valid, 300);
  const counting = valid && settledValid && settled === JSON.stringify(rules);
  const count = useResource(
    `segment-preview:${props.enrichmentId}:${settled}`,
    (signal) => api.previewSegment(props.enrichmentId, JSON.parse(settled) as typeof rules, signal),
    { keepData: true, enabled: valid && settledValid },
  );
  // The problems shown at the fields, as sentences: this page's own checks (of the conditions changed
  // so far, or all after a save was tried), else the API's (of the live count, or of a save).
  const shownProblems = ruleProblems(group, { touchedOnly: !triedToSave });
  const apiProblem = saveProblem ?? (valid ? count.problem : undefined);
  const messages =
    shownProblems.length > 0
      ? Object.fromEntries(shownProblems.map((p) => [p.field, p.message]))
      : apiRuleMessages(group, apiProblem?.fields ?? []);
  const textMessage = (field: 'name' | 'description') => {
    const raw = saveProblem?.fieldMessage(field);
    // This page's own problems (status 0) are sentences already; the API's are worded for it.
    if (raw === undefined || saveProblem?.status === 0) return raw;
    return friendlyTextMessage(field, raw);
  };

  const save = async () => {
    setTriedToSave(true);
    if (!name.trim()) {
      setSaveProblem(
        new ApiProblem(0, 'MissingName', 'Name the segment.', [
          { field: 'name', message: 'Enter a name for the segment.' },
        ]),
      );
      return;
    }
    if (!valid) return;
    setSaving(true);
    setSaveProblem(undefined);
    const definition = {
      name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      rules,
    };
    try {
      const saved = props.segment?.etag
        ? await api.updateSegment(props.enrichmentId, props.segment.segmentId, definition, props.segment.etag)
        : await api.createSegment(props.enrichmentId, definition);
      props.onSaved(saved);
    } catch (error) {
      setSaveProblem(error instanceof ApiProblem ? error : new ApiProblem(0, 'ClientError', String(error)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader
        title={props.segment ? `Edit “${props.segment.name}”` : 'New segment'}
        description="A segment is the accounts whose Year row matches its rules; its members follow every run."
      />
      {saveProblem && !saveProblem.fields.length && <ProblemBar problem={saveProblem} title="Not saved" />}
      <Card className={styles.card}>
        <Field label="Name" required validationMessage={textMessage('name')}>
          <Input
            value={name}
            onChange={(_, d) => {
              setName(d.value);
              setSaveProblem(undefined);
            }}
            placeholder="e.g. Engaged, but no meetings"
          />
        </Field>
        <Field label="Description" validationMessage={textMessage('description')}>
          <Input
            value={description}
            onChange={(_, d) => {
              setDescription(d.value);
              setSaveProblem(undefined);
            }}
          />
        </Field>
        <GroupEditor
          group={group}
          path="rules"
          depth={1}
          messages={messages}
          onChange={(next) => {
            setSaveProblem(undefined);
            setGroup(next ?? newGroup());
          }}
        />
        <div className={styles.count} role="status" aria-live="polite" data-testid="segment-live-count">
          {!valid ? (
            <Body1>
              No count while a condition is incomplete: {invalid[0]?.message.replace(/\.$/, '') ?? ''}.
            </Body1>
          ) : count.problem ? (
            <Body1>The rules cannot be counted: see the fields above.</Body1>
          ) : count.data ? (
            <>
              <Text className={styles.countValue}>{formatCount(count.data.members)}</Text>
              <Body1>
                of {formatCount(count.data.accounts)} accounts match
                {!counting || count.loading ? ' (updating…)' : ''}
              </Body1>
            </>
          ) : (
            <Spinner size="tiny" label="Counting…" />
          )}
        </div>
        <div className={styles.actions}>
          <Button
            appearance="primary"
            icon={saving ? <Spinner size="tiny" /> : <SaveRegular />}
            disabled={saving}
            onClick={() => void save()}
          >
            Save segment
          </Button>
          <Button icon={<DismissRegular />} onClick={props.onCancel}>
            Cancel
          </Button>
        </div>
      </Card>
    </>
  );
}
