import { Body1, Card, Checkbox, Field, makeStyles, tokens } from '@fluentui/react-components';
import { messageFor } from '../wizard-model';
import type { StepProps } from './step-props';

const useStyles = makeStyles({
  statement: {
    backgroundColor: tokens.colorNeutralBackground2,
    gap: tokens.spacingVerticalS,
  },
  list: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
});

/** What the enrichment reads and keeps, and the admin's agreement to it. */
export function ConsentStep(props: StepProps) {
  const styles = useStyles();
  return (
    <>
      <Card className={styles.statement} appearance="filled-alternative" aria-label="Consent statement">
        <Body1>
          Account engagement reads the <strong>metadata</strong> of the tracked users&apos; email and meetings
          through Microsoft Graph, and keeps only totals per customer account:
        </Body1>
        <ul className={styles.list}>
          <li>
            Read: senders, recipients and send times of email; organizers, attendees, start and end of
            meetings.
          </li>
          <li>Never read: subjects, bodies, previews or attachments.</li>
          <li>
            Kept: per-account counts, dates and averages over the last year, in the data region you choose.
          </li>
          <li>Nothing about one message or one meeting outlives a run.</li>
          <li>
            A tenant admin must grant the app access (admin consent) before the first run; a request is mailed
            when you save.
          </li>
        </ul>
      </Card>
      <Field validationMessage={messageFor(props.messages, 'consentStatement')} required>
        <Checkbox
          checked={props.draft.consentStatement?.accepted === true}
          onChange={(_, data) =>
            props.update((d) => ({ ...d, consentStatement: { accepted: data.checked === true } }))
          }
          label="I agree: Account engagement may read this metadata for the tracked users, on behalf of my organization."
        />
      </Field>
    </>
  );
}
