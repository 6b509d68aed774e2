import { ProgressBar, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, CircleRegular, ErrorCircleFilled } from '@fluentui/react-icons';
import { useMediaQuery } from '../ui/use-media-query';
import { STEPS, STEP_COUNT, stepLabel, stepNumber, stepPosition, type StepId } from './wizard-model';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalXXS },
  button: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    width: '100%',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: 'none',
    borderRadius: tokens.borderRadiusMedium,
    background: 'none',
    color: tokens.colorNeutralForeground2,
    font: 'inherit',
    fontSize: tokens.fontSizeBase300,
    textAlign: 'left',
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover, color: tokens.colorNeutralForeground1 },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  current: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
  },
  done: { color: tokens.colorPaletteGreenForeground1 },
  problem: { color: tokens.colorPaletteRedForeground1 },
  todo: { color: tokens.colorNeutralForeground4 },
});

/**
 * The wizard's steps: a list to move between them when wide ("1. Who to track" …, the overview
 * unnumbered), a progress bar when narrow. The step's card says "Step 1 of 6" either way.
 */
export function WizardSteps(props: {
  current: StepId;
  done: ReadonlySet<StepId>;
  withProblems: ReadonlySet<StepId>;
  onSelect(step: StepId): void;
}) {
  const styles = useStyles();
  const wide = useMediaQuery('(min-width: 900px)');
  if (!wide) {
    return (
      <ProgressBar
        value={(stepNumber(props.current) ?? 0) / STEP_COUNT}
        aria-label={stepPosition(props.current)}
      />
    );
  }
  return (
    <nav aria-label="Steps">
      <ol className={styles.list}>
        {STEPS.map((step) => {
          const problem = props.withProblems.has(step.id);
          const done = props.done.has(step.id);
          const state = problem ? 'has a problem' : done ? 'done' : 'to do';
          return (
            <li key={step.id}>
              <button
                type="button"
                className={mergeClasses(styles.button, step.id === props.current && styles.current)}
                aria-current={step.id === props.current ? 'step' : undefined}
                onClick={() => props.onSelect(step.id)}
              >
                {problem ? (
                  <ErrorCircleFilled className={styles.problem} aria-hidden />
                ) : done ? (
                  <CheckmarkCircleFilled className={styles.done} aria-hidden />
                ) : (
                  <CircleRegular className={styles.todo} aria-hidden />
                )}
                <span>
                  {stepLabel(step.id)}
                  <span className="visually-hidden">, {state}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
