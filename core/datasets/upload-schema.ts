import { z } from 'zod';
import { SLUG, slugOf } from '../config/slug';

/** The request bodies of the dataset API's uploads (checked in the parse worker, documented by the routes). */

export const datasetIdSchema = z
  .string()
  .regex(SLUG, 'must be a dataset id (lower-case letters, digits and hyphens)');

const fileSchema = z
  .object({
    /** The file's name, used in messages (e.g. "accounts.csv line 4: …"). */
    name: z.string().max(255).optional(),
    text: z.string(),
  })
  .strict();

export const uploadSchema = z.discriminatedUnion(
  'format',
  [
    z.object({ format: z.literal('csv'), accounts: fileSchema, contacts: fileSchema }).strict(),
    z.object({ format: z.literal('json'), file: fileSchema }).strict(),
  ],
  { error: 'format must be "csv" (accounts and contacts files) or "json" (one file)' },
);

const datasetName = z.string().trim().min(1, 'Enter a name for the dataset').max(100);

export const previewBodySchema = z.object({ upload: uploadSchema }).strict();

export const importBodySchema = z
  .object({
    name: datasetName.refine((name) => slugOf(name) !== '', 'The name must contain a letter or a digit'),
    /** Default: a slug of the name. */
    datasetId: datasetIdSchema.optional(),
    upload: uploadSchema,
  })
  .strict();

export const replaceBodySchema = z.object({ name: datasetName, upload: uploadSchema }).strict();

/** Which upload a request carries: a preview, a new dataset, or a replacement. */
export type UploadKind = 'preview' | 'import' | 'replace';

export const uploadBodySchemas = {
  preview: previewBodySchema,
  import: importBodySchema,
  replace: replaceBodySchema,
} as const;
