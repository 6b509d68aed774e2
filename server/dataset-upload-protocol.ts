import type { FieldProblem } from '../tab/api/errors';
import type { DatasetProblem, DatasetRecord } from '../core/datasets/customer-dataset';
import type { DatasetPreview } from '../core/datasets/dataset-preview';
import type { UploadKind } from '../core/datasets/upload-schema';

/** Messages between the request thread and the dataset parse worker (dataset-upload-worker.ts). */

export type ParseRequest =
  | {
      type: 'parse';
      kind: UploadKind;
      /** The request body's bytes (UTF-8 JSON), transferred; undefined when the request had none. */
      body: Uint8Array | undefined;
    }
  /** The request thread has taken the last batch of records in: the worker may send the next. */
  | { type: 'more' };

/** What the worker answers: record batches (each after a `more`, the first unasked) then `done`, or one failure. */
export type ParseReply =
  /** The request is malformed: the API error to answer, as tab/api/errors.ts's ApiError. */
  | { type: 'rejected'; status: number; code: string; message: string; fields: FieldProblem[] }
  | { type: 'dataset-error'; message: string; problems: DatasetProblem[] }
  | { type: 'records'; part: 'accounts' | 'contacts'; records: DatasetRecord[] }
  | {
      type: 'done';
      preview: DatasetPreview;
      body: { name?: string; datasetId?: string; format: 'csv' | 'json'; files: string[] };
    }
  | { type: 'failed'; message: string };
