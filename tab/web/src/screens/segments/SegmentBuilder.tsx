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
import { fromRules, newCondition, newGroup, toRules, type EditGroup } from './rule-model';

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

  const rules = toRules(group);
  const settled = useDebounced(JSON.stringify(rules), 300);
  const count = useResource(
    `segment-preview:${props.enrichmentId}:${settled}`,
    (signal) => api.previewSegment(props.enrichmentId, JSON.parse(settled) as typeof rules, signal),
    { keepData: true },
  );
  // The rule problems shown: the live count's, unless a save found others.
  const problem = saveProblem ?? count.problem;

  const save = async () => {
    if (!name.trim()) {
      setSaveProblem(
        new ApiProblem(0, 'MissingName', 'Name the segment.', [
          { field: 'name', message: 'Enter a name for the segment.' },
        ]),
      );
      return;
    }
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
        <Field label="Name" required validationMessage={saveProblem?.fieldMessage('name')}>
          <Input
            value={name}
            onChange={(_, d) => {
              setName(d.value);
              setSaveProblem(undefined);
            }}
            placeholder="e.g. Engaged, but no meetings"
          />
        </Field>
        <Field label="Description" validationMessage={saveProblem?.fieldMessage('description')}>
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
          problem={problem}
          onChange={(next) => {
            setSaveProblem(undefined);
            setGroup(next ?? newGroup());
          }}
        />
        <div className={styles.count} role="status" aria-live="polite" data-testid="segment-live-count">
          {count.data ? (
            <>
              <Text className={styles.countValue}>{formatCount(count.data.members)}</Text>
              <Body1>
                of {formatCount(count.data.accounts)} accounts match{count.loading ? ' (updating…)' : ''}
              </Body1>
            </>
          ) : count.problem ? (
            <Body1>The rules are not complete: see the fields above.</Body1>
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
