import {
  ACCOUNT_COLUMNS,
  CONTACT_COLUMNS,
  DatasetError,
  datasetProblems,
  problemsError,
  readDatasetCsv,
  readDatasetJson,
  throwProblems,
  type CsvRecords,
  type CustomerDataset,
  type DatasetPart,
  type DatasetProblem,
} from './customer-dataset';

/** A file as the tab uploads it: its text, and its name for messages. */
export interface UploadedFile {
  name?: string | undefined;
  text: string;
}

export type DatasetUpload =
  { format: 'json'; file: UploadedFile } | { format: 'csv'; accounts: UploadedFile; contacts: UploadedFile };

function problemsOf(error: unknown, part: DatasetPart): DatasetProblem[] {
  if (!(error instanceof DatasetError)) throw error;
  return error.problems.map((p) => ({ ...p, part }));
}

function readCsvUpload(upload: Extract<DatasetUpload, { format: 'csv' }>): CustomerDataset {
  const names = {
    accounts: upload.accounts.name ?? 'accounts CSV',
    contacts: upload.contacts.name ?? 'contacts CSV',
  };
  const problems: DatasetProblem[] = [];
  const read = (part: 'accounts' | 'contacts', columns: readonly string[]): CsvRecords | undefined => {
    try {
      return readDatasetCsv(upload[part].text, names[part], columns);
    } catch (error) {
      problems.push(...problemsOf(error, part));
      return undefined;
    }
  };
  const accounts = read('accounts', ACCOUNT_COLUMNS);
  const contacts = read('contacts', CONTACT_COLUMNS);
  if (accounts && accounts.records.length === 0) {
    problems.push({ part: 'accounts', message: `${names.accounts} has a header row but no accounts` });
  }
  if (problems.length || !accounts || !contacts) throw problemsError(problems);
  const dataset = { accounts: accounts.records, contacts: contacts.records };
  const lines = { accounts: accounts.lines, contacts: contacts.lines };
  throwProblems(datasetProblems(dataset, (part, i) => `${names[part]} line ${lines[part][i] ?? i + 2}`));
  return dataset;
}

function readJsonUpload(upload: Extract<DatasetUpload, { format: 'json' }>): CustomerDataset {
  const name = upload.file.name ?? 'customer dataset JSON';
  const dataset = readDatasetJson(upload.file.text, name);
  if (dataset.accounts.length === 0) throw new DatasetError(`${name} has no accounts`);
  throwProblems(datasetProblems(dataset, (part, i) => `${name} ${part}[${i}]`));
  return dataset;
}

/**
 * The dataset in an upload, checked whole: every problem found is in the DatasetError's `problems`,
 * each naming its file and row.
 */
export function readUpload(upload: DatasetUpload): CustomerDataset {
  return upload.format === 'csv' ? readCsvUpload(upload) : readJsonUpload(upload);
}
