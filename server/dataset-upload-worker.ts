/**
 * The CPU-heavy part of a dataset upload, on a worker thread: the request body's JSON, its schema,
 * the CSV or JSON files, their checks and the preview. The request thread only reads the bytes and
 * writes the records, so a 25 MB import does not stall the server's other requests.
 */
import { parentPort } from 'node:worker_threads';
import { DatasetError } from '../core/datasets/customer-dataset';
import { previewDataset } from '../core/datasets/dataset-preview';
import { readUpload, type DatasetUpload } from '../core/datasets/dataset-upload';
import { uploadBodySchemas } from '../core/datasets/upload-schema';
import { ApiError, badRequest } from '../tab/api/errors';
import { bodyParserProblem, jsonValueProblem } from '../tab/api/json-body';
import type { ParseReply, ParseRequest } from './dataset-upload-protocol';
import { errorDetail } from '../core/text/error-text';

/**
 * Records go back in batches, one at a time: the next only once the request thread asks for more.
 * Messages sent all at once would queue up and be received in one long turn of its event loop.
 */
const RECORDS_PER_MESSAGE = 2_000;

let askedForMore: (() => void) | undefined;
const more = () => new Promise<void>((resolve) => (askedForMore = resolve));

function post(reply: ParseReply): void {
  parentPort?.postMessage(reply);
}

function reject(error: ApiError): void {
  post({
    type: 'rejected',
    status: error.status,
    code: error.code,
    message: error.message,
    fields: error.fields,
  });
}

/** The request thread's checks of a JSON body (tab/api/json-body.ts), then the route's schema. */
async function parse(request: Extract<ParseRequest, { type: 'parse' }>): Promise<void> {
  let value: unknown = undefined;
  if (request.body) {
    try {
      value = JSON.parse(new TextDecoder().decode(request.body));
    } catch {
      return reject(bodyParserProblem({ type: 'entity.parse.failed' }) as ApiError);
    }
    const problem = jsonValueProblem(value);
    if (problem) {
      return reject(
        new ApiError(
          400,
          'BadRequest',
          `The request's body is not valid: ${problem.field || 'body'}: ${problem.message}`,
          [problem],
        ),
      );
    }
  }
  const result = uploadBodySchemas[request.kind].safeParse(value);
  if (!result.success) return reject(badRequest(result.error, 'body'));
  const body = result.data as { name?: string; datasetId?: string; upload: DatasetUpload };
  let dataset;
  try {
    dataset = readUpload(body.upload);
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    return post({ type: 'dataset-error', message: error.message, problems: [...error.problems] });
  }
  const preview = previewDataset(dataset);
  if (request.kind !== 'preview') {
    for (const part of ['accounts', 'contacts'] as const) {
      const records = dataset[part];
      for (let i = 0; i < records.length; i += RECORDS_PER_MESSAGE) {
        const asked = more();
        post({ type: 'records', part, records: records.slice(i, i + RECORDS_PER_MESSAGE) });
        await asked;
      }
    }
  }
  const upload = body.upload;
  const files = upload.format === 'csv' ? [upload.accounts, upload.contacts] : [upload.file];
  post({
    type: 'done',
    preview,
    body: {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.datasetId === undefined ? {} : { datasetId: body.datasetId }),
      format: upload.format,
      files: files.flatMap((file) => (file.name ? [file.name] : [])),
    },
  });
}

parentPort?.on('message', (request: ParseRequest) => {
  if (request.type === 'more') {
    askedForMore?.();
    return;
  }
  parse(request).catch((error: unknown) =>
    post({
      type: 'failed',
      message: errorDetail(error),
    }),
  );
});
