import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { AccountInput } from '../engine/directory';
import { displayText } from '../text/display-text';

/** A record of the customer dataset: its id, name and any other fields, all as text. */
export type DatasetRecord = Record<string, string>;

export interface CustomerDataset {
  accounts: DatasetRecord[];
  contacts: DatasetRecord[];
}

/** Which fields of the dataset mean what; only the contact email field is required. */
export interface FieldMapping {
  /** Contact field holding the contact's email address. */
  emailField: string;
  /** Account field holding the account's web domain(s); optional. */
  domainField?: string;
  /** Account field holding the owner's email, for stale-account alerts; optional. */
  ownerField?: string;
}

/** Which input a problem is in: the accounts or contacts (file or JSON array), or the whole file. */
export type DatasetPart = 'accounts' | 'contacts' | 'file';

/** One thing wrong with a dataset; the message names the file and, where there is one, the row. */
export interface DatasetProblem {
  part: DatasetPart;
  message: string;
}

export class DatasetError extends Error {
  /** Every problem found (the message starts with the first). */
  readonly problems: readonly DatasetProblem[];

  constructor(message: string, problems?: readonly DatasetProblem[]) {
    super(message);
    this.name = 'DatasetError';
    this.problems = problems ?? [{ part: 'file', message }];
  }
}

/** Names a record for messages, e.g. `accounts.csv line 4` or `customers.json accounts[3]`. */
export type RowName = (part: 'accounts' | 'contacts', index: number) => string;

const MAX_PROBLEMS = 20;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const record = z.record(z.string(), scalar);
const datasetJson = z.object({
  accounts: z.array(record, { error: 'must be an array of account objects' }),
  contacts: z.array(record, { error: 'must be an array of contact objects' }),
});

/**
 * A cell as stored: trimmed, and without NUL, stray controls and bidi overrides (displayText), so
 * that no screen, card or export shows a name that reads backwards or hides characters.
 */
function asText(value: z.infer<typeof scalar> | undefined): string {
  return value === null || value === undefined ? '' : displayText(String(value)).trim();
}

function toRecords(rows: Record<string, z.infer<typeof scalar>>[]): DatasetRecord[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asText(v)])));
}

/** Reads the JSON form `{ accounts: [...], contacts: [...] }` without checking ids. */
export function readDatasetJson(text: string, source = 'customer dataset'): CustomerDataset {
  if (text.trim() === '') throw new DatasetError(`${source} is empty`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const result = datasetJson.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the top level';
    throw new DatasetError(
      `${source}: ${where} ${issue?.message ?? 'is invalid'} (expected { "accounts": [...], "contacts": [...] })`,
    );
  }
  return { accounts: toRecords(result.data.accounts), contacts: toRecords(result.data.contacts) };
}

/** Parses the JSON form `{ accounts: [...], contacts: [...] }`. */
export function parseDatasetJson(text: string, source = 'customer dataset'): CustomerDataset {
  return validateDataset(readDatasetJson(text, source), source);
}

/** Records of one CSV file and the line each starts on (the header is line 1). */
export interface CsvRecords {
  records: DatasetRecord[];
  lines: number[];
}

/** Parses one CSV file with a header row, remembering the line of each record. */
export function readDatasetCsv(text: string, source: string, requiredColumns: readonly string[]): CsvRecords {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new DatasetError(`${source} is not valid CSV: ${(error as Error).message}`);
  }
  const [first, ...body] = rows;
  const header = first?.record;
  if (!header || header.length === 0) throw new DatasetError(`${source} is empty: it needs a header row`);
  if (header.length === 1 && /[;\t|]/.test(header[0] ?? '')) {
    throw new DatasetError(
      `${source} does not use commas: its header is "${header[0]}"; save it as comma-separated`,
    );
  }
  const repeated = header.filter((name, i) => header.indexOf(name) !== i);
  if (repeated.length) {
    throw new DatasetError(
      `${source} names the column ${[...new Set(repeated)].map((r) => `"${r}"`).join(', ')} more than once in its header row`,
    );
  }
  const missing = requiredColumns.filter((column) => !header.includes(column));
  if (missing.length) {
    throw new DatasetError(
      `${source} has no ${missing.map((m) => `"${m}"`).join(', ')} column in its header row (found: ${header.join(', ')}); the first row must name the columns`,
    );
  }
  return {
    records: body.map(({ record }) => Object.fromEntries(header.map((name, i) => [name, asText(record[i])]))),
    lines: body.map(({ info }) => info.lines),
  };
}

/** Parses one CSV file with a header row. */
export function parseDatasetCsv(
  text: string,
  source: string,
  requiredColumns: readonly string[],
): DatasetRecord[] {
  return readDatasetCsv(text, source, requiredColumns).records;
}

export const ACCOUNT_COLUMNS = ['AccountId', 'Name'] as const;
export const CONTACT_COLUMNS = ['ContactId', 'AccountId'] as const;

/** Accounts and contacts from two CSV files. */
export function parseDatasetCsvPair(accountsCsv: string, contactsCsv: string): CustomerDataset {
  return validateDataset({
    accounts: parseDatasetCsv(accountsCsv, 'accounts CSV', ACCOUNT_COLUMNS),
    contacts: parseDatasetCsv(contactsCsv, 'contacts CSV', CONTACT_COLUMNS),
  });
}

/**
 * Every problem of a dataset (up to a limit): ids present and unique, accounts named, contacts
 * attached to known accounts. Each message names the record through `rowName`.
 */
export function datasetProblems(dataset: CustomerDataset, rowName: RowName): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  const add = (part: DatasetPart, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ part, message });
  };
  const accountRows = new Map<string, number>();
  dataset.accounts.forEach((account, i) => {
    const id = account.AccountId ?? '';
    const row = rowName('accounts', i);
    if (!id) return add('accounts', `${row}: the account has no AccountId`);
    if (!account.Name) add('accounts', `${row}: account "${id}" has no Name`);
    const first = accountRows.get(id);
    if (first !== undefined) {
      add(
        'accounts',
        `${row}: AccountId "${id}" appears more than once (first at ${rowName('accounts', first)})`,
      );
    } else {
      accountRows.set(id, i);
    }
  });
  const contactRows = new Map<string, number>();
  dataset.contacts.forEach((contact, i) => {
    const id = contact.ContactId ?? '';
    const row = rowName('contacts', i);
    if (!id) return add('contacts', `${row}: the contact has no ContactId`);
    const first = contactRows.get(id);
    if (first !== undefined) {
      add(
        'contacts',
        `${row}: ContactId "${id}" appears more than once (first at ${rowName('contacts', first)})`,
      );
    } else {
      contactRows.set(id, i);
    }
    if (!accountRows.has(contact.AccountId ?? '')) {
      add(
        'contacts',
        `${row}: contact "${id}" belongs to AccountId "${contact.AccountId ?? ''}", which is not an account of the dataset`,
      );
    }
  });
  return problems;
}

/** One DatasetError carrying every problem; its message is the first, with a count of the rest. */
export function problemsError(problems: readonly DatasetProblem[]): DatasetError {
  const [first, ...rest] = problems;
  const more = rest.length ? ` (and ${rest.length} more ${rest.length === 1 ? 'problem' : 'problems'})` : '';
  return new DatasetError(`${first?.message ?? 'The dataset cannot be read'}${more}`, problems);
}

export function throwProblems(problems: readonly DatasetProblem[]): void {
  if (problems.length) throw problemsError(problems);
}

/** Ids present and unique, contacts attached to known accounts: otherwise one clear error. */
export function validateDataset(dataset: CustomerDataset, source = 'customer dataset'): CustomerDataset {
  throwProblems(
    datasetProblems(
      dataset,
      (part, i) => `${source} ${part === 'accounts' ? 'account' : 'contact'} ${i + 1}`,
    ),
  );
  return dataset;
}

function fieldsOf(records: readonly DatasetRecord[]): Set<string> {
  const fields = new Set<string>();
  for (const r of records) for (const key of Object.keys(r)) fields.add(key);
  return fields;
}

/** The fields of a dataset's accounts and contacts, in first-seen order. */
export interface DatasetColumns {
  accounts: string[];
  contacts: string[];
}

export function datasetColumns(dataset: CustomerDataset): DatasetColumns {
  return { accounts: [...fieldsOf(dataset.accounts)], contacts: [...fieldsOf(dataset.contacts)] };
}

export interface MappingProblem {
  field: keyof FieldMapping;
  message: string;
}

/** Every mapped field that is not a column of the dataset, naming what is there instead. */
export function mappingProblems(columns: DatasetColumns, mapping: FieldMapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (!columns.contacts.includes(mapping.emailField)) {
    problems.push({
      field: 'emailField',
      message: `The contact email field "${mapping.emailField}" is not a contact field (contact fields: ${columns.contacts.join(', ')})`,
    });
  }
  for (const [what, key] of [
    ['domain', 'domainField'],
    ['owner', 'ownerField'],
  ] as const) {
    const field = mapping[key];
    if (field && !columns.accounts.includes(field)) {
      problems.push({
        field: key,
        message: `The account ${what} field "${field}" is not an account field (account fields: ${columns.accounts.join(', ')})`,
      });
    }
  }
  return problems;
}

/** Checks that the mapped fields exist, naming the ones that do not and what is there instead. */
export function checkMapping(dataset: CustomerDataset, mapping: FieldMapping): void {
  const [problem] = mappingProblems(datasetColumns(dataset), mapping);
  if (problem) throw new DatasetError(problem.message);
}

/** The engine's view of the dataset under a field mapping. */
export function accountInputs(dataset: CustomerDataset, mapping: FieldMapping): AccountInput[] {
  checkMapping(dataset, mapping);
  const emails = new Map<string, string[]>();
  for (const contact of dataset.contacts) {
    const email = contact[mapping.emailField];
    if (!email) continue;
    const list = emails.get(contact.AccountId ?? '') ?? [];
    list.push(email);
    emails.set(contact.AccountId ?? '', list);
  }
  return dataset.accounts.map((account) => {
    const id = account.AccountId ?? '';
    const domain = mapping.domainField ? account[mapping.domainField] : undefined;
    return {
      id,
      name: account.Name ?? id,
      contactEmails: emails.get(id) ?? [],
      ...(domain ? { domains: [domain] } : {}),
    };
  });
}
