import type { Request } from 'express';
import express from 'express';
import { z } from 'zod';
import { actorOf } from '../../../core/config/actor';
import {
  datasetIdFor,
  datasetSummary,
  datasetSummarySchema,
  deleteDataset,
  importParsedDataset,
  listDatasets,
  type DatasetContext,
  type DatasetSummary,
} from '../../../core/datasets/dataset-library';
import { datasetPreviewSchema } from '../../../core/datasets/dataset-preview';
import { datasetIdSchema, type UploadKind } from '../../../core/datasets/upload-schema';
import {
  parseUploadOffThread,
  UploadBusyError,
  withUploadSlot,
  type ParsedUpload,
} from '../../../server/dataset-upload-parser';
import type { AppServices } from '../../../server/services';
import { ApiError, conflict, notFound } from '../errors';
import { bodyParserProblem, MB, unsupportedEncoding } from '../json-body';
import type { AnyRoute, HandlerInput } from '../route';
import { appRoute } from './app-route';

const TAG = 'Datasets';
/** Uploads carry whole files as text. */
export const DATASET_UPLOAD_LIMIT_BYTES = 25 * MB;

const datasetParams = z.object({ datasetId: datasetIdSchema });

const uploadProblems = {
  400: { description: 'The body is malformed; every field is named' },
  413: { description: 'The upload is larger than 25 MB' },
  422: {
    description:
      'A file cannot be used (wrong delimiter, no header, duplicate ids, contacts of unknown accounts, empty); each problem names its file and row. Nothing was stored.',
  },
  429: {
    description:
      'Another upload (preview or import) of the organization is in progress; try again after the Retry-After seconds',
  },
};

/*
 * Upload bodies (up to 25 MB of JSON) are not declared as the routes' `body`, which the request
 * thread would parse: the handler reads the bytes, and a worker thread parses and checks them with
 * the same JSON checks and schemas (core/datasets/upload-schema.ts) and reads the files
 * (server/dataset-upload-parser.ts). The schemas are those of the request bodies all the same.
 */
const readRawBody = express.raw({ type: 'application/json', limit: DATASET_UPLOAD_LIMIT_BYTES });

/** The request body's bytes (decoded from gzip or deflate), or undefined for a request without a JSON body. */
function requestBytes(req: Request): Promise<Buffer | undefined> {
  const encoding = unsupportedEncoding(req);
  if (encoding) {
    req.resume();
    return Promise.reject(encoding);
  }
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(req.headers['content-type'] ?? '')?.[2]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    req.resume();
    return Promise.reject(bodyParserProblem({ type: 'charset.unsupported' }));
  }
  return new Promise((resolve, reject) => {
    readRawBody(req, req.res as never, (error?: unknown) => {
      if (error) {
        reject(
          bodyParserProblem(error) ?? new ApiError(400, 'BadRequest', 'The request body could not be read.'),
        );
        return;
      }
      const body: unknown = req.body;
      resolve(Buffer.isBuffer(body) && body.length > 0 ? body : undefined);
    });
  });
}

/**
 * Reads and checks an upload off the request thread, holding one of the tenant's upload slots
 * while `then` runs: 429 with Retry-After when the tenant has one in progress already.
 */
async function withUpload<T>(
  input: HandlerInput<unknown, unknown, unknown, AppServices>,
  kind: UploadKind,
  then: (upload: ParsedUpload) => Promise<T>,
): Promise<T> {
  try {
    return await withUploadSlot(input.identity.tenantId, async () => {
      const bytes = await requestBytes(input.req);
      return then(await parseUploadOffThread(kind, bytes));
    });
  } catch (error) {
    if (!(error instanceof UploadBusyError)) throw error;
    input.req.resume();
    input.req.res?.setHeader('Retry-After', String(error.retryAfterSeconds));
    throw new ApiError(429, 'TooManyRequests', error.message);
  }
}

function context(input: HandlerInput<unknown, unknown, unknown, AppServices>): DatasetContext {
  return {
    containers: input.services.containers,
    tenantId: input.identity.tenantId,
    now: input.services.now,
  };
}

/** Stores an upload read off the request thread (the writes are async I/O, in chunks). */
function store(
  input: HandlerInput<unknown, unknown, unknown, AppServices>,
  upload: ParsedUpload,
  datasetId: string,
  create: boolean,
): Promise<DatasetSummary> {
  return importParsedDataset(context(input), {
    datasetId,
    name: upload.body.name ?? '',
    format: upload.body.format,
    files: upload.body.files,
    dataset: upload.dataset,
    preview: upload.preview,
    importedBy: actorOf(input.identity),
    create,
  });
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
  responses: { 200: { description: 'The preview', schema: datasetPreviewSchema }, ...uploadProblems },
  async handler(input) {
    return { body: await withUpload(input, 'preview', async ({ preview }) => preview) };
  },
});

const importRoute = appRoute({
  method: 'post',
  path: '/datasets',
  summary: 'Import a new customer dataset from CSV (accounts and contacts) or JSON; all of it or nothing',
  tag: TAG,
  access: 'admin',
  responses: {
    201: { description: 'Imported', schema: datasetSummarySchema },
    ...uploadProblems,
    409: { description: 'A dataset with that id exists already' },
  },
  async handler(input) {
    const summary = await withUpload(input, 'import', (upload) => {
      const name = upload.body.name ?? '';
      return store(input, upload, upload.body.datasetId ?? datasetIdFor(name), true);
    });
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
  responses: { 200: { description: 'Imported', schema: datasetSummarySchema }, ...uploadProblems },
  async handler(input) {
    const summary = await withUpload(input, 'replace', (upload) =>
      store(input, upload, input.params.datasetId, false),
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
