import { Button, Caption1, Field, makeStyles, tokens } from '@fluentui/react-components';
import { DocumentArrowUpRegular } from '@fluentui/react-icons';
import { useId, useRef } from 'react';

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  name: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  input: { display: 'none' },
});

/** A file chooser as a Fluent field: a button, the chosen file's name, and the field's message. */
export function FilePicker(props: {
  label: string;
  accept: string;
  file: File | undefined;
  onChange(file: File | undefined): void;
  validationMessage?: string | undefined;
  hint?: string;
  testId?: string;
}) {
  const styles = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const nameId = useId();
  return (
    <Field
      label={props.label}
      required
      validationMessage={props.validationMessage}
      {...(props.hint ? { hint: props.hint } : {})}
    >
      <div className={styles.row}>
        <Button
          icon={<DocumentArrowUpRegular />}
          onClick={() => input.current?.click()}
          aria-describedby={nameId}
        >
          Choose file
        </Button>
        <Caption1 id={nameId} className={styles.name}>
          {props.file ? props.file.name : 'No file chosen'}
        </Caption1>
        <input
          ref={input}
          className={styles.input}
          type="file"
          accept={props.accept}
          data-testid={props.testId}
          onChange={(event) => props.onChange(event.target.files?.[0])}
        />
      </div>
    </Field>
  );
}
