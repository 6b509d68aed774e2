import { Body1, makeStyles, tokens } from '@fluentui/react-components';
import { NUMBERED_STEPS, STEP_COUNT } from '../wizard-model';

const useStyles = makeStyles({
  list: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
});

/** What the wizard asks for, before it asks. */
export function OverviewStep() {
  const styles = useStyles();
  return (
    <>
      <Body1>
        An enrichment scores every customer account by the email and meetings your colleagues had with it over
        the last year. Setting one up takes {STEP_COUNT} steps and a few minutes:
      </Body1>
      <ol className={styles.list}>
        {NUMBERED_STEPS.map((step) => (
          <li key={step.id}>
            <Body1>{step.title}</Body1>
          </li>
        ))}
      </ol>
      <Body1>Your input is kept as a draft as you go: you can leave and come back at any time.</Body1>
    </>
  );
}
