import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { AccountInput } from '../engine/directory';

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

export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const record = z.record(z.string(), scalar);
const datasetJson = z.object({
  accounts: z.array(record, { error: 'must be an array of account objects' }),
  contacts: z.array(record, { error: 'must be an array of contact objects' }),
});

function asText(value: z.infer<typeof scalar> | undefined): string {
  return value === null || value === undefined ? '' : String(value).trim();
}

function toRecords(rows: Record<string, z.infer<typeof scalar>>[]): DatasetRecord[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asText(v)])));
}

/** Parses the JSON form `{ accounts: [...], contacts: [...] }`. */
export function parseDatasetJson(text: string, source = 'customer dataset'): CustomerDataset {
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
  return validateDataset(
    { accounts: toRecords(result.data.accounts), contacts: toRecords(result.data.contacts) },
    source,
  );
}

/** Parses one CSV file with a header row. */
export function parseDatasetCsv(
  text: string,
  source: string,
  requiredColumns: readonly string[],
): DatasetRecord[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as string[][];
  } catch (error) {
    throw new DatasetError(`${source} is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header || header.length === 0) throw new DatasetError(`${source} is empty: it needs a header row`);
  if (header.length === 1 && /[;\t|]/.test(header[0] ?? '')) {
    throw new DatasetError(
      `${source} does not use commas: its header is "${header[0]}"; save it as comma-separated`,
    );
  }
  const missing = requiredColumns.filter((column) => !header.includes(column));
  if (missing.length) {
    throw new DatasetError(
      `${source} has no ${missing.map((m) => `"${m}"`).join(', ')} column in its header row (found: ${header.join(', ')})`,
    );
  }
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

/** Accounts and contacts from two CSV files. */
export function parseDatasetCsvPair(accountsCsv: string, contactsCsv: string): CustomerDataset {
  return validateDataset({
    accounts: parseDatasetCsv(accountsCsv, 'accounts CSV', ['AccountId', 'Name']),
    contacts: parseDatasetCsv(contactsCsv, 'contacts CSV', ['ContactId', 'AccountId']),
  });
}

/** Ids present and unique, contacts attached to known accounts: otherwise one clear error. */
export function validateDataset(dataset: CustomerDataset, source = 'customer dataset'): CustomerDataset {
  const accountIds = new Set<string>();
  dataset.accounts.forEach((account, i) => {
    const id = account.AccountId ?? '';
    if (!id) throw new DatasetError(`${source}: account ${i + 1} has no AccountId`);
    if (!account.Name) throw new DatasetError(`${source}: account "${id}" has no Name`);
    if (accountIds.has(id)) throw new DatasetError(`${source}: AccountId "${id}" appears more than once`);
    accountIds.add(id);
  });
  const contactIds = new Set<string>();
  dataset.contacts.forEach((contact, i) => {
    const id = contact.ContactId ?? '';
    if (!id) throw new DatasetError(`${source}: contact ${i + 1} has no ContactId`);
    if (contactIds.has(id)) throw new DatasetError(`${source}: ContactId "${id}" appears more than once`);
    contactIds.add(id);
    if (!accountIds.has(contact.AccountId ?? '')) {
      throw new DatasetError(
        `${source}: contact "${id}" belongs to AccountId "${contact.AccountId ?? ''}", which is not an account of the dataset`,
      );
    }
  });
  return dataset;
}

function fieldsOf(records: readonly DatasetRecord[]): Set<string> {
  const fields = new Set<string>();
  for (const r of records) for (const key of Object.keys(r)) fields.add(key);
  return fields;
}

/** Checks that the mapped fields exist, naming the ones that do not and what is there instead. */
export function checkMapping(dataset: CustomerDataset, mapping: FieldMapping): void {
  const contactFields = fieldsOf(dataset.contacts);
  const accountFields = fieldsOf(dataset.accounts);
  if (!contactFields.has(mapping.emailField)) {
    throw new DatasetError(
      `The contact email field "${mapping.emailField}" is not a contact field (contact fields: ${[...contactFields].join(', ')})`,
    );
  }
  for (const [what, field] of [
    ['domain', mapping.domainField],
    ['owner', mapping.ownerField],
  ] as const) {
    if (field && !accountFields.has(field)) {
      throw new DatasetError(
        `The account ${what} field "${field}" is not an account field (account fields: ${[...accountFields].join(', ')})`,
      );
    }
  }
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
