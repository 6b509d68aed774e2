import { z } from 'zod';
import type { CustomerDataset, DatasetRecord, FieldMapping } from './customer-dataset';

/** One column as the mapping step shows it: its name, a few values and how many records fill it. */
export const columnPreviewSchema = z.object({
  name: z.string(),
  /** Up to `SAMPLE_VALUES` distinct non-empty values, in record order. */
  samples: z.array(z.string()),
  /** Records with a non-empty value. */
  filled: z.number().int(),
});
export type ColumnPreview = z.infer<typeof columnPreviewSchema>;

export const datasetPreviewSchema = z.object({
  accountCount: z.number().int(),
  contactCount: z.number().int(),
  columns: z.object({ accounts: z.array(columnPreviewSchema), contacts: z.array(columnPreviewSchema) }),
  /** Columns that look like the contact email, the account domain and the owner's email. */
  suggestedMapping: z.object({
    emailField: z.string().optional(),
    domainField: z.string().optional(),
    ownerField: z.string().optional(),
  }),
});
export type DatasetPreview = z.infer<typeof datasetPreviewSchema>;

export const SAMPLE_VALUES = 3;
const MAX_SAMPLE_LENGTH = 80;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

function columnPreviews(records: readonly DatasetRecord[]): ColumnPreview[] {
  const columns = new Map<string, ColumnPreview>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      let column = columns.get(name);
      if (!column) {
        column = { name, samples: [], filled: 0 };
        columns.set(name, column);
      }
      if (value === '') continue;
      column.filled += 1;
      const sample = value.length > MAX_SAMPLE_LENGTH ? `${value.slice(0, MAX_SAMPLE_LENGTH - 1)}…` : value;
      if (column.samples.length < SAMPLE_VALUES && !column.samples.includes(sample))
        column.samples.push(sample);
    }
  }
  return [...columns.values()];
}

/** The first column whose name matches and whose samples all pass the test. */
function guess(
  columns: readonly ColumnPreview[],
  name: RegExp,
  looksRight: (value: string) => boolean,
): string | undefined {
  return columns.find((c) => name.test(c.name) && c.samples.length > 0 && c.samples.every(looksRight))?.name;
}

/** A first guess at the mapping, which the admin confirms or changes. */
export function suggestMapping(columns: DatasetPreview['columns']): Partial<FieldMapping> {
  const isEmail = (v: string) => EMAIL.test(v);
  const emailField = guess(columns.contacts, /mail/i, isEmail);
  const domainField = guess(columns.accounts, /domain|website|web|url/i, (v) =>
    DOMAIN.test(v.replace(/^https?:\/\/(www\.)?/i, '').replace(/\/.*$/, '')),
  );
  const ownerField = guess(columns.accounts, /owner|seller|manager/i, isEmail);
  return {
    ...(emailField ? { emailField } : {}),
    ...(domainField ? { domainField } : {}),
    ...(ownerField ? { ownerField } : {}),
  };
}

export function previewDataset(dataset: CustomerDataset): DatasetPreview {
  const columns = { accounts: columnPreviews(dataset.accounts), contacts: columnPreviews(dataset.contacts) };
  return {
    accountCount: dataset.accounts.length,
    contactCount: dataset.contacts.length,
    columns,
    suggestedMapping: suggestMapping(columns),
  };
}
