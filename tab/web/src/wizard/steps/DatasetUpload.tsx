import {
  Button,
  Caption1,
  Field,
  Input,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ApiProblem } from '../../api/client';
import { api } from '../../api/operations';
import type { DatasetPreview, DatasetSummary, DatasetUpload as Upload } from '../../api/types';
import { FilePicker } from '../../ui/FilePicker';
import { formatCount } from '../../ui/format';
import { ProblemBar } from '../../ui/ProblemBar';
import { ColumnsPreview } from './ColumnsPreview';

const useStyles = makeStyles({
  panel: { display: 'grid', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground2 },
});

type Format = Upload['format'];

async function uploadOf(format: Format, files: Record<'accounts' | 'contacts' | 'json', File | undefined>) {
  const read = async (file: File) => ({ name: file.name, text: await file.text() });
  if (format === 'json') return files.json ? { format, file: await read(files.json) } : undefined;
  return files.accounts && files.contacts
    ? { format, accounts: await read(files.accounts), contacts: await read(files.contacts) }
    : undefined;
}

/** Upload a customer dataset (CSV or JSON): check it with a preview of its columns, then import it. */
export function DatasetUpload(props: { onImported(dataset: DatasetSummary): void }) {
  const styles = useStyles();
  const [name, setName] = useState('');
  const [format, setFormat] = useState<Format>('csv');
  const [files, setFiles] = useState<Record<'accounts' | 'contacts' | 'json', File | undefined>>({
    accounts: undefined,
    contacts: undefined,
    json: undefined,
  });
  const [busy, setBusy] = useState<'checking' | 'importing'>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<DatasetPreview>();

  const choose = (part: keyof typeof files) => (file: File | undefined) => {
    setFiles((f) => ({ ...f, [part]: file }));
    setPreview(undefined);
    setProblem(undefined);
    setMissing((m) => ({ ...m, [part]: '' }));
  };

  const check = async (andImport: boolean) => {
    const needed: Record<string, string> = {};
    if (format === 'csv' && !files.accounts) needed.accounts = 'Choose the accounts CSV file.';
    if (format === 'csv' && !files.contacts) needed.contacts = 'Choose the contacts CSV file.';
    if (format === 'json' && !files.json) needed.json = 'Choose the JSON file.';
    if (andImport && !name.trim()) needed.name = 'Enter a name for the dataset.';
    setMissing(needed);
    const upload = await uploadOf(format, files);
    if (Object.keys(needed).length || !upload) return;
    setBusy(andImport ? 'importing' : 'checking');
    setProblem(undefined);
    try {
      if (andImport) {
        props.onImported(await api.importDataset(name.trim(), upload));
      } else {
        setPreview(await api.previewDataset(upload));
      }
    } catch (error) {
      setPreview(undefined);
      setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, 'ClientError', String(error)));
    } finally {
      setBusy(undefined);
    }
  };

  const fileMessage = (part: 'accounts' | 'contacts' | 'json') => {
    const fromApi =
      part === 'json'
        ? problem?.fields
            .filter((f) => f.field !== 'name')
            .map((f) => f.message)
            .join(' ')
        : problem?.fieldMessage(part);
    return [missing[part], fromApi].filter(Boolean).join(' ') || undefined;
  };
  const nameMessage =
    [missing.name, problem?.fieldMessage('name'), problem?.status === 409 ? problem.message : undefined]
      .filter(Boolean)
      .join(' ') || undefined;
  const shownAtFields = problem && (problem.fields.length > 0 || problem.status === 409);

  return (
    <section className={styles.panel} aria-labelledby="upload-title">
      <Subtitle2 as="h3" id="upload-title">
        Import a dataset
      </Subtitle2>
      <Field label="Dataset name" required validationMessage={nameMessage}>
        <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="e.g. CRM export June" />
      </Field>
      <Field label="Format">
        <RadioGroup
          layout="horizontal"
          value={format}
          onChange={(_, d) => {
            setFormat(d.value as Format);
            setPreview(undefined);
            setProblem(undefined);
          }}
        >
          <Radio value="csv" label="CSV: accounts and contacts files" />
          <Radio value="json" label="JSON: one file" />
        </RadioGroup>
      </Field>
      {format === 'csv' ? (
        <>
          <FilePicker
            label="Accounts CSV"
            accept=".csv,text/csv"
            file={files.accounts}
            onChange={choose('accounts')}
            validationMessage={fileMessage('accounts')}
            hint="A header row; AccountId and Name columns, optionally a domain and an owner."
            testId="upload-accounts"
          />
          <FilePicker
            label="Contacts CSV"
            accept=".csv,text/csv"
            file={files.contacts}
            onChange={choose('contacts')}
            validationMessage={fileMessage('contacts')}
            hint="A header row; ContactId, AccountId and an email column."
            testId="upload-contacts"
          />
        </>
      ) : (
        <FilePicker
          label="Customer dataset JSON"
          accept=".json,application/json"
          file={files.json}
          onChange={choose('json')}
          validationMessage={fileMessage('json')}
          hint='{ "accounts": [ … ], "contacts": [ … ] }'
          testId="upload-json"
        />
      )}
      {problem && !shownAtFields && <ProblemBar problem={problem} title="The file cannot be used" />}
      <div className={styles.actions}>
        <Button onClick={() => void check(false)} disabled={busy !== undefined}>
          Check and preview
        </Button>
        <Button appearance="primary" onClick={() => void check(true)} disabled={busy !== undefined}>
          Import
        </Button>
        {busy && <Spinner size="tiny" label={busy === 'checking' ? 'Checking…' : 'Importing…'} />}
      </div>
      {preview && (
        <section aria-label="Preview of the upload">
          <Caption1 className={styles.muted}>
            {formatCount(preview.accountCount)} accounts and {formatCount(preview.contactCount)} contacts.
            Nothing is stored until you import.
          </Caption1>
          <ColumnsPreview title="Account columns" columns={preview.columns.accounts} />
          <ColumnsPreview title="Contact columns" columns={preview.columns.contacts} />
        </section>
      )}
    </section>
  );
}
