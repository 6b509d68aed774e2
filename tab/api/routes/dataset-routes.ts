import { z } from 'zod';
import { actorOf } from '../../../core/config/actor';
import { SLUG } from '../../../core/config/slug';
import {
  datasetIdFor,
  datasetSummary,
  datasetSummarySchema,
  deleteDataset,
  importDataset,
  listDatasets,
  type DatasetContext,
} from '../../../core/datasets/dataset-library';
import { datasetPreviewSchema, previewDataset } from '../../../core/datasets/dataset-preview';
import { readUpload } from '../../../core/datasets/dataset-upload';
import type { AppServices } from '../../../server/services';
import { conflict, notFound } from '../errors';
import { MB } from '../json-body';
import type { AnyRoute, HandlerInput } from '../route';
import { appRoute } from './app-route';
import { answering } from './config-errors';

const TAG = 'Datasets';
/** Uploads carry whole files as text. */
export const DATASET_UPLOAD_LIMIT_BYTES = 25 * MB;

const datasetParams = z.object({
  datasetId: z.string().regex(SLUG, 'must be a dataset id (lower-case letters, digits and hyphens)'),
});

const fileSchema = z
  .object({
    /** The file's name, used in messages (e.g. "accounts.csv line 4: …"). */
    name: z.string().max(255).optional(),
    text: z.string(),
  })
  .strict();

const uploadSchema = z.discriminatedUnion(
  'format',
  [
    z.object({ format: z.literal('csv'), accounts: fileSchema, contacts: fileSchema }).strict(),
    z.object({ format: z.literal('json'), file: fileSchema }).strict(),
  ],
  { error: 'format must be "csv" (accounts and contacts files) or "json" (one file)' },
);

const datasetName = z.string().trim().min(1, 'Enter a name for the dataset').max(100);

const importBody = z
  .object({
    name: datasetName.refine(
      (name) => datasetIdFor(name) !== '',
      'The name must contain a letter or a digit',
    ),
    /** Default: a slug of the name. */
    datasetId: datasetParams.shape.datasetId.optional(),
    upload: uploadSchema,
  })
  .strict();

const replaceBody = z.object({ name: datasetName, upload: uploadSchema }).strict();

const uploadProblems = {
  400: { description: 'The body is malformed; every field is named' },
  413: { description: 'The upload is larger than 25 MB' },
  422: {
    description:
      'A file cannot be used (wrong delimiter, no header, duplicate ids, contacts of unknown accounts, empty); each problem names its file and row. Nothing was stored.',
  },
};

function context(input: HandlerInput<unknown, unknown, unknown, AppServices>): DatasetContext {
  return {
    containers: input.services.containers,
    tenantId: input.identity.tenantId,
    now: input.services.now,
  };
}

const listRoute = appRoute({
  method: 'get',
  path: '/datasets',
  summary: "The tenant's customer datasets, with their columns",
  tag: TAG,
  access: 'admin',
  responses: {
    200: { description: 'By name', schema: z.object({ datasets: z.array(datasetSummarySchema) }) },
  },
  async handler(input) {
    return { body: { datasets: await listDatasets(context(input)) } };
  },
});

const previewRoute = appRoute({
  method: 'post',
  path: '/datasets/preview',
  summary: 'Check an upload and show its columns with sample values and a suggested mapping; stores nothing',
  tag: TAG,
  access: 'admin',
  body: z.object({ upload: uploadSchema }).strict(),
  maxBodyBytes: DATASET_UPLOAD_LIMIT_BYTES,
  responses: { 200: { description: 'The preview', schema: datasetPreviewSchema }, ...uploadProblems },
  async handler({ body }) {
    return { body: await answering(Promise.resolve().then(() => previewDataset(readUpload(body.upload)))) };
  },
});

const importRoute = appRoute({
  method: 'post',
  path: '/datasets',
  summary: 'Import a new customer dataset from CSV (accounts and contacts) or JSON; all of it or nothing',
  tag: TAG,
  access: 'admin',
  body: importBody,
  maxBodyBytes: DATASET_UPLOAD_LIMIT_BYTES,
  responses: {
    201: { description: 'Imported', schema: datasetSummarySchema },
    ...uploadProblems,
    409: { description: 'A dataset with that id exists already' },
  },
  async handler(input) {
    const { name, datasetId, upload } = input.body;
    const summary = await answering(
      importDataset(context(input), {
        datasetId: datasetId ?? datasetIdFor(name),
        name,
        upload,
        importedBy: actorOf(input.identity),
        create: true,
      }),
    );
    return { status: 201, body: summary };
  },
});

const replaceRoute = appRoute({
  method: 'put',
  path: '/datasets/:datasetId',
  summary: 'Import a customer dataset under this id, replacing its records in one step (or creating it)',
  tag: TAG,
  access: 'admin',
  params: datasetParams,
  body: replaceBody,
  maxBodyBytes: DATASET_UPLOAD_LIMIT_BYTES,
  responses: { 200: { description: 'Imported', schema: datasetSummarySchema }, ...uploadProblems },
  async handler(input) {
    const summary = await answering(
      importDataset(context(input), {
        datasetId: input.params.datasetId,
        name: input.body.name,
        upload: input.body.upload,
        importedBy: actorOf(input.identity),
        create: false,
      }),
    );
    return { body: summary };
  },
});

const getRoute = appRoute({
  method: 'get',
  path: '/datasets/:datasetId',
  summary: 'One dataset: counts, columns with sample values, suggested mapping',
  tag: TAG,
  access: 'admin',
  params: datasetParams,
  responses: {
    200: { description: 'The dataset', schema: datasetSummarySchema },
    404: { description: 'No such dataset' },
  },
  async handler(input) {
    const summary = await datasetSummary(context(input), input.params.datasetId);
    if (!summary) throw notFound(`Dataset "${input.params.datasetId}"`);
    return { body: summary };
  },
});

const deleteRoute = appRoute({
  method: 'delete',
  path: '/datasets/:datasetId',
  summary: 'Delete a dataset that no enrichment uses',
  tag: TAG,
  access: 'admin',
  params: datasetParams,
  responses: {
    204: { description: 'Deleted' },
    404: { description: 'No such dataset' },
    409: { description: 'Enrichments use the dataset; the message names them' },
  },
  async handler(input) {
    const outcome = await deleteDataset(context(input), input.params.datasetId);
    if ('usedBy' in outcome) {
      throw conflict(
        `The dataset is used by ${outcome.usedBy.map((n) => `"${n}"`).join(', ')}; choose another dataset there first.`,
      );
    }
    if (!outcome.deleted) throw notFound(`Dataset "${input.params.datasetId}"`);
    return { status: 204 };
  },
});

export function datasetRoutes(): AnyRoute<AppServices>[] {
  return [listRoute, previewRoute, importRoute, replaceRoute, getRoute, deleteRoute];
}
