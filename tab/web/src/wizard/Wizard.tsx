import {
  Body1,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowLeftRegular, ArrowRightRegular, SaveRegular } from '@fluentui/react-icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiProblem, type FieldProblem } from '../api/client';
import { api } from '../api/operations';
import type { EnrichmentDraft, SaveOutcome } from '../api/types';
import { useResource } from '../api/use-resource';
import { useEnrichments } from '../enrichment/EnrichmentProvider';
import { formatDateTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { ProblemBar } from '../ui/ProblemBar';
import { ConsentStep } from './steps/ConsentStep';
import { DatasetStep } from './steps/DatasetStep';
import { MappingStep } from './steps/MappingStep';
import { NamesStep } from './steps/NamesStep';
import { OverviewStep } from './steps/OverviewStep';
import { ReviewStep } from './steps/ReviewStep';
import type { StepProps } from './steps/step-props';
import { TrackedStep } from './steps/TrackedStep';
import { useWizardDraft, type WizardMode } from './use-wizard-draft';
import { STEPS, messagesByField, stepOfField, stepPosition, stepProblems, type StepId } from './wizard-model';
import { WizardSteps } from './WizardSteps';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gap: tokens.spacingHorizontalL,
    gridTemplateColumns: 'minmax(0, 1fr)',
    '@media (min-width: 900px)': { gridTemplateColumns: '220px minmax(0, 1fr)', alignItems: 'start' },
  },
  card: { gap: tokens.spacingVerticalL, padding: tokens.spacingHorizontalXL },
  stepHead: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  stepTitle: { ...typographyStyles.subtitle1, margin: 0, outline: 'none' },
  footer: {
    display: 'flex',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    flexWrap: 'wrap',
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalL,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

function valueAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

const sameAt = (a: unknown, b: unknown, path: string) =>
  JSON.stringify(valueAt(a, path)) === JSON.stringify(valueAt(b, path));

/** The configuration wizard: one step at a time, each checked before moving on, everything checked on save. */
export function Wizard(props: { mode: WizardMode; onSaved(outcome: SaveOutcome): void }) {
  const styles = useStyles();
  const wizard = useWizardDraft(props.mode);
  const enrichments = useEnrichments();
  const datasets = useResource('datasets', (signal) => api.datasets(signal));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saveProblem, setSaveProblem] = useState<ApiProblem>();
  const [saving, setSaving] = useState(false);
  const stepTitle = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  const { step, draft, kinds } = wizard;
  const index = STEPS.findIndex((s) => s.id === step);
  const dataset = datasets.data?.datasets.find((d) => d.datasetId === draft.datasetId);
  const messages = useMemo(() => messagesByField(problems), [problems]);
  const withProblems = useMemo(() => new Set(problems.map((p) => stepOfField(p.field))), [problems]);
  // A step is done once its own checks pass (the overview once it was read; the review never).
  const done = useMemo(
    () =>
      new Set(
        STEPS.filter((s, i) =>
          s.id === 'overview'
            ? index > i
            : s.id !== 'review' && stepProblems(s.id, draft, kinds).length === 0,
        ).map((s) => s.id),
      ),
    [index, draft, kinds],
  );

  // With one customer dataset there is nothing to choose: it is preselected (never over a choice).
  const onlyDataset = datasets.data?.datasets.length === 1 ? datasets.data.datasets[0] : undefined;
  const { ready, update: updateDraft } = wizard;
  useEffect(() => {
    if (!ready || !onlyDataset || draft.datasetId) return;
    updateDraft((d) => (d.datasetId ? d : { ...d, datasetId: onlyDataset.datasetId, mapping: {} }));
  }, [ready, onlyDataset, draft.datasetId, updateDraft]);

  useEffect(() => {
    // Moving between steps puts the focus on the new step's title (not on the first render).
    if (moved.current) stepTitle.current?.focus();
  }, [step]);

  const goTo = (target: StepId) => {
    moved.current = true;
    wizard.setStep(target);
  };

  const next = () => {
    const found = stepProblems(step, draft, kinds);
    const others = problems.filter((p) => stepOfField(p.field) !== step);
    setProblems([...others, ...found]);
    if (found.length === 0 && index < STEPS.length - 1) goTo(STEPS[index + 1]?.id ?? step);
  };

  const save = async () => {
    const found = STEPS.flatMap((s) => stepProblems(s.id, draft, kinds));
    setProblems(found);
    setSaveProblem(undefined);
    const first = found[0];
    if (first) {
      goTo(stepOfField(first.field));
      return;
    }
    setSaving(true);
    // No draft may reach the server after the save: creating the enrichment discards it there.
    await wizard.pauseKeeping();
    try {
      const outcome =
        props.mode.kind === 'edit'
          ? await api.updateEnrichment(
              props.mode.enrichment.enrichmentId,
              props.mode.enrichment.version,
              draft,
            )
          : await api.createEnrichment(draft);
      wizard.clear();
      enrichments.select(outcome.enrichment.enrichmentId);
      enrichments.reload();
      props.onSaved(outcome);
    } catch (error) {
      wizard.resumeKeeping();
      const problem = error instanceof ApiProblem ? error : new ApiProblem(0, 'ClientError', String(error));
      setSaveProblem(problem);
      const fields = problem.fields.filter((f) => f.field !== '');
      setProblems(fields);
      const firstField = fields[0];
      if (firstField) goTo(stepOfField(firstField.field));
    } finally {
      setSaving(false);
    }
  };

  const title = props.mode.kind === 'edit' ? `Edit “${props.mode.enrichment.name}”` : 'Set up the enrichment';
  if (!wizard.ready) {
    return (
      <>
        <PageHeader title={title} />
        <Spinner label="Loading your draft…" />
      </>
    );
  }

  // A field's problem goes as soon as the field changes; it comes back only from the next check.
  const update = (edit: (draft: EnrichmentDraft) => EnrichmentDraft) => {
    const { before, after } = wizard.update(edit);
    setProblems((current) => current.filter((p) => sameAt(before, after, p.field)));
  };
  const stepProps: StepProps = {
    draft,
    update,
    messages,
    kinds,
    rememberKinds: wizard.rememberKinds,
    labels: wizard.labels,
    rememberLabels: wizard.rememberLabels,
  };
  const current = STEPS[index] ?? STEPS[0];
  return (
    <>
      <PageHeader
        title={title}
        description={
          wizard.keptAt ? (
            <Caption1 className={styles.muted} data-testid="draft-kept">
              Draft kept {formatDateTime(wizard.keptAt)}
            </Caption1>
          ) : undefined
        }
      />
      <ProblemBar problem={wizard.loadProblem} title="Your draft could not be loaded" />
      <ProblemBar problem={wizard.keepProblem} title="Your draft could not be kept on the server" />
      {saveProblem && (
        <MessageBar intent="error" role="alert" data-testid="save-problem">
          <MessageBarBody>
            <MessageBarTitle>Not saved</MessageBarTitle>
            {saveProblem.message}
            {saveProblem.fields.length > 0 && ' Each problem is shown at its field.'}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.layout}>
        <WizardSteps current={step} done={done} withProblems={withProblems} onSelect={goTo} />
        <Card className={styles.card} aria-labelledby="wizard-step-title">
          <div className={styles.stepHead}>
            <Caption1 id="wizard-step-position" className={styles.muted} data-testid="wizard-step-position">
              {stepPosition(current.id)}
            </Caption1>
            <h2
              id="wizard-step-title"
              tabIndex={-1}
              ref={stepTitle}
              className={styles.stepTitle}
              aria-describedby="wizard-step-position"
            >
              {current.title}
            </h2>
          </div>
          {step === 'overview' && <OverviewStep />}
          {step === 'tracked' && <TrackedStep {...stepProps} />}
          {step === 'consent' && <ConsentStep {...stepProps} />}
          {step === 'dataset' && <DatasetStep {...stepProps} datasets={datasets} />}
          {step === 'mapping' && <MappingStep {...stepProps} dataset={dataset} />}
          {step === 'names' && <NamesStep {...stepProps} />}
          {step === 'review' && <ReviewStep {...stepProps} dataset={dataset} goTo={goTo} />}
          <div className={styles.footer}>
            <Button
              icon={<ArrowLeftRegular />}
              disabled={index === 0}
              onClick={() => goTo(STEPS[index - 1]?.id ?? step)}
            >
              Back
            </Button>
            {step === 'review' ? (
              <Button
                appearance="primary"
                icon={saving ? <Spinner size="tiny" /> : <SaveRegular />}
                disabled={saving}
                onClick={() => void save()}
              >
                Save
              </Button>
            ) : (
              <Button appearance="primary" icon={<ArrowRightRegular />} iconPosition="after" onClick={next}>
                Next
              </Button>
            )}
          </div>
        </Card>
      </div>
      {problems.length > 0 && step !== 'review' && withProblems.has('review') && (
        <Body1>Some settings outside these steps have problems: see Review.</Body1>
      )}
    </>
  );
}
